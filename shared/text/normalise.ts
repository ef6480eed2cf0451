// Identifiers as people write them -> one canonical form, applied on both sides (when stored and when
// searched). DESIGN.md: normalising identifiers mattered more than the search engine (phones in another
// format were found 16% of the time without it).
import { parse as parsePostcode, validOutcode, toNormalised as toNormalisedPostcode } from 'postcode';
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/min';
import { airlineByIcao, canonicalDesignator, designatorForms } from './airlines.ts';
import { UK_POSTCODE_AREAS } from './postcode-areas.ts';

export interface PostcodeParts {
  /** Full normalised postcode ("SW1A 2AA"), or null when only the outward code (or nothing usable) was given. */
  postcode: string | null;
  /** Outward code ("SW1A"), also for a partial postcode such as "B71". */
  outward: string | null;
  /** District ("SW1") — the key routing tables and fielded search use. */
  district: string | null;
  /** Area ("SW"). */
  area: string | null;
}

const EMPTY_POSTCODE: PostcodeParts = Object.freeze({ postcode: null, outward: null, district: null, area: null });

// A search reads its postcode several times (the query's words, the place it names, each hit's fields that hold
// it), and the package's parse builds every part of the postcode each time: results are remembered, within a bound.
const postcodeCache = new Map<string, PostcodeParts>();
const POSTCODE_CACHE_MAX = 20_000;

function districtOf(outward: string): string {
  // SW1A -> SW1, EC1V -> EC1; W1 stays W1
  return outward.replace(/^([A-Z]{1,2}\d+)[A-Z]$/, '$1');
}

/**
 * A UK postcode as written ("ig49af", "SW1A 2AA", "B71"); partial postcodes keep their outward code. A postcode
 * is read when its shape is a postcode's (the `postcode` package) and its area is a real UK postcode area
 * (postcode-areas.ts): "ZZ99 9ZZ" is shaped like one and names no place, so it is not read.
 */
export function parseUkPostcode(raw: string | null | undefined): PostcodeParts {
  const key = raw ?? '';
  const hit = postcodeCache.get(key);
  if (hit) return hit;
  const parts = Object.freeze(readPostcodeShape(key).parts);
  if (postcodeCache.size >= POSTCODE_CACHE_MAX) postcodeCache.clear();
  postcodeCache.set(key, parts);
  return parts;
}

