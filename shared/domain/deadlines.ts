// Time-critical triage on receipt: allegations that mention an imminent event ("the appeal hearing is this
// Friday", "flying out tomorrow", "moving next week", "the wedding is on 12 March") must be spotted at once and
// go to the duty intelligence manager with a 24-hour standard (000 §4.34-4.35, Figure 9). Dates are read by
// chrono-node (maintained upstream) relative to when the allegation was received, on UK time.
import * as chrono from 'chrono-node';
import { ukDate, ukOffsetMinutes } from './uk-time.ts';

/** Events this many days after receipt, or fewer, make an allegation time-critical. */
export const TIME_CRITICAL_WINDOW_DAYS = 14;

export interface DetectedDeadline {
  /** The calendar date of the event (YYYY-MM-DD, UK). */
  date: string;
  /** The date as written ("this Friday"). */
  text: string;
  /** The sentence it was found in, for the person who confirms or dismisses the flag. */
  sentence: string;
  /** What kind of event the sentence is about ("hearing", "flight"...). */
  event: string;
  /** Offset of the date text in the input. */
  index: number;
  /** Whole days from receipt to the event. */
  daysAfterReceipt: number;
}

// Words that say the date is of an event that will not wait. Longer phrases first.
const EVENTS: Array<[RegExp, string]> = [
  [/\b(appeal|hearing|tribunal|court|trial|sentencing|bail)\b/i, 'hearing'],
  [/\b(wedding|marriage|marry|marrying|married|ceremony|registry|register office|nikah)\b/i, 'wedding'],
  [/\b(flight|flying|fly|flies|plane|airport|depart(?:s|ing|ure)?|boarding)\b/i, 'flight'],
  [/\b(removal|removed|deport\w*|detention|reporting|reports? to|sign(?:ing)? on)\b/i, 'removal'],
  [/\b(interview|appointment|biometric\w*|visa expires?|expir\w+|deadline)\b/i, 'appointment'],
  [/\b(moving|move|moves|relocat\w*|leaving|leave|leaves|going back|go back|returning|return)\b/i, 'moving'],
  [/\b(arriv\w+|coming over|landing|lorry|shipment|consignment|delivery|collect\w*|pick(?:ing)? up)\b/i, 'arrival'],
  [/\b(travel\w*|trip|holiday|abroad|ferry|crossing|coach|booked)\b/i, 'travel'],
];

/** Mentions that are routine, not a deadline ("every Friday", "on Fridays", "last week"). */
const ROUTINE_BEFORE = /\b(every|each|most|usually|normally|always|last|since|until|till|from)\s+(?:the\s+)?$/i;

const DAY_MS = 86_400_000;

function sentenceAround(text: string, index: number, length: number): string {
  const starts = [...text.slice(0, index).matchAll(/[.!?\n]\s*/g)];
  const start = starts.length ? (starts.at(-1)?.index ?? 0) + (starts.at(-1)?.[0].length ?? 0) : 0;
  const endMatch = /[.!?\n]/.exec(text.slice(index + length));
  const end = endMatch ? index + length + endMatch.index + 1 : text.length;
  return text.slice(start, end).trim();
}

const parser = chrono.en.GB.clone();
// "on the 14th": a day of the month on its own, which chrono's English parsers leave out.
parser.parsers.push({
  pattern: () => /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b/i,
  extract: (_context, match) => {
    const day = Number(match[1]);
    return day >= 1 && day <= 31 ? { day } : null;
  },
});

function calendarDate(components: chrono.ParsedComponents): string {
  const y = components.get('year') ?? 0;
  const m = components.get('month') ?? 1;
  const d = components.get('day') ?? 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Every imminent event the text mentions, earliest first; empty when nothing is time-critical. */
export function detectDeadlines(text: string, receivedAt: Date, windowDays: number = TIME_CRITICAL_WINDOW_DAYS): DetectedDeadline[] {
  if (!text.trim()) return [];
  const receivedDate = ukDate(receivedAt);
  // Only sentences about an event can hold a deadline, so only those are given to chrono (which is slow).
  const reference = { instant: receivedAt, timezone: ukOffsetMinutes(receivedAt) };
  const results: Array<chrono.ParsedResult> = [];
  // A sentence ends at . ! ? followed by a space or the end, or at a line break ("09.03.2026" stays whole).
  for (const m of text.matchAll(/(?:[^.!?\n]|[.!?](?![\s]|$))+[.!?]*/g)) {
    if (!EVENTS.some(([re]) => re.test(m[0]))) continue;
    for (const r of parser.parse(m[0], reference, { forwardDate: true })) {
      // Offsets into the whole text, as if it had been parsed at once.
      (r as { index: number }).index = r.index + (m.index ?? 0);
      results.push(r);
    }
  }
  const found: DetectedDeadline[] = [];
  for (const r of results) {
    if (ROUTINE_BEFORE.test(text.slice(Math.max(0, r.index - 12), r.index))) continue;
    // Years alone ("in 2019") and times alone ("at 7am") are not deadlines.
    if (!r.start.isCertain('day') && !r.start.isCertain('weekday') && !/tomorrow|tonight|next week|in \w+ (days?|weeks?)|weekend/i.test(r.text)) continue;
    const date = calendarDate(r.start);
    const days = daysBetween(receivedDate, date);
    if (days < 0 || days > windowDays) continue;
    const sentence = sentenceAround(text, r.index, r.text.length);
    const event = EVENTS.find(([re]) => re.test(sentence))?.[1];
    if (!event) continue;
    found.push({ date, text: r.text.trim(), sentence, event, index: r.index, daysAfterReceipt: days });
  }
  return found.sort((a, b) => a.date.localeCompare(b.date) || a.index - b.index);
}
