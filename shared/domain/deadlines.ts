// Time-critical triage on receipt: allegations that mention an imminent event ("the appeal hearing is this
// Friday", "flying out tomorrow", "moving next week", "the wedding is on 12 March") must be spotted at once and
// go to the duty intelligence manager with a 24-hour standard (000 §4.34-4.35, Figure 9). Dates are read by
// chrono-node (maintained upstream) relative to when the allegation was received, on UK time.
//
// A flag says why: the sentence it was found in (never the whole account), the words of the event and of the
// date, and the rule that fired, so a duty manager can judge it at a glance. The text may be OCR's: lines wrap
// inside sentences, accounts run on without full stops, and a weekday may be misread by a letter ("Frlday").
import * as chrono from 'chrono-node';
import { evidenceText, sentenceAt, sentenceSpans, unwrapLines } from '../text/sentences.ts';
import { ukDate, ukOffsetMinutes } from './uk-time.ts';

/** Events this many days after receipt, or fewer, make an allegation time-critical. */
export const TIME_CRITICAL_WINDOW_DAYS = 14;
/** The event's words must be this close to the date (characters, about ten words) to be about it. */
const EVENT_REACH = 60;

export type DeadlineEvent = 'hearing' | 'wedding' | 'flight' | 'removal' | 'appointment' | 'moving' | 'arrival' | 'travel';
export type DateRule = 'calendar date' | 'day of the month' | 'weekday' | 'relative day';

export interface DetectedDeadline {
  /** The calendar date of the event (YYYY-MM-DD, UK). */
  date: string;
  /** The date as written ("this Friday"). */
  text: string;
  /** The sentence it was found in (or the words around it in a sentence too long to show), for the person who confirms or dismisses the flag. */
  sentence: string;
  /** What kind of event the sentence is about ("hearing", "flight"...). */
  event: DeadlineEvent;
  // The three below are always set by detectDeadlines; they are optional because flags stored before they
  // were recorded lack them (shared/schemas/record.ts reads those too).
  /** The word(s) that said what the event is, as written ("flying"). */
  cue?: string;
  /** The rule that fired, e.g. "flight + weekday": the event and how the date was written. */
  rule?: string;
  /** In words, for the duty manager: why this is time-critical. */
  reason?: string;
  /** Offset of the date text in the input. */
  index: number;
  /** Whole days from receipt to the event. */
  daysAfterReceipt: number;
}

// Words that say the date is of an event that will not wait, as they are written about what is to come.
// ("married" only as "getting/get/be married"; "arrived", "left" and other past forms are not listed.)
const EVENTS: Array<[RegExp, DeadlineEvent]> = [
  [/\b(appeal|hearing|tribunal|court|trial|sentencing|bail)\b/gi, 'hearing'],
  [/\b(wedding|marriage|marry|marrying|(?:getting|get|gets|be|being) married|ceremony|registry|register office|nikah)\b/gi, 'wedding'],
  [/\b(flight|flights|flying|fly|flies|plane|airport|departs|departing|departure|boarding)\b/gi, 'flight'],
  [/\b(removal|removal directions|deport|deportation|deported|detention|reporting|reports? to|sign(?:ing)? on)\b/gi, 'removal'],
  [/\b(interview|appointment|biometrics?|visa expires?|expires|expiring|expiry|deadline)\b/gi, 'appointment'],
  // "leaving the house" is an errand, not a move.
  [/\b(moving|move|moves|relocat\w*|leaving(?! (?:the |his |her |their |my )?(?:house|home|work|shop|premises|flat|building|property|place))|leaves|leave (?=for|the country|the uk|on|to|next|this|tomorrow|tonight|in)|going back|go back|returning|return(?:s)? (?=to|home))/gi, 'moving'],
  [/\b(arrive|arrives|arriving|arrival|coming over|landing|lorry|shipment|consignment|delivery|collection|collecting|collect|pick(?:ing)? up)\b/gi, 'arrival'],
  [/\b(travel|travels|travelling|traveling|trip|holiday|abroad|ferry|crossing|coach|booked)\b/gi, 'travel'],
];
const ANY_EVENT = new RegExp(EVENTS.map(([re]) => re.source).join('|'), 'i');

