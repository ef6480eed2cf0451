// Identifiers as people write them -> one canonical form, applied on both sides (when stored and when
// searched). DESIGN.md: normalising identifiers mattered more than the search engine (phones in another
// format were found 16% of the time without it).
import { parse as parsePostcode, validOutcode, toNormalised as toNormalisedPostcode } from 'postcode';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { airlineByIcao, canonicalDesignator, designatorForms } from './airlines.ts';

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

const EMPTY_POSTCODE: PostcodeParts = { postcode: null, outward: null, district: null, area: null };

function districtOf(outward: string): string {
  // SW1A -> SW1, EC1V -> EC1; W1 stays W1
  return outward.replace(/^([A-Z]{1,2}\d+)[A-Z]$/, '$1');
}

/** Parses a UK postcode as written ("ig49af", "SW1A 2AA", "B71"); partial postcodes keep their outward code. */
export function parseUkPostcode(raw: string | null | undefined): PostcodeParts {
  const text = (raw ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  if (!text) return EMPTY_POSTCODE;
  const full = parsePostcode(text);
  if (full.valid) {
    return { postcode: full.postcode, outward: full.outcode, district: full.district, area: full.area };
  }
  const compact = text.replace(/\s/g, '');
  if (validOutcode(compact)) {
    const area = compact.match(/^[A-Z]{1,2}/)?.[0] ?? null;
    return { postcode: null, outward: compact, district: districtOf(compact), area };
  }
  return EMPTY_POSTCODE;
}

export function isValidUkPostcode(raw: string): boolean {
  return toNormalisedPostcode(raw.trim()) !== null;
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

function parsePhone(raw: string): PhoneParts {
  const text = raw.trim();
  const digits = text.replace(/\D/g, '');
  if (!digits) return { e164: null, national: '', valid: false };
  const parsed = parsePhoneNumberFromString(text, 'GB');
  if (parsed) {
    const national = parsed.countryCallingCode === '44' ? `0${parsed.nationalNumber}` : parsed.number.replace('+', '');
    return { e164: parsed.number, national, valid: parsed.isValid() };
  }
  return { e164: null, national: digits, valid: false };
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
