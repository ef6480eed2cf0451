// Removing a known source's identifiers from text that is not restricted. Letters, faxes and MPs' covering
// notes name the reporter (37% of cases with source details showed them outside the pane, 000 §5.8): the
// general record, the search index and exports get the redacted text; the original goes to restricted storage.
import { normalisePhone } from '../text/normalise.ts';
import { bareName, emailPattern, foldKeepingOffsets, namePatterns, phoneSpans, streetKey } from './source-patterns.ts';

export { bareName };

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

/** Where a pattern matches, as [start, end) spans (the text is folded, so the offsets are the original's). */
function matches(folded: string, re: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of folded.matchAll(re)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * Replaces every place a source's name, phone, email or street address appears, however it is written: names
 * reordered, with initials, accents or in capitals; phones in any spacing, split over lines, with +44, 0044 or 44;
 * emails with "[at]" and "(dot)"; streets with Rd for Road (source-patterns.ts). The details in `also` too.
 */
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
  // Cheap necessary conditions first (importing calls this for every text): a pattern is only run when the
  // word it cannot match without appears.
  const folded = foldKeepingOffsets(text);
  const spans: Array<[number, number]> = [];
  if (source.email) {
    const local = (foldKeepingOffsets(source.email.trim()).split('@')[0] ?? '').split('.').sort((a, b) => b.length - a.length)[0] ?? '';
    const re = local.length >= 2 && folded.includes(local) ? emailPattern(source.email) : null;
    if (re) spans.push(...matches(folded, re));
  }
  if (source.name) {
    const surname = foldKeepingOffsets(bareName(source.name)).split(/\s+/).at(-1) ?? '';
    if (surname.length >= 2 && folded.includes(surname.replace(/[-'].*$/, ''))) for (const re of namePatterns(source.name)) spans.push(...matches(folded, re));
  }
  if (source.phone) {
    const significant = normalisePhone(source.phone).national.replace(/^0/, '');
    if (significant.length >= 8 && text.replace(/\D/g, '').includes(significant)) spans.push(...phoneSpans(text, source.phone));
  }
  if (source.address) {
    const street = streetKey(source.address);
    if (street && street.words.every((w) => folded.includes(w))) spans.push(...matches(folded, street.pattern));
  }
  if (spans.length === 0) return { text, count: 0 };
  // Overlapping finds (a name inside a titled name) are one place withheld.
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] < last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  let out = text;
  for (const [a, b] of merged.reverse()) out = out.slice(0, a) + SOURCE_MARKER + out.slice(b);
  return { text: out, count: merged.length };
}