/** Mentions that are routine, not a deadline ("every Friday", "on Fridays", "last week"). */
const ROUTINE_BEFORE = /\b(every|each|most|usually|normally|always|last|since|until|till|from)\s+(?:the\s+)?$/i;
/** Said of what has happened: with a date inferred forward from a weekday alone, the event is past ("he left on Friday"). */
const PAST = /\b(was|were|had|did|left|arrived|came|went|moved|flew|got married|returned|travelled|traveled|deported|ago|last|saw|seen|notic+ed|spotted|watched|caught|found|met|visited|stayed)\b/i;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
// Words a date is written with; chrono also reads "an hour", "now" and names like "Thu" (Thu Ngoc Lam) as times.
const DATE_WORDS = /\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\btoday\b|\btonight\b|\btomorrow\b|\bweekend\b|\bweeks?\b|\bfortnight\b|\bdays?\b|\d{1,2}(?:st|nd|rd|th)\b|\d{1,2}\s*[/.-]\s*\d{1,2}/i;
const WEEKDAY_ABBREVIATION = /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?$/i;
// Words OCR misreads by one letter that the date parser must see right: weekdays, months, "tomorrow".
const REPAIRABLE = [...WEEKDAYS, 'tomorrow', 'tonight', 'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const DAY_MS = 86_400_000;

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

/** Weekdays, months and "tomorrow" misread by one letter ("Frlday", "tomorr0w") put right, same length. */
function repairDateWords(text: string): string {
  return text.replace(/\b[\p{L}\d]{5,9}\b/gu, (word) => {
    const lower = word.toLowerCase();
    if (REPAIRABLE.includes(lower)) return word;
    for (const target of REPAIRABLE) {
      if (target.length !== lower.length) continue;
      let diff = 0;
      for (let i = 0; i < target.length && diff < 2; i++) if (target[i] !== lower[i]) diff++;
      // The first letter must be right: "Monday" and "Sunday" differ by two, but "Munday" is not "Sunday".
      if (diff === 1 && target[0] === lower[0]) return word[0] === word[0]?.toUpperCase() ? target[0]!.toUpperCase() + target.slice(1) : target;
    }
    return word;
  });
}

/** How the date was written: chrono marks a relative date ("in 3 days") as certain as a calendar one. */
function dateRuleOf(written: string): DateRule {
  if (/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\d{1,2}\s*[/.-]\s*\d{1,2}/i.test(written)) return 'calendar date';
  if (/\d{1,2}(?:st|nd|rd|th)\b/i.test(written)) return 'day of the month';
  if (/\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b/i.test(written)) return 'weekday';
  return 'relative day';
}

function nearestEvent(sentence: string, from: number, to: number): { event: DeadlineEvent; cue: string; distance: number; at: number } | null {
  let best: { event: DeadlineEvent; cue: string; distance: number; at: number } | null = null;
  for (const [re, event] of EVENTS) {
    re.lastIndex = 0;
    for (const m of sentence.matchAll(re)) {
      const at = m.index ?? 0;
      const end = at + m[0].length;
      const distance = end <= from ? from - end : at >= to ? at - to : 0;
      if (!best || distance < best.distance) best = { event, cue: m[0], distance, at };
    }
  }
  return best && best.distance <= EVENT_REACH ? best : null;
}

/** Every imminent event the text mentions, earliest first; empty when nothing is time-critical. */
export function detectDeadlines(text: string, receivedAt: Date, windowDays: number = TIME_CRITICAL_WINDOW_DAYS): DetectedDeadline[] {
  if (!text.trim()) return [];
  const receivedDate = ukDate(receivedAt);
  const reference = { instant: receivedAt, timezone: ukOffsetMinutes(receivedAt) };
  // The same length as the input, so every offset below is an offset into it.
  const readable = repairDateWords(unwrapLines(text));
  const spans = sentenceSpans(text);
  const found: DetectedDeadline[] = [];
  const seen = new Set<string>();
  for (const span of spans) {
    const sentence = readable.slice(span.start, span.end);
    // Only sentences about an event can hold a deadline, so only those are given to chrono (which is slow).
    if (!ANY_EVENT.test(sentence)) continue;
    for (const r of parser.parse(sentence, reference, { forwardDate: true })) {
      const index = span.start + r.index;
      const written = r.text.trim();
      if (ROUTINE_BEFORE.test(readable.slice(Math.max(0, index - 12), index))) continue;
      // Times alone ("at 7am", "an hour"), years alone ("in 2019") and names that read as weekdays ("Thu") are not deadlines.
      if (!DATE_WORDS.test(written)) continue;
      if (WEEKDAY_ABBREVIATION.test(written) && !/\b(?:on|this|next|by)\s+$/i.test(readable.slice(Math.max(0, index - 6), index))) continue;
      if (!r.start.isCertain('day') && !r.start.isCertain('weekday') && !/tomorrow|tonight|today|next week|in \w+ (days?|weeks?)|weekend|fortnight/i.test(written)) continue;
      const date = calendarDate(r.start);
      const days = daysBetween(receivedDate, date);
      if (days < 0 || days > windowDays) continue;
      const near = nearestEvent(sentence, r.index, r.index + r.text.length);
      if (!near) continue;
      const dateRule = dateRuleOf(written);
      // Said of the past between the event's words and the date ("saw her leaving ... on Saturday"): not to come.
      const clause = sentence.slice(Math.max(0, Math.min(near.at, r.index) - 15), Math.max(near.at + near.cue.length, r.index + r.text.length));
      if (dateRule === 'weekday' && PAST.test(clause)) continue;
      // "£70 a day", "7 days a week", "a couple of weeks ago": rates and spans of time, not a day to come.
      if (dateRule === 'relative day' && !/^(?:in|within)\b|\b(?:next|this|tomorrow|tonight|today|weekend|fortnight)\b/i.test(written)) continue;
      const key = `${date}|${index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const evidence = evidenceText(text, sentenceAt(text, index, spans), index, index + r.text.length);
      found.push({
        date,
        text: written,
        sentence: evidence,
        event: near.event,
        cue: near.cue,
        rule: `${near.event} + ${dateRule}`,
        reason: `${near.cue.toLowerCase() === near.event ? `“${near.cue}”` : `“${near.cue}” (${near.event})`} with “${written}”: ${days === 0 ? 'the day it was received' : `${days} day${days === 1 ? '' : 's'} after it was received`}, within the ${windowDays} days that make it time-critical`,
        index,
        daysAfterReceipt: days,
      });
    }
  }
  return found.sort((a, b) => a.date.localeCompare(b.date) || a.index - b.index);
}
