// Suggested form fields from attachment text: the people, dates of birth, addresses, postcodes, phones,
// emails, vehicles and flights a letter or fax mentions, each with the page and place it came from so the
// analyst can see it on the scan and accept it with one click. Nothing here changes the record: a person
// decides (the inspection found 28% of records held details only in attachments, and a smuggler's flight
// was missed because it was only in a scan: 000 §4.26, Figure 7).
import { airlineByIcao } from '../text/airlines.ts';
import { isCommonWord } from '../text/words.ts';
import { findIdentifiers } from '../text/identifiers.ts';
import { originalOffset, splitGluedWords } from '../text/glue.ts';
import { foldName, normaliseFlightNumber, normaliseVrm } from '../text/normalise.ts';
import { evidenceText, sentenceAt, sentenceSpans, type Span } from '../text/sentences.ts';
import { boxesForSpan, type Box, type PlacedWord } from './page-text.ts';
import { findBusinesses } from './suggest-business.ts';
import { findOffenceHints } from './suggest-offences.ts';
import { findJourneys, travelDetails } from './suggest-travel.ts';

export type SuggestionKind = 'name' | 'dob' | 'address' | 'postcode' | 'phone' | 'email' | 'vrm' | 'flight' | 'business' | 'travel' | 'offence';

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
  /** The words it came from: its sentence, or the words around it in a sentence too long to show. */
  sentence: string;
  /** For flights and travel: the travel date when the text gives one (ISO), and the words that gave it. */
  date?: string | null;
  dateText?: string | null;
  /** For flights and travel: where from and to, when the sentence says. */
  origin?: string | null;
  destination?: string | null;
  /** For names: the relation the text gives ("subject", "brother", "friend" ...). */
  role?: string;
  /** For businesses: what kind the name says it is ("car wash"). */
  businessType?: string;
}

/** What the record already says, so suggestions fit it. */
export interface SuggestContext {
  /** When the allegation was received: dates such as "on Friday" are read relative to it. */
  receivedAt?: Date | null;
  /** Subjects already on the record. With none, the first person the letter names is the subject. */
  subjectCount?: number;
}

type Found = Omit<SuggestedField, 'page' | 'boxes' | 'sentence'>;

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

const REPORT = `(?:${ci('report')}|${ci('reporting')}|${ci('writing about')}|${ci('concerned about')}|${ci('information about')})`;
const PERSON = `(?:${ci('a')}\\s+(?:${ci('man')}|${ci('woman')}|${ci('person')}|${ci('lady')}|${ci('gentleman')})\\s+${CALLED}\\s*)?`;