function readPostcodeShape(raw: string | null | undefined): { parts: PostcodeParts; unknownArea: string | null } {
  const text = (raw ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  if (!text) return { parts: EMPTY_POSTCODE, unknownArea: null };
  let parts: PostcodeParts = EMPTY_POSTCODE;
  const full = parsePostcode(text);
  if (full.valid) parts = { postcode: full.postcode, outward: full.outcode, district: full.district, area: full.area };
  else {
    const compact = text.replace(/\s/g, '');
    if (validOutcode(compact)) parts = { postcode: null, outward: compact, district: districtOf(compact), area: compact.match(/^[A-Z]{1,2}/)?.[0] ?? null };
  }
  if (parts.area && !UK_POSTCODE_AREAS.has(parts.area)) return { parts: EMPTY_POSTCODE, unknownArea: parts.area };
  return { parts, unknownArea: null };
}

export function isValidUkPostcode(raw: string): boolean {
  return toNormalisedPostcode(raw.trim()) !== null && parseUkPostcode(raw).postcode !== null;
}

/**
 * Why a postcode as written could not be read, in words for the person who will check it; null when it reads
 * (a full postcode, or an outward code such as "B71") or is empty. The value itself is kept as written.
 */
export function postcodeProblem(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  const { parts, unknownArea } = readPostcodeShape(text);
  if (parts.outward) return null;
  if (unknownArea) return `is not a UK postcode: it is shaped like one, but ${unknownArea} is not a UK postcode area`;
  return 'is not a UK postcode (e.g. SW1A 2AA, or the first half such as B71)';
}

export interface PhoneParts {
  /** E.164 ("+447700900123") when the number parses; null otherwise. */
  e164: string | null;
  /** National significant digits with the trunk 0 for UK numbers ("07700900123"), else the E.164 digits. */
  national: string;
  valid: boolean;
}

// libphonenumber is thorough and slow; the same numbers recur (a record's phones are read for search, matching
// and redaction), so results are remembered, within a bound.
const phoneCache = new Map<string, PhoneParts>();
const PHONE_CACHE_MAX = 20_000;

/** Normalises a phone number as written; UK is the default country (07700 900123 = +44 7700 900123). */
export function normalisePhone(raw: string | null | undefined): PhoneParts {
  const key = raw ?? '';
  const hit = phoneCache.get(key);
  if (hit) return hit;
  const parts = parsePhone(key);
  if (phoneCache.size >= PHONE_CACHE_MAX) phoneCache.clear();
  phoneCache.set(key, parts);
  return parts;
}

/** Digits and the punctuation people write phone numbers with; an extension may follow ("x 204", "ext. 204"). */
const PHONE_SHAPE = /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?$/i;
/** The fewest and most digits a number dialled from the UK can have (short codes aside). */
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;

/**
 * Why a phone number as written could not be read, in words for the person who will check it; null when it
 * reads (or is empty). A number that reads may still be unallocated (PhoneParts.valid says).
 */
export function phoneProblem(raw: string | null | undefined): string | null {
  return readPhone((raw ?? '').trim()).problem;
}

/**
 * The checks of phoneProblem and, when they pass, the parsed number: one libphonenumber parse serves both (a
 * parse is the cost of reading a number; search reads every number of a query and of its results' fields).
 */
function readPhone(text: string): { problem: string | null; parsed: PhoneNumber | null } {
  if (!text) return { problem: null, parsed: null };
  const digits = text.replace(/\D/g, '');
  const problem = (p: string) => ({ problem: p, parsed: null });
  if (!digits) return problem('is not a phone number: it has no digits');
  if (/\p{L}/u.test(text.replace(/\b(?:x|ext\.?|extension)\s*\d{1,6}\s*$/i, ''))) return problem('is not a phone number: it has letters in it');
  if (!PHONE_SHAPE.test(text)) return problem('is not a phone number: it has characters a phone number does not');
  if (digits.length < MIN_PHONE_DIGITS) return problem(`is not a phone number: it has ${digits.length === 1 ? 'only 1 digit' : `only ${digits.length} digits`}`);
  if (digits.length > MAX_PHONE_DIGITS + 2) return problem(`is not a phone number: it has ${digits.length} digits`);
  const parsed = parsePhoneNumberFromString(text, 'GB');
  if (!parsed || !parsed.isPossible()) return problem('is not a phone number: no UK or international number has that many digits');
  return { problem: null, parsed };
}

function parsePhone(raw: string): PhoneParts {
  const text = raw.trim();
  const digits = text.replace(/\D/g, '');
  if (!digits) return { e164: null, national: '', valid: false };
  // A number that cannot be read keeps its digits as written: it is never rewritten into a number ("abc123"
  // must not become +44123).
  const { problem, parsed } = readPhone(text);
  if (problem || !parsed) return { e164: null, national: digits, valid: false };
  const national = parsed.countryCallingCode === '44' ? `0${parsed.nationalNumber}` : parsed.number.replace('+', '');
  return { e164: parsed.number, national, valid: parsed.isValid() };
}

/** Vehicle registration mark: upper case, no spaces or punctuation ("bw16 vto" -> "BW16VTO"). */
export function normaliseVrm(raw: string | null | undefined): string {
  return (raw ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * Flight number: airline designator + number without leading zeros ("ai 0308" -> "AI308", "W6 1873"). A
 * three-letter ICAO designator of a known airline is accepted and kept under the airline's IATA code where it
 * has one ("EZY8741" -> "U28741", "BAW 249" -> "BA249"), so a flight compares equal however it was written.
 * Returns null when the text is not shaped like a flight number.
 */
export function normaliseFlightNumber(raw: string | null | undefined): string | null {
  const compact = (raw ?? '').toUpperCase().replace(/[\s-]/g, '');
  const m = compact.match(/^([A-Z]{2}|[A-Z]\d|\d[A-Z])(\d{1,4})([A-Z]?)$/);
  if (m) return `${m[1]}${String(Number(m[2]))}${m[3] ?? ''}`;
  const icao = compact.match(/^([A-Z]{3})(\d{1,4})([A-Z]?)$/);
  if (icao && airlineByIcao(icao[1] as string)) return `${canonicalDesignator(icao[1] as string)}${String(Number(icao[2]))}${icao[3] ?? ''}`;
  return null;
}

/** A canonical flight number under every designator of its airline: "U28741" -> ["U28741", "EZY8741"]. */
export function flightNumberForms(canonical: string): string[] {
  const m = canonical.toUpperCase().match(/^([A-Z0-9]{2,3}?)(\d{1,4}[A-Z]?)$/);
  if (!m) return [canonical.toUpperCase()];
  return designatorForms(m[1] as string).map((d) => `${d}${m[2]}`);
}

export function normaliseEmail(raw: string | null | undefined): string {
  return (raw ?? '').trim().toLowerCase();
}

/** Folds case, accents and punctuation so that "O'Brien", "OBRIEN" and "Ó Brien" compare by letters. */
export function foldName(raw: string | null | undefined): string {
  return (raw ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Folds free text for indexing: accents removed, case folded, whitespace collapsed. */
export function foldText(raw: string | null | undefined): string {
  return (raw ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
