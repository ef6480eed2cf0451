// Removing a known source's identifiers from text that is not restricted. Letters, faxes and MPs' covering
// notes name the reporter (37% of cases with source details showed them outside the pane, 000 §5.8): the
// general record, the search index and exports get the redacted text; the original goes to restricted storage.
import { normalisePhone } from '../text/normalise.ts';
import { findPhonesInText } from '../text/phones-in-text.ts';

export const SOURCE_MARKER = '[source withheld]';

export interface SourceIdentifiers {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  /**
   * Further details the pane holds: the source's other contact details, and other people who reported (a letter's
   * writer recorded beside the allegation's source). Withheld like the source's own.
   */
  also?: ReadonlyArray<Omit<SourceIdentifiers, 'also'>> | null;
}

export interface Redaction {
  text: string;
  /** How many places were withheld. */
  count: number;
}

const TITLE_WORDS = 'mr|mrs|ms|miss|dr|rev|cllr|sir|dame|lord|lady|rt hon|pc|dc|ps|ds|io|cio|ho|bfo';
const TITLES = new RegExp(`^(?:${TITLE_WORDS})\\.?\\s+`, 'i');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The name without titles or police collar numbers ("PC 1234 Jane Doe" -> "Jane Doe"). */
export function bareName(name: string): string {
  let n = name.trim();
  for (let i = 0; i < 3; i++) n = n.replace(TITLES, '').replace(/^\d+\s+/, '');
  return n.trim();
}

function namePatterns(name: string): RegExp[] {
  const bare = bareName(name);
  const tokens = bare.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length < 2) return [];
  // Full name, tolerant of spacing and line breaks (OCR wraps lines), with an optional title in front.
  const full = tokens.map(escapeRegExp).join('[\\s,]+');
  return [new RegExp(`(?:\\b(?:${TITLE_WORDS})\\.?\\s+(?:\\d+\\s+)?)?\\b${full}\\b`, 'giu')];
}

function redactPhones(text: string, phone: string): Redaction {
  const target = normalisePhone(phone).national;
  if (target.length < 9) return { text, count: 0 };
  // Any way of writing the number keeps its digits after the trunk 0 together once separators are dropped;
  // when they are absent, no number in the text can be this one (and parsing every digit group is the costly
  // part of importing).
  if (!text.replace(/\D/g, '').includes(target.startsWith('0') ? target.slice(1) : target)) return { text, count: 0 };
  const hits = findPhonesInText(text).filter((p) => p.national === target);
  let out = text;
  // Replace from the end so earlier offsets stay valid.
  for (const h of hits.reverse()) out = out.slice(0, h.index) + SOURCE_MARKER + out.slice(h.index + h.text.length);
  return { text: out, count: hits.length };
}

/** Replaces every place a source's name, phone (in any format), email or street address appears (and those of `also`). */
export function redactSource(text: string, source: SourceIdentifiers): Redaction {
  const first = redactOne(text, source);
  if (!source.also?.length) return first;
  let out = first.text;
  let count = first.count;
  for (const other of source.also) {
    const r = redactOne(out, other);
    out = r.text;
    count += r.count;
  }
  return { text: out, count };
}

function redactOne(text: string, source: Omit<SourceIdentifiers, 'also'>): Redaction {
  if (!text) return { text, count: 0 };
  // Cheap necessary conditions first: a name, email or street that does not appear (ignoring case) is not
  // searched for with its regular expression.
  const lower = text.toLowerCase();
  const appears = (s: string | null | undefined) => !!s && lower.includes(s.toLowerCase());
  let out = text;
  let count = 0;
  const replaceAll = (re: RegExp) => {
    out = out.replace(re, () => {
      count++;
      return SOURCE_MARKER;
    });
  };
  if (source.email && source.email.includes('@') && appears(source.email.trim())) replaceAll(new RegExp(escapeRegExp(source.email.trim()), 'gi'));
  if (source.name && appears(bareName(source.name).split(/\s+/).at(-1))) for (const re of namePatterns(source.name)) replaceAll(re);
  if (source.phone) {
    const r = redactPhones(out, source.phone);
    out = r.text;
    count += r.count;
  }
  if (source.address) {
    const street = source.address.split(',')[0]?.trim() ?? '';
    if (street.length >= 6 && /\d/.test(street) && appears(street.split(/\s+/).at(-1))) replaceAll(new RegExp(escapeRegExp(street).replace(/\s+/g, '\\s+'), 'gi'));
  }
  return { text: out, count };
}
