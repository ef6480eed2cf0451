// Travel a letter describes: a flight's date, where it leaves from and goes to ("on Friday on flight EZY8741
// from Luton to Accra"), and journeys without a flight number ("going back to Pakistan next week", "the coach
// to Poland on Tuesday"). Dates are read relative to when the allegation was received, when that is known.
import * as chrono from 'chrono-node';
import { sentenceAt, sentenceSpans, unwrapLines, type Span } from '../text/sentences.ts';

export interface TravelDetails {
  /** The travel date (ISO) when the sentence gives one, and the words that gave it. */
  date: string | null;
  dateText: string | null;
  origin: string | null;
  destination: string | null;
}

export interface JourneyInText extends TravelDetails {
  /** The words that say it, as written ("going back to Pakistan next week"). */
  text: string;
  start: number;
  end: number;
  cue: string;
}

const PLACE = "[A-Z][a-z’'-]+(?:[ \\t]+[A-Z][a-z’'-]+)?";
const NOT_PLACES = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Terminal|Flight|The|His|Her|Work|Court|Me|Him|Them|Us)\b/;
const JOURNEY = /\b(?:going back|go back|goes back|flying|flies|fly|travel(?:s|ling|ing)?|leaving|leaves|heading|returning|moving|coach|ferry|train|trip|holiday)\b/gi;

function isoDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function placeAfter(sentence: string, word: 'to' | 'from'): string | null {
  const re = new RegExp(`\\b${word}[ \\t]+(${PLACE})`, 'g');
  for (const m of sentence.matchAll(re)) {
    const place = m[1] ?? '';
    if (!NOT_PLACES.test(place)) return place.replace(/[ \t]+(?:On|At|In|Next|This|And)$/, '');
  }
  return null;
}

/** The date nearest to [from, to) in the sentence, read relative to `receivedAt` (or only a full date without it). */
function dateNear(sentence: string, from: number, to: number, receivedAt: Date | null): { date: string | null; dateText: string | null } {
  const reference = receivedAt ?? new Date(Date.UTC(2000, 0, 1));
  // "last week", "two weeks ago": no day a form can hold.
  const results = chrono.en.GB.parse(sentence, reference, { forwardDate: receivedAt !== null }).filter((r) => !/\blast\b|\bago\b/i.test(r.text) && (r.start.isCertain('day') || r.start.isCertain('weekday') || /tomorrow|tonight|next week/i.test(r.text)));
  let best: { date: string | null; dateText: string | null; distance: number } | null = null;
  for (const r of results) {
    const end = r.index + r.text.length;
    const distance = end <= from ? from - end : r.index >= to ? r.index - to : 0;
    let date: string | null;
    if (receivedAt) {
      const d = r.start.date();
      date = isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    } else {
      const certain = r.start.isCertain('day') && r.start.isCertain('month') && r.start.isCertain('year');
      date = certain ? isoDate(r.start.get('year') ?? 0, r.start.get('month') ?? 0, r.start.get('day') ?? 0) : null;
    }
    if (!best || distance < best.distance) best = { date, dateText: r.text, distance };
  }
  return best ? { date: best.date, dateText: best.dateText } : { date: null, dateText: null };
}

/** Date, origin and destination of the travel the words at [start, end) are part of (the sentence around them). */
export function travelDetails(text: string, start: number, end: number, receivedAt: Date | null, spans?: Span[]): TravelDetails {
  const flat = unwrapLines(text);
  const s = sentenceAt(flat, start, spans ?? sentenceSpans(text));
  const sentence = flat.slice(s.start, s.end);
  const when = dateNear(sentence, start - s.start, end - s.start, receivedAt);
  return { ...when, origin: placeAfter(sentence, 'from'), destination: placeAfter(sentence, 'to') };
}

/** Journeys without a flight number: a travel word, a destination, and a date, in one sentence. */
export function findJourneys(text: string, receivedAt: Date | null, hasFlight: (span: Span) => boolean): JourneyInText[] {
  const out: JourneyInText[] = [];
  const flat = unwrapLines(text);
  const spans = sentenceSpans(text);
  for (const span of spans) {
    if (hasFlight(span)) continue;
    const sentence = flat.slice(span.start, span.end);
    JOURNEY.lastIndex = 0;
    const cue = JOURNEY.exec(sentence);
    if (!cue) continue;
    const destination = placeAfter(sentence.slice(cue.index), 'to');
    if (!destination) continue;
    const when = dateNear(sentence, cue.index, cue.index + cue[0].length, receivedAt);
    if (!when.dateText) continue;
    const start = span.start + cue.index;
    const endInSentence = Math.max(sentence.indexOf(destination, cue.index) + destination.length, sentence.indexOf(when.dateText) + when.dateText.length);
    out.push({ ...when, origin: placeAfter(sentence, 'from'), destination, text: text.slice(start, span.start + endInSentence), start, end: span.start + endInSentence, cue: cue[0].toLowerCase() });
  }
  return out;
}
