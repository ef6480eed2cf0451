// Suggested form fields from attachment text: the people, dates of birth, addresses, postcodes, phones,
// emails, vehicles and flights a letter or fax mentions, each with the page and place it came from so the
// analyst can see it on the scan and accept it with one click. Nothing here changes the record: a person
// decides (the inspection found 28% of records held details only in attachments, and a smuggler's flight
// was missed because it was only in a scan: 000 §4.26, Figure 7).
import * as chrono from 'chrono-node';
import { findIdentifiers } from '../text/identifiers.ts';
import { foldName, normaliseFlightNumber, normaliseVrm } from '../text/normalise.ts';
import { boxesForSpan, type Box, type PlacedWord } from './page-text.ts';

export type SuggestionKind = 'name' | 'dob' | 'address' | 'postcode' | 'phone' | 'email' | 'vrm' | 'flight';

export interface SuggestedField {
  kind: SuggestionKind;
  /** As written on the page. */
  text: string;
  /** Canonical: "Waseem Iqbal", "1962-02-23", "07700900123", "BW16VTO", "TK2584", "SW1A 2AA". */
  value: string;
  /** 1-based page number, and the span of `text` in that page's text. */
  page: number;
  start: number;
  end: number;
  /** Where it is on the page image, when the page's words and boxes are known. */
  boxes: Box[];
  /** Why it was suggested: "RE: line", "brother", "DOB", "flight" ... */
  cue: string;
  /** For flights: the travel date when the text gives one (ISO), and the words that gave it. */
  date?: string | null;
  dateText?: string | null;
  /** For names: the relation the text gives ("subject", "brother", "friend" ...). */
  role?: string;
}

export interface PageTextInput {
  page: number;
  text: string;
  words?: readonly PlacedWord[];
}

// A name word: capitalised or upper case, allowing O'Brien, Al-Hassan, Mc/Mac forms.
const NAME_WORD = "(?:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?|[A-Z]{2,}(?:['’-][A-Z]+)?)";
// Particles inside names: "Gabriela da Silva", "Ahmed bin Said", "Jan van Dijk".
const PARTICLE = '(?:da|de|del|della|di|do|dos|du|van|von|der|den|bin|bint|ibn|al|el|la|le)';
const NAME = `${NAME_WORD}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)?${NAME_WORD}){1,3}`;
const RELATIONS = 'brother|sister|cousin|wife|husband|partner|girlfriend|boyfriend|friend|uncle|aunt|nephew|niece|son|daughter|father|mother|dad|mum|boss|manager|employer|landlord|colleague|flatmate|housemate|associate|fiance|fiancee|brother-in-law|sister-in-law';

/** A cue word matched in either case, letter by letter (names after it must stay case-sensitive). */
function ci(pattern: string): string {
  return pattern.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}
// Cue words as OCR mangles them: "call ed", "callod", "ca1led", "menfion", "Hcr brother", "Hisbrother".
const CALLED = `(?:[cCeE][aA][l1I|]{1,2}\\s?[eo]d|${ci('named')}|${ci('known as')}|${ci('by the name of')})`;
const MENTION = `${ci('men')}[tf]\\s?${ci('ion')}(?:${ci('ed')})?`;
const OWNER = `(?:${ci('h')}[ie1l]${ci('s')}|${ci('h')}[ec]${ci('r')}|${ci('their')}|${ci('my')}|${ci('a')}|${ci('the')}|${ci('another')})`;
// OCR debris between a cue and the name: stray quotes, tildes, underscores, a line of noise.
const GAP = `[\\s_~'"‘’\`|]*`;

