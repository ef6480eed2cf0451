// Identifiers found in free text (accounts, notes, attachment text): phone numbers, postcodes, vehicle
// registrations, flight numbers and emails, each in its canonical form, so that search and matching see them
// whether they were typed into a form field or written in a letter. Text is read as OCR gives it: words glued
// together ("onUL241") are split first (glue.ts), and a postcode OCR misread ("$65 2LU") is repaired where the
// repair is a real postcode (ocr-repair.ts).
import { match as matchPostcodes } from 'postcode';
import { airlineByIcao, airlineOf } from './airlines.ts';
import { originalOffset, splitGluedWords } from './glue.ts';
import { normaliseFlightNumber, normaliseVrm, parseUkPostcode } from './normalise.ts';
import { findRepairedPostcodes, isPostcodeArea } from './ocr-repair.ts';
import { findPhonesInText } from './phones-in-text.ts';

export type FoundKind = 'phone' | 'postcode' | 'vrm' | 'flight' | 'email';

export interface FoundIdentifier {
  kind: FoundKind;
  /** As written (in the input, so `input.slice(index, index + text.length) === text`). */
  text: string;
  /** Canonical: national digits, "SW1A 2AA", "BW16VTO", "AI308" (ICAO designators as IATA: "EZY8741" -> "U28741"), lower-case email. */
  value: string;
  /** Offset of the text in the input. */
  index: number;
  /** For flights: the airline, when the designator is one active airline's. */
  airline?: string;
  /** For postcodes read through an OCR repair: the repair made ("$" -> "S"). */
  repaired?: boolean;
}

// Current-style UK registrations (two letters, two digits, three letters), with or without the space.
const VRM = /\b([A-Z]{2}\d{2})\s?([A-Z]{3})\b/gi;
// An airline designator and number, introduced by "flight" or standing as a token like "TK2584". Three-letter
// designators ("EZY8741", "BAW 249") are kept only when they are a known airline's ICAO code.
const FLIGHT = /\b(?:flight\s+(?:no\.?\s*|number\s*)?)?((?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{1,4}[A-Z]?)\b/gi;
// Three-letter designators in capitals only (as bookings print them): read case-blind, every "was 20" would be looked up.
const ICAO_FLIGHT = /\b(?:[Ff]light\s+(?:[Nn]o\.?\s*|[Nn]umber\s*)?)?([A-Z]{3}\s?\d{1,4}[A-Z]?)\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
// A designator OCR misread ("Al 114" for AI 114), after a word that says a flight follows.
const MISREAD_FLIGHT = /\b(?:on|flight|flew|fly|flying|flies|booked)\s+(([A-Z])[l|]\s?(\d{2,4}))\b/g;

/** Words that look like flight numbers but are not (A4 paper, M25, B71 postcodes are filtered separately). */
const NOT_FLIGHTS = new Set(['A4', 'A3', 'A5', 'M1', 'M6', 'M25', 'M4', 'M5', 'M62', 'A1', 'P60', 'P45']);
/** ICAO codes that are also abbreviations on forms and letters ("DOB12/03/1980", "LTD 2020"): never a flight without the word "flight". */
const NOT_ICAO_FLIGHTS = new Set(['DOB', 'LTD', 'RTE', 'UKM', 'CSA', 'ATM', 'ADR', 'EEA', 'IRC', 'CHQ', 'NOK', 'RON', 'TEL', 'FAX', 'REF']);

function flightAt(token: string, introduced: boolean): { value: string; airline?: string } | null {
  const compact = token.replace(/\s/g, '');
  const value = normaliseFlightNumber(compact);
  if (!value || NOT_FLIGHTS.has(value)) return null;
  const designator = /^[A-Z]{3}\d/i.test(compact) ? compact.slice(0, 3).toUpperCase() : compact.slice(0, 2).toUpperCase();
  if (designator.length === 3) {
    const airline = airlineByIcao(designator);
    if (!airline) return null;
    if (!introduced) {
      // Printed in capitals as a booking shows it; a spaced code that is also a word ("SKY 12") needs "flight".
      if (token !== token.toUpperCase() || NOT_ICAO_FLIGHTS.has(designator) || !/\d{2,4}[A-Z]?$/.test(compact)) return null;
      if (/\s/.test(token) && airline.wordLike) return null;
    }
    return { value, airline: airline.name };
  }
  if (!introduced) {
    // Without the word "flight", demand the shape airlines print: letters then 2-4 digits, in upper case.
    if (!/^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4}$/.test(token)) return null;
    // "SE 12", "LS12": a postcode district of a real area, not a flight.
    if (/^[A-Z]{1,2}\d{1,2}$/.test(compact) && parseUkPostcode(token).outward && isPostcodeArea(compact.replace(/\d+$/, ''))) return null;
  }
  const airline = airlineOf(designator);
  return airline ? { value, airline: airline.name } : { value };
}

/**
 * Which kinds must be read to find `wanted` exactly as a full reading would: the kinds are read in order and a later
 * one gives way to an earlier (a repaired postcode to a phone's digits; a registration or flight to a postcode; a
 * flight to a registration), so each wanted kind needs the kinds before it that it gives way to.
 */
function kindsToRead(wanted: ReadonlySet<FoundKind> | undefined): Record<FoundKind, boolean> {
  if (!wanted) return { phone: true, postcode: true, vrm: true, flight: true, email: true };
  const flight = wanted.has('flight');
  const vrm = flight || wanted.has('vrm');
  const postcode = vrm || wanted.has('postcode');
  return { phone: postcode || wanted.has('phone'), postcode, vrm, flight, email: wanted.has('email') };
}

