// The ways people write a source's own details, as patterns over folded text (lower case, accents dropped, one
// character for one, so that a match's offsets are the original's). Issue 16 finding 4: "CLARKE, Garfield",
// "G. Clarke", "Gärfield Clarke", "447813382035", "0 7 8 1 3 3 8 2 0 3 5", a phone split over two lines,
// "clarkeg [at] icloud.com" and "53 Tottenham High Rd" all stayed in the open record.
import { normalisePhone } from '../text/normalise.ts';

/** Lower case without accents, keeping every offset: a character that does not fold to one stays as it is. */
export function foldKeepingOffsets(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c.charCodeAt(0) < 0x80) {
      out += c.toLowerCase();
      continue;
    }
    const f = c.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
    out += f.length === 1 ? f : c;
  }
  return out;
}

export const TITLE_WORDS = 'mr|mrs|ms|miss|mx|dr|rev|cllr|sir|dame|lord|lady|rt hon|pc|dc|ps|ds|io|cio|ho|bfo';
const TITLES = new RegExp(`^(?:${TITLE_WORDS})\\.?\\s+`, 'i');
/** Not preceded or followed by a letter or digit (a word boundary that knows letters beyond ASCII). */
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';
/** Between words of a name or street: spaces and at most one line break (OCR wraps lines; a blank line parts). */
const GAP = '(?:[ \\t\\u00a0]+(?:\\r?\\n[ \\t\\u00a0]*)?|\\r?\\n[ \\t\\u00a0]*)';
/** After a stop or a comma: the same, or nothing ("G.Clarke", "CLARKE,Garfield"). */
const OPT_GAP = `(?:${GAP})?`;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The name without titles or police collar numbers ("PC 1234 Jane Doe" -> "Jane Doe"). */
export function bareName(name: string): string {
  let n = name.trim();
  for (let i = 0; i < 3; i++) n = n.replace(TITLES, '').replace(/^\d+\s+/, '');
  return n.trim();
}

const word = (w: string) => escapeRegExp(w).replace(/[-']/g, "[-'\\s]?");

/**
 * A person's name as it is written: in order, with a title or a middle name or initial; surname first with a
 * comma; an initial for the first name either way round; their own title with the surname alone ("Mr Clarke",
 * never "Mrs Clarke", who may be the person reported).
 */
export function namePatterns(name: string): RegExp[] {
  const title = /^\s*([a-z]+)\.?\s/i.exec(name)?.[1]?.toLowerCase();
  const tokens = foldKeepingOffsets(bareName(name)).split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length < 2) return [];
  const first = word(tokens[0] as string);
  const last = word(tokens.at(-1) as string);
  const initial = escapeRegExp((tokens[0] as string)[0] as string);
  const middle = `(?:${GAP}[\\p{L}](?:\\.|${END})|${GAP}[\\p{L}]{2,})?`;
  const titled = `(?:(?:${TITLE_WORDS})\\.?${GAP}(?:\\d+${GAP})?)?`;
  const patterns = [
    `${titled}${START}${first}${middle}${GAP}${last}${END}`,
    `${START}${last}(?:[ \\t]*,${OPT_GAP}|${GAP})${first}${END}`,
    `${titled}${START}${initial}(?:\\.${OPT_GAP}|${GAP})(?:[\\p{L}]+(?:\\.${OPT_GAP}|${GAP})){0,2}?${last}${END}`,
    `${START}${last}(?:[ \\t]*,${OPT_GAP}|${GAP})${initial}(?:\\.|${END})`,
  ];
  if (title && new RegExp(`^(?:${TITLE_WORDS})$`).test(title) && !['pc', 'dc', 'ps', 'ds', 'io', 'cio', 'ho', 'bfo'].includes(title)) {
    patterns.push(`${START}${escapeRegExp(title)}\\.?${GAP}${last}${END}`);
  }
  return patterns.map((p) => new RegExp(p, 'gu'));
}

/** An email with "[at]", "(at)", " at ", "(dot)", " dot " and spaces around its punctuation. */
export function emailPattern(email: string): RegExp | null {
  const folded = foldKeepingOffsets(email.trim());
  const at = folded.indexOf('@');
  if (at < 1 || at === folded.length - 1) return null;
  const dot = '(?:\\s*\\.\\s*|\\s*[\\[({]\\s*dot\\s*[\\])}]\\s*|\\s+dot\\s+)';
  const atSign = '(?:\\s*@\\s*|\\s*[\\[({]\\s*at\\s*[\\])}]\\s*|\\s+at\\s+)';
  const part = (s: string) => s.split('.').map(escapeRegExp).join(dot);
  return new RegExp(`${START}${part(folded.slice(0, at))}${atSign}${part(folded.slice(at + 1))}${END}`, 'g');
}