const NAME_CUES: Array<{ re: RegExp; cue: string; role: (m: RegExpExecArray) => string }> = [
  // "RE: WASEEM IQBAL", "Re: Waseem Iqbal DOB 01/02/1980": the subject of the letter.
  { re: new RegExp(`\\b${ci('re')}\\s*[:.-]\\s*(${NAME})`, 'g'), cue: 'RE: line', role: () => 'subject' },
  // "his brother Arshad Nawaz", "a friend called Mohammad Nasser", "her boss, Ali Khan"
  { re: new RegExp(`\\b${OWNER}\\s*(${ci(RELATIONS)})(?:\\s+(?:${ci('is')}|${ci('was')}))?(?:\\s+${CALLED})?[,:]?${GAP}(${NAME})`, 'g'), cue: 'relation', role: (m) => (m[1] ?? '').toLowerCase() },
  // "another one called Srinivas Naidu", "I also want to mention Catalin Stoica"
  { re: new RegExp(`(?:${CALLED}|${MENTION})${GAP}(${NAME})`, 'g'), cue: 'named', role: () => 'associate' },
  // "Mr Kashif Aslam", "Mrs Pooja Sandhu"
  { re: new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Dr)\\.?\\s+(${NAME})`, 'g'), cue: 'title', role: () => 'person' },
];

/** Words that start with a capital but are not names (sentence starts, places, days, the Home Office). */
const NOT_NAME_WORDS = new Set(
  [
    'he', 'she', 'they', 'his', 'her', 'the', 'a', 'an', 'and', 'or', 'but', 'who', 'which', 'that', 'this', 'there', 'also', 'is', 'was', 'works', 'lives',
    'home', 'office', 'immigration', 'enforcement', 'police', 'council', 'road', 'street', 'lane', 'avenue', 'dob', 'flat', 'uk', 'i', 'im', 'my',
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july',
    'august', 'september', 'october', 'november', 'december', 'dear', 'sir', 'madam', 'yours', 'regards', 'thank', 'thanks', 'from', 'to', 'fax', 're',
  ],
);

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, p: string, c: string) => p + c.toUpperCase());
}

/** Trims a matched name to its name words: stops at the first word that is not one ("Ali Khan Who"). */
function cleanName(raw: string): { text: string; length: number } | null {
  const tokens = raw.split(/[ \t]+/);
  const kept: string[] = [];
  for (const t of tokens) {
    if (NOT_NAME_WORDS.has(foldName(t))) break;
    kept.push(t);
  }
  if (kept.length < 2) return null;
  const text = kept.join(' ');
  return { text, length: raw.indexOf(kept[kept.length - 1] as string) + (kept[kept.length - 1] as string).length };
}

function findNames(text: string): Array<Omit<SuggestedField, 'page' | 'boxes'>> {
  const out: Array<Omit<SuggestedField, 'page' | 'boxes'>> = [];
  for (const { re, cue, role } of NAME_CUES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const raw = m[m.length - 1] as string;
      const name = cleanName(raw);
      if (!name) continue;
      const start = m.index + m[0].length - raw.length;
      out.push({ kind: 'name', text: name.text, value: titleCase(name.text), start, end: start + name.length, cue, role: role(m) });
    }
  }
  return out;
}

const DOB = /\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?)\s*[:-]?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})\b/gi;
const DOB_WORDS = /\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?)\s*[:-]?\s*(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+(\d{4})\b/gi;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDate(y: number, m: number, d: number): string | null {
  if (y < 100) y += y > 30 ? 1900 : 2000;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function findDobs(text: string): Array<Omit<SuggestedField, 'page' | 'boxes'>> {
  const out: Array<Omit<SuggestedField, 'page' | 'boxes'>> = [];
  for (const m of text.matchAll(DOB)) {
    // UK order: day/month/year.
    const value = isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
    if (value) out.push({ kind: 'dob', text: m[0], value, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, cue: 'date of birth' });
  }
  for (const m of text.matchAll(DOB_WORDS)) {
    const month = MONTHS.indexOf((m[2] ?? '').slice(0, 3).toLowerCase()) + 1;
    const value = isoDate(Number(m[3]), month, Number(m[1]));
    if (value) out.push({ kind: 'dob', text: m[0], value, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, cue: 'date of birth' });
  }
  return out;
}

// OCR confuses letters and digits; in the number part of a flight introduced by "flight" they are digits.
const DIGIT_LOOKALIKES: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', i: '1', '|': '1', Z: '2', z: '2', S: '5', s: '5', B: '8', G: '6', g: '9' };
const FLIGHT_CUE = /\b(?:flight|flying(?:\s+\w+)?\s+on|booked(?:\s+on)?|flies(?:\s+out)?\s+on|travels?\s+on|trip\s+is\s+on)\s+(?:no\.?\s*|number\s*)?((?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?[0-9OoDQIlZSBG|]{2,4})\b/gi;

function flightDate(text: string, from: number): { date: string | null; dateText: string | null } {
  const window = text.slice(from, from + 80).split(/[.!?\n]\s/)[0] ?? '';
  const parsed = chrono.en.GB.parse(window, new Date(Date.UTC(2000, 0, 1)));
  const first = parsed[0];
  if (!first) return { date: null, dateText: null };
  const certain = first.start.isCertain('day') && first.start.isCertain('month');
  const y = first.start.isCertain('year') ? first.start.get('year') : null;
  const date = certain && y ? isoDate(y, first.start.get('month') ?? 0, first.start.get('day') ?? 0) : null;
  return { date, dateText: first.text };
}

function findFlights(text: string): Array<Omit<SuggestedField, 'page' | 'boxes'>> {
  const out: Array<Omit<SuggestedField, 'page' | 'boxes'>> = [];
  for (const m of text.matchAll(FLIGHT_CUE)) {
    const token = m[1] ?? '';
    const compact = token.replace(/\s/g, '');
    const designator = compact.slice(0, 2);
    const number = compact.slice(2).replace(/./g, (c) => DIGIT_LOOKALIKES[c] ?? c);
    const value = normaliseFlightNumber(designator + number);
    if (!value) continue;
    const start = (m.index ?? 0) + m[0].length - token.length;
    out.push({ kind: 'flight', text: token, value, start, end: start + token.length, cue: 'flight', ...flightDate(text, start + token.length) });
  }
  return out;
}

// Vehicles after a cue ("seen driving a silver Nissan Qashqai Y373 TVW"): any UK format (current, prefix,
// suffix, dateless) and foreign plates, as the first upper-case token mixing letters and digits.
const VEHICLE_CUE = new RegExp(`\\b(?:${ci('driving')}|${ci('drives')}|${ci('drove')}|${ci('registration')}|${ci('reg')}\\.?(?:\\s+${ci('no')}\\.?)?|VRM|${ci('number plate')})\\b`, 'g');

const UK_PLATES = [/^[A-Z]{2}\d{2}[A-Z]{3}$/, /^[A-Z]\d{1,3}[A-Z]{3}$/, /^[A-Z]{3}\d{1,3}[A-Z]$/, /^[A-Z]{1,3}\d{1,4}$/, /^\d{1,4}[A-Z]{1,3}$/];

function findVehicles(text: string): Array<Omit<SuggestedField, 'page' | 'boxes'>> {
  const out: Array<Omit<SuggestedField, 'page' | 'boxes'>> = [];
  for (const m of text.matchAll(VEHICLE_CUE)) {
    const from = (m.index ?? 0) + m[0].length;
    const window = text.slice(from, from + 60).split(/[.!?](?:\s|$)/)[0] ?? '';
    const tokens = [...window.matchAll(/[A-Z0-9]+(?![a-z])/g)].filter((t) => !/[a-z]/.test(window[(t.index ?? 0) - 1] ?? ''));
    // Single tokens and adjacent pairs ("Y373 TVW"); a UK format wins over anything else, so "Audi A4" is passed over.
    const candidates: Array<{ start: number; text: string }> = [];
    tokens.forEach((t, i) => {
      const next = tokens[i + 1];
      const s0 = t.index ?? 0;
      if (next && (next.index ?? 0) === s0 + t[0].length + 1) candidates.push({ start: s0, text: window.slice(s0, (next.index ?? 0) + next[0].length) });
      candidates.push({ start: s0, text: t[0] });
    });
    const shaped = (c: { text: string }) => {
      const v = normaliseVrm(c.text);
      return v.length >= 5 && v.length <= 8 && /[A-Z]/.test(v) && /\d/.test(v);
    };
    const best = candidates.find((c) => shaped(c) && UK_PLATES.some((re) => re.test(normaliseVrm(c.text)))) ?? candidates.find(shaped);
    if (!best) continue;
    const start = from + best.start;
    out.push({ kind: 'vrm', text: best.text, value: normaliseVrm(best.text), start, end: start + best.text.length, cue: 'vehicle' });
  }
  return out;
}

const STREET_START = /(?:\b(?:Flat|Apartment|Unit|Room)\s+\w+[,]?\s+)?\b\d+[A-Za-z]?(?:\/\d+)?,?\s+(?:[A-Z][\w'’-]*\s+){1,4}(?:Road|Street|Lane|Avenue|Drive|Close|Way|Crescent|Place|Grove|Gardens|Terrace|Court|Hill|Park|Row|Walk|Square|Parade|Rise|Mews|Green|Broadway|Vale|View|High Street)\b/gi;

/** What the words just before an address say it is: where someone lives, works, or where the offence happens. */
function addressRole(before: string): string | null {
  const b = before.toLowerCase();
  if (/\b(?:lives?|living|stays?|staying|resides?|residing|home|address is)\b[^.]*$/.test(b)) return 'home';
  if (/\b(?:works?|working|employed|job|shifts?)\b[^.]*$/.test(b)) return 'work';
  if (/\b(?:shop|premises|restaurant|takeaway|car wash|factory|warehouse|salon|nail bar|site|business|runs?)\b[^.]*$/.test(b)) return 'offence_location';
  return null;
}

function findAddresses(text: string, postcodes: Array<{ index: number; text: string }>): Array<Omit<SuggestedField, 'page' | 'boxes'>> {
  const out: Array<Omit<SuggestedField, 'page' | 'boxes'>> = [];
  for (const m of text.matchAll(STREET_START)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    // The address runs on to a postcode within the next line or so, when there is one.
    const pc = postcodes.find((p) => p.index >= end && p.index - end <= 60 && !/[.!?]\s/.test(text.slice(end, p.index)));
    const stop = pc ? pc.index + pc.text.length : end;
    const written = text.slice(start, stop);
    const role = addressRole(text.slice(Math.max(0, start - 60), start));
    out.push({ kind: 'address', text: written, value: written.replace(/\s+/g, ' ').replace(/\s+,/g, ','), start, end: stop, cue: pc ? 'street and postcode' : 'street', ...(role ? { role } : {}) });
  }
  return out;
}

/**
 * Suggestions from the text of an attachment's pages, in page order. Identical suggestions are kept once
 * per page (the first place they appear); `exclude` spans (the source's own details, see source-in-scan.ts)
 * are left out, since those belong in the restricted pane and not on the form.
 */
export function suggestFields(pages: readonly PageTextInput[], exclude: ReadonlyArray<{ page: number; start: number; end: number }> = []): SuggestedField[] {
  const out: SuggestedField[] = [];
  for (const p of pages) {
    const found: Array<Omit<SuggestedField, 'page' | 'boxes'>> = [];
    const ids = findIdentifiers(p.text);
    for (const id of ids) {
      if (id.kind === 'flight') continue; // flights come from findFlights, which also reads noisy digits and dates
      found.push({ kind: id.kind, text: id.text, value: id.value, start: id.index, end: id.index + id.text.length, cue: id.kind });
    }
    const vehicles = findVehicles(p.text);
    found.push(...findFlights(p.text));
    // Flights that stand as bare tokens ("TK2584") with no cue word, as identifiers finds them, unless the
    // token is part of a registration ("K398" of "K398 KOJ").
    for (const id of ids) {
      if (id.kind !== 'flight' || found.some((f) => f.kind === 'flight' && f.value === id.value)) continue;
      if (vehicles.some((v) => id.index < v.end && id.index + id.text.length > v.start)) continue;
      found.push({ kind: 'flight', text: id.text, value: id.value, start: id.index, end: id.index + id.text.length, cue: 'flight number', ...flightDate(p.text, id.index + id.text.length) });
    }
    found.push(...vehicles, ...findNames(p.text), ...findDobs(p.text), ...findAddresses(p.text, ids.filter((i) => i.kind === 'postcode')));
    const seen = new Set<string>();
    found.sort((a, b) => a.start - b.start);
    for (const f of found) {
      const key = `${f.kind}:${f.kind === 'name' ? foldName(f.value) : f.value}`;
      if (seen.has(key)) continue;
      if (exclude.some((x) => x.page === p.page && f.start < x.end && f.end > x.start)) continue;
      seen.add(key);
      out.push({ ...f, page: p.page, boxes: p.words ? boxesForSpan(p.words, f.start, f.end) : [] });
    }
  }
  return out;
}