function findInText(text: string, read: Record<FoundKind, boolean>): FoundIdentifier[] {
  const out: FoundIdentifier[] = [];
  if (read.phone) for (const p of findPhonesInText(text)) out.push({ kind: 'phone', text: p.text, value: p.national, index: p.index });
  const postcodeSpans: Array<[number, number]> = [];
  let from = 0;
  for (const raw of read.postcode ? matchPostcodes(text) : []) {
    const index = text.indexOf(raw, from);
    from = index + raw.length;
    // Only a whole token: "BW16VT" inside the registration "BW16VTO" is not a postcode.
    if (/[A-Za-z0-9]/.test(text[index - 1] ?? '') || /[A-Za-z0-9]/.test(text[index + raw.length] ?? '')) continue;
    const pc = parseUkPostcode(raw);
    if (pc.postcode) {
      out.push({ kind: 'postcode', text: raw, value: pc.postcode, index });
      postcodeSpans.push([index, index + raw.length]);
    }
  }
  const overlapsPostcode = (a: number, b: number) => postcodeSpans.some(([s, e]) => a < e && b > s);
  for (const r of read.postcode ? findRepairedPostcodes(text) : []) {
    if (overlapsPostcode(r.index, r.index + r.text.length)) continue;
    // A repaired postcode must not be a phone's digits or a registration.
    if (out.some((o) => o.kind === 'phone' && r.index < o.index + o.text.length && r.index + r.text.length > o.index)) continue;
    out.push({ kind: 'postcode', text: r.text, value: r.value, index: r.index, repaired: true });
    postcodeSpans.push([r.index, r.index + r.text.length]);
  }
  const inPostcode = (i: number) => postcodeSpans.some(([a, b]) => i >= a && i < b);
  for (const m of read.vrm ? text.matchAll(VRM) : []) {
    if (inPostcode(m.index ?? 0)) continue;
    out.push({ kind: 'vrm', text: m[0], value: normaliseVrm(m[0]), index: m.index ?? 0 });
  }
  for (const m of read.flight ? [...text.matchAll(FLIGHT), ...text.matchAll(ICAO_FLIGHT)] : []) {
    const token = m[1] ?? '';
    const introduced = m[0].length > token.length;
    const index = (m.index ?? 0) + m[0].length - token.length;
    if (inPostcode(index)) continue;
    const flight = flightAt(token, introduced);
    if (!flight) continue;
    // "AB12 CDE": a registration, not flight AB12.
    if (out.some((o) => o.kind === 'vrm' && index >= o.index && index < o.index + o.text.length)) continue;
    out.push({ kind: 'flight', text: token, value: flight.value, index, ...(flight.airline ? { airline: flight.airline } : {}) });
  }
  for (const m of read.flight ? text.matchAll(MISREAD_FLIGHT) : []) {
    const written = m[1] as string;
    const index = (m.index ?? 0) + m[0].length - written.length;
    const value = normaliseFlightNumber(`${m[2]}I${m[3]}`);
    if (!value || out.some((o) => o.kind === 'flight' && o.index === index)) continue;
    const airline = airlineOf(`${m[2]}I`);
    out.push({ kind: 'flight', text: written, value, index, ...(airline ? { airline: airline.name } : {}) });
  }
  for (const m of read.email ? text.matchAll(EMAIL) : []) out.push({ kind: 'email', text: m[0], value: m[0].toLowerCase(), index: m.index ?? 0 });
  return out;
}

/**
 * Every identifier in the text; or, given `only`, at least every one of those kinds, the same as a full reading
 * would find (search's highlighting asks only for the kinds its query holds, and skips the other patterns).
 */
export function findIdentifiers(text: string, only?: ReadonlySet<FoundKind>): FoundIdentifier[] {
  if (!text) return [];
  const repair = splitGluedWords(text);
  const found = findInText(repair.text, kindsToRead(only));
  if (repair.inserted.length) {
    // Offsets and spans back into the text as given.
    for (const f of found) {
      const start = originalOffset(repair, f.index);
      const end = originalOffset(repair, f.index + f.text.length);
      f.index = start;
      f.text = text.slice(start, end);
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * A few lines that take every path of the reader: phones (UK, international, wrapped), postcodes (as written and
 * OCR-repaired), a registration, flights (IATA, ICAO, misread after "on"), an email, and words glued by OCR.
 */
const EVERY_PATH = [
  'Tel: 07700 900123 or +44 20 7946 0958, call on07700900123or later, fax 0121 496\n0436.',
  '55 Chapel place, Hounslow, tw5 6rh; 84 Beech Avenue, PE1 3RR; $65 2LU; SWlA 2AA.',
  'A silver Ford BW16 VTO. He flies on U2 8741, EZY8741 and BAW 249, came back on Al 114, flying onUL241 to Colombo.',
  'His friend calledAfia Mensah wrote from afia.mensah@example.org.',
].join('\n');

/**
 * Reads a text that takes every path once (twice: a pattern is compiled on its first use and compiled again,
 * to machine code, on its second), so that the one-time work of the reader — compiling its patterns, loading
 * phone metadata, building the common-word list — is done before the first search that highlights an
 * identifier, not by it. Returns what it found, so that a test can hold it to every path.
 */
export function prepareIdentifierReader(): FoundIdentifier[] {
  findIdentifiers(EVERY_PATH);
  return findIdentifiers(EVERY_PATH);
}
