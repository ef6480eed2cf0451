// Identifiers found in free text (accounts, notes, attachment text): phone numbers, postcodes, vehicle
// registrations and flight numbers, each in its canonical form, so that search and matching see them whether
// they were typed into a form field or written in a letter.
import { match as matchPostcodes, validOutcode } from 'postcode';
import { normaliseFlightNumber, normaliseVrm, parseUkPostcode } from './normalise.ts';
import { findPhonesInText } from './phones-in-text.ts';

export interface FoundIdentifier {
  kind: 'phone' | 'postcode' | 'vrm' | 'flight' | 'email';
  /** As written. */
  text: string;
  /** Canonical: national digits, "SW1A 2AA", "BW16VTO", "AI308", lower-case email. */
  value: string;
  /** Offset of the text in the input. */
  index: number;
}

// Current-style UK registrations (two letters, two digits, three letters), with or without the space.
const VRM = /\b([A-Z]{2}\d{2})\s?([A-Z]{3})\b/gi;
// An airline designator and number, introduced by "flight" or standing as a token like "TK2584".
const FLIGHT = /\b(?:flight\s+(?:no\.?\s*|number\s*)?)?((?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{1,4}[A-Z]?)\b/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;

/** Words that look like flight numbers but are not (A4 paper, M25, B71 postcodes are filtered separately). */
const NOT_FLIGHTS = new Set(['A4', 'A3', 'A5', 'M1', 'M6', 'M25', 'M4', 'M5', 'M62', 'A1', 'P60', 'P45']);

export function findIdentifiers(text: string): FoundIdentifier[] {
  const out: FoundIdentifier[] = [];
  if (!text) return out;
  for (const p of findPhonesInText(text)) out.push({ kind: 'phone', text: p.text, value: p.national, index: p.index });
  const postcodeSpans: Array<[number, number]> = [];
  let from = 0;
  for (const raw of matchPostcodes(text)) {
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
  const inPostcode = (i: number) => postcodeSpans.some(([a, b]) => i >= a && i < b);
  for (const m of text.matchAll(VRM)) {
    if (inPostcode(m.index ?? 0)) continue;
    out.push({ kind: 'vrm', text: m[0], value: normaliseVrm(m[0]), index: m.index ?? 0 });
  }
  for (const m of text.matchAll(FLIGHT)) {
    const token = m[1] ?? '';
    const introduced = m[0].length > token.length;
    const value = normaliseFlightNumber(token);
    if (!value || NOT_FLIGHTS.has(value) || inPostcode(m.index ?? 0)) continue;
    // Without the word "flight", demand the shape airlines print: letters then 2-4 digits, in upper case.
    if (!introduced && !/^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4}$/.test(token)) continue;
    // Shaped like a postcode district ("B71", "BW16"): by its shape, whether or not the area exists.
    if (!introduced && /^[A-Z]{1,2}\d{1,2}$/.test(token.replace(/\s/g, '')) && validOutcode(token.replace(/\s/g, ''))) continue;
    out.push({ kind: 'flight', text: token, value, index: (m.index ?? 0) + m[0].length - token.length });
  }
  for (const m of text.matchAll(EMAIL)) out.push({ kind: 'email', text: m[0], value: m[0].toLowerCase(), index: m.index ?? 0 });
  return out.sort((a, b) => a.index - b.index);
}