/** Street words and their usual abbreviations. */
const STREET_WORDS: Record<string, string[]> = {
  road: ['road', 'rd'],
  street: ['street', 'st', 'str'],
  avenue: ['avenue', 'ave', 'av'],
  lane: ['lane', 'ln'],
  drive: ['drive', 'dr', 'drv'],
  close: ['close', 'cl'],
  crescent: ['crescent', 'cres', 'cresc'],
  place: ['place', 'pl'],
  terrace: ['terrace', 'terr', 'ter', 'tce'],
  gardens: ['gardens', 'gdns', 'gdn'],
  court: ['court', 'ct'],
  square: ['square', 'sq'],
  grove: ['grove', 'gr', 'gro'],
  park: ['park', 'pk'],
  way: ['way'],
  mount: ['mount', 'mt'],
  north: ['north', 'n'],
  south: ['south', 's'],
  east: ['east', 'e'],
  west: ['west', 'w'],
  saint: ['saint', 'st'],
};
const ABBREVIATION = new Map<string, string[]>();
for (const forms of Object.values(STREET_WORDS)) for (const f of forms) ABBREVIATION.set(f, [...new Set([...(ABBREVIATION.get(f) ?? []), ...forms])]);

/** The street line's distinctive words (what is not a number or a street word): a cheap test before the pattern. */
export function streetKey(address: string): { pattern: RegExp; words: string[] } | null {
  const street = foldKeepingOffsets(address.split(',')[0]?.trim() ?? '');
  const m = /^(?:(?:flat|no\.?|number)\s+)?(\d+[a-z]?)\s*,?\s+(.+)$/.exec(street);
  if (!m) return null;
  const words = (m[2] as string).split(/\s+/).map((w) => w.replace(/\.$/, '')).filter(Boolean);
  if (words.length === 0) return null;
  const alt = words.map((w) => {
    const forms = ABBREVIATION.get(w);
    // An abbreviation may take a stop; the word in full does not (its stop ends the sentence).
    return forms ? `(?:${forms.map((f) => (f.length < (forms[0] as string).length ? `${escapeRegExp(f)}\\.?` : escapeRegExp(f))).join('|')})` : word(w);
  });
  // Checked for before the pattern runs: the first letters of each word that is not a street word.
  const distinctive = words.filter((w) => !ABBREVIATION.has(w)).map((w) => w.split(/[-'\s]/)[0] as string);
  if (distinctive.length === 0) return null;
  const number = escapeRegExp(m[1] as string);
  return { pattern: new RegExp(`${START}${number}[ \\t]*,?${GAP}${alt.join(`,?${GAP}`)}${END}`, 'gu'), words: distinctive };
}

/** Where a phone number is written in the text, in any spacing, over a line break, with +44, 0044 or 44. */
export function phoneSpans(text: string, phone: string): Array<[number, number]> {
  const national = normalisePhone(phone).national;
  if (national.length < 9) return [];
  const significant = national.startsWith('0') ? national.slice(1) : national;
  // The digits of the text, each with where it stands; a run of digits is broken by anything but a few
  // separators (spaces, one line break, dashes, dots, brackets, slashes, a plus).
  const spans: Array<[number, number]> = [];
  let digits = '';
  let at: number[] = [];
  let gap = '';
  // Two digits are of different numbers only when something stands between them.
  const apart = (k: number) => (at[k] as number) - (at[k - 1] as number) > 1;
  const flush = () => {
    let from = 0;
    for (;;) {
      const i = digits.indexOf(significant, from);
      if (i < 0) break;
      const end = i + significant.length;
      from = i + 1;
      if (end < digits.length && !apart(end)) continue; // more digits follow straight on: a longer number
      const prefix = ['00440', '0044', '440', '44', '0', ''].find((p) => digits.slice(i - p.length, i) === p && (i - p.length === 0 || apart(i - p.length)));
      if (prefix === undefined) continue;
      let start = at[i - prefix.length] as number;
      if (start > 0 && text[start - 1] === '+') start--;
      spans.push([start, (at[end - 1] as number) + 1]);
      from = end;
    }
    digits = '';
    at = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c >= '0' && c <= '9') {
      digits += c;
      at.push(i);
      gap = '';
    } else if (digits && /[\s\-.()/+\u00a0]/.test(c) && gap.length < 4 && !(c === '\n' && gap.includes('\n'))) {
      gap += c;
    } else {
      flush();
      gap = '';
    }
  }
  flush();
  return spans;
}