const NAME_CUES: Array<{ re: RegExp; cue: string; role: (m: RegExpExecArray) => string }> = [
  // "I am writing to report Marek Nowak", "I wish to report a man called Rajesh Kumar": who the letter is about.
  { re: new RegExp(`\\b${REPORT}\\s+${PERSON}${GAP}(${NAME})`, 'g'), cue: 'reported', role: () => 'subject' },
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

/** A surname OCR began with "l" for "I" ("Bogdan lonescu"): put right where the word is no English word. */
function repairNameInitials(text: string): string {
  return text.replace(/\b([A-Z][a-z]+[ \t]+)l([a-z]{2,})\b/g, (all, before: string, rest: string) => (isCommonWord(`l${rest}`) ? all : `${before}I${rest}`));
}

function findNames(raw: string): Found[] {
  const text = repairNameInitials(raw);
  const out: Found[] = [];
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

function findDobs(text: string): Found[] {
  const out: Found[] = [];
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
const FLIGHT_CUE = /\b(?:flight|flying(?:\s+\w+)?\s+on|booked(?:\s+on)?|flies(?:\s+out)?\s+on|travels?\s+on|trip\s+is\s+on)\s+(?:no\.?\s*|number\s*)?((?:[A-Z]{3}|[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?[0-9OoDQIlZSBG|]{2,4})\b/gi;

function findFlights(text: string, receivedAt: Date | null, spans: Span[]): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(FLIGHT_CUE)) {
    const token = m[1] ?? '';
    const compact = token.replace(/\s/g, '');
    // A known airline's three-letter ICAO code ("EZY874l"), else the two-character IATA code.
    const icao = /^[A-Z]{3}/i.test(compact) && airlineByIcao(compact.slice(0, 3));
    const designator = compact.slice(0, icao ? 3 : 2);
    const number = compact.slice(designator.length).replace(/./g, (c) => DIGIT_LOOKALIKES[c] ?? c);
    const value = normaliseFlightNumber(designator + number);
    if (!value) continue;
    const start = (m.index ?? 0) + m[0].length - token.length;
    out.push({ kind: 'flight', text: token, value, start, end: start + token.length, cue: 'flight', ...travelDetails(text, start, start + token.length, receivedAt, spans) });
  }
  return out;
}

// Vehicles after a cue ("seen driving a silver Nissan Qashqai Y373 TVW"): any UK format (current, prefix,
// suffix, dateless) and foreign plates, as the first upper-case token mixing letters and digits.
const VEHICLE_CUE = new RegExp(`\\b(?:${ci('driving')}|${ci('drives')}|${ci('drove')}|${ci('registration')}|${ci('reg')}\\.?(?:\\s+${ci('no')}\\.?)?|VRM|${ci('number plate')})\\b`, 'g');

const UK_PLATES = [/^[A-Z]{2}\d{2}[A-Z]{3}$/, /^[A-Z]\d{1,3}[A-Z]{3}$/, /^[A-Z]{3}\d{1,3}[A-Z]$/, /^[A-Z]{1,3}\d{1,4}$/, /^\d{1,4}[A-Z]{1,3}$/];

function findVehicles(text: string): Found[] {
  const out: Found[] = [];
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

function findAddresses(text: string, postcodes: Array<{ index: number; text: string; value: string }>): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(STREET_START)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    // The address runs on to a postcode within the next line or so, when there is one.
    const pc = postcodes.find((p) => p.index >= end && p.index - end <= 60 && !/[.!?]\s/.test(text.slice(end, p.index)));
    const stop = pc ? pc.index + pc.text.length : end;
    const written = text.slice(start, stop);
    const role = addressRole(text.slice(Math.max(0, start - 60), start));
    // The postcode as it is ("B21 0LA"), not as OCR read it ("B21 OLA").
    const value = pc ? text.slice(start, pc.index) + pc.value : written;
    out.push({ kind: 'address', text: written, value: value.replace(/\s+/g, ' ').replace(/\s+,/g, ','), start, end: stop, cue: pc ? 'street and postcode' : 'street', ...(role ? { role } : {}) });
  }
  return out;
}

/** A name's role: the relation the text gives; the first person named on a record with no subject is the subject. */
function withRoles(found: Found[], context: SuggestContext, named: { first: boolean }): void {
  for (const f of found) {
    if (f.kind !== 'name') continue;
    if (named.first && (context.subjectCount ?? 1) === 0 && (f.role === 'associate' || f.role === 'person')) f.role = 'subject';
    named.first = false;
  }
}

/** Everything suggested by one page's text (already read with glued words split). */
function suggestFromText(text: string, context: SuggestContext, spans: Span[]): Found[] {
  const receivedAt = context.receivedAt ?? null;
  const found: Found[] = [];
  const ids = findIdentifiers(text);
  for (const id of ids) {
    if (id.kind === 'flight') continue; // flights come from findFlights, which also reads noisy digits and dates
    found.push({ kind: id.kind, text: id.text, value: id.value, start: id.index, end: id.index + id.text.length, cue: id.repaired ? `${id.kind} (read through an OCR slip)` : id.kind });
  }
  const vehicles = findVehicles(text);
  found.push(...findFlights(text, receivedAt, spans));
  // Flights that stand as bare tokens ("TK2584", "EZY8741") with no cue word, as identifiers finds them, unless
  // the token is part of a registration ("K398" of "K398 KOJ").
  for (const id of ids) {
    if (id.kind !== 'flight' || found.some((f) => f.kind === 'flight' && f.value === id.value)) continue;
    if (vehicles.some((v) => id.index < v.end && id.index + id.text.length > v.start)) continue;
    found.push({ kind: 'flight', text: id.text, value: id.value, start: id.index, end: id.index + id.text.length, cue: id.airline ? `flight number (${id.airline})` : 'flight number', ...travelDetails(text, id.index, id.index + id.text.length, receivedAt, spans) });
  }
  const flights = found.filter((f) => f.kind === 'flight');
  for (const j of findJourneys(text, receivedAt, (span) => flights.some((f) => f.start >= span.start && f.start < span.end))) {
    found.push({ kind: 'travel', text: j.text, value: j.destination ?? '', start: j.start, end: j.end, cue: j.cue, date: j.date, dateText: j.dateText, origin: j.origin, destination: j.destination });
  }
  for (const b of findBusinesses(text)) found.push({ kind: 'business', text: b.text, value: b.text.replace(/\s+/g, ' '), start: b.start, end: b.end, cue: b.cue, businessType: b.type });
  // Offence words may wrap across lines ("never goes to\nclass"): read with every space alike (same offsets).
  for (const o of findOffenceHints(text.replace(/\s/g, ' '))) found.push({ kind: 'offence', text: o.text, value: o.offence, start: o.start, end: o.end, cue: 'offence words' });
  found.push(...vehicles, ...findNames(text), ...findDobs(text), ...findAddresses(text, ids.filter((i) => i.kind === 'postcode')));
  return found;
}

/**
 * Suggestions from the text of an attachment's pages, in page order, each with the page, the span and the
 * words it came from. Identical suggestions are kept once (the first place they appear); `exclude` spans (the
 * source's own details, see source-in-scan.ts) are left out, since those belong in the restricted pane and
 * not on the form. Text is read as OCR gives it: words glued together are split first, and spans point into
 * the page text as given.
 */
export function suggestFields(pages: readonly PageTextInput[], exclude: ReadonlyArray<{ page: number; start: number; end: number }> = [], context: SuggestContext = {}): SuggestedField[] {
  const out: SuggestedField[] = [];
  const seen = new Set<string>();
  const named = { first: true };
  for (const p of pages) {
    const repair = splitGluedWords(p.text);
    const text = repair.text;
    const spans = sentenceSpans(text);
    const found = suggestFromText(text, context, spans).sort((a, b) => a.start - b.start);
    const kept: Array<Found & { sentence: string }> = [];
    for (const f of found) {
      const key = `${f.kind}:${f.kind === 'name' || f.kind === 'business' ? foldName(f.value) : f.value}`;
      const start = originalOffset(repair, f.start);
      const end = originalOffset(repair, f.end);
      if (seen.has(key)) continue;
      if (exclude.some((x) => x.page === p.page && start < x.end && end > x.start)) continue;
      seen.add(key);
      kept.push({ ...f, text: p.text.slice(start, end), start, end, sentence: evidenceText(text, sentenceAt(text, f.start, spans), f.start, f.end) });
    }
    withRoles(kept, context, named);
    for (const f of kept) out.push({ ...f, page: p.page, boxes: p.words ? boxesForSpan(p.words, f.start, f.end) : [] });
  }
  return out;
}
