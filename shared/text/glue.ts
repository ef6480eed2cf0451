// Words OCR glued together by dropping the space between them: "calledAfia Mensah", "onUL241", "on07700900123",
// "EZY8741on Friday". On 2,900 attachment-only facts of an unseen corpus, 32 of 36 misses were glued words
// (issue 17). A glued point is split only where the split is likely: a common English word (by frequency,
// vendored from a published list) meets a capitalised name, an identifier or a number, and the left part is
// not a name prefix ("McDonald", "MacKenzie", "DeSouza", "LaToya" stay whole).
import { commonWordRank } from './words.ts';

/** Prefixes of surnames and given names written with an inner capital. */
const NAME_PREFIXES = new Set(['mc', 'mac', 'de', 'di', 'da', 'du', 'la', 'le', 'van', 'von', 'der', 'den', 'del', 'della', 'dos', 'das', 'al', 'el', 'o', 'st', 'fitz', 'ben', 'bin', 'ibn', 'abu', 'ter', 'ten', 'san', 'santa']);
/** A capitalised left part ("OnUL241" at a line start) must be among this many most frequent words. */
const CAPITALISED_LEFT_RANK = 600;
/** Units and ordinals written straight after a number ("7am", "14th", "20kg"). */
const AFTER_NUMBER = /^(?:st|nd|rd|th|am|pm|kg|km|mph|ml|mm|cm|hrs?|mins?|yrs?|lbs?|x|s|k|m|p)$/i;

export interface GlueRepair {
  /** The text with a space inserted at each glued point (the input itself when there were none). */
  text: string;
  /** Positions in `text` of the inserted spaces, ascending. */
  inserted: number[];
}

/** A glued point at `i` (between text[i-1] and text[i]) inside the token text[start..end). */
function gluedAt(text: string, start: number, i: number, end: number): boolean {
  const left = text.slice(start, i);
  const right = text.slice(i, end);
  const prev = text[i - 1] as string;
  const cur = text[i] as string;
  if (/\p{Ll}/u.test(prev) && /\p{Lu}/u.test(cur)) {
    // A word, then a capitalised name or an identifier ("Afia", "UL241", "EZY8741", "RE").
    if (left.length < 2 || !/^\p{L}+$/u.test(left) || NAME_PREFIXES.has(left.toLowerCase())) return false;
    // Each branch checks shapes before the word list: the list is built on first use (milliseconds), which nothing
    // should pay for text that cannot be glued ("tw5 6rh", a postcode typed in lower case, highlighted by search).
    if (!(/^\p{Lu}\p{Ll}+/u.test(right) || /^\p{Lu}{2,}/u.test(right) || /^\p{Lu}+\d/u.test(right))) return false;
    const lowerLeft = /^\p{Ll}+$/u.test(left);
    const capitalisedLeft = /^\p{Lu}\p{Ll}+$/u.test(left);
    if (!lowerLeft && !capitalisedLeft) return false;
    const rank = commonWordRank(left);
    return rank !== null && (lowerLeft || rank < CAPITALISED_LEFT_RANK);
  }
  if (/\p{Ll}/u.test(prev) && /\d/.test(cur)) {
    // "on07700900123", "flight241": a common word, then a number of at least three digits.
    const word = left.match(/\p{L}+$/u)?.[0] ?? '';
    if (word.length !== left.length || word.length < 2 || !/^\p{Ll}+$/u.test(word)) return false;
    return /^\d{3}/.test(right) && commonWordRank(word) !== null;
  }
  if (/\d/.test(prev) && /\p{Ll}/u.test(cur)) {
    // "UL241from", "07700900123or": a number, then a common word that is not a unit or an ordinal.
    const word = right.match(/^\p{Ll}+/u)?.[0] ?? '';
    if (word.length !== right.length || word.length < 2 || AFTER_NUMBER.test(word)) return false;
    return /\d{2}$/.test(left) && commonWordRank(word) !== null;
  }
  return false;
}

// Where a lower-case letter meets a capital or a digit, or a digit meets a lower-case letter: the only places
// two words can have been glued (found directly, so text without them costs one scan).
const TRANSITION = /\p{Ll}(?=[\p{Lu}\d])|\d(?=\p{Ll})/gu;

/** Splits words OCR glued together where a common word meets a name, an identifier or a number. */
export function splitGluedWords(text: string): GlueRepair {
  const cuts: number[] = [];
  for (const m of text.matchAll(TRANSITION)) {
    const i = (m.index ?? 0) + 1;
    let start = i - 1;
    while (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1] as string)) start--;
    let end = i + 1;
    while (end < text.length && /[\p{L}\p{N}]/u.test(text[end] as string)) end++;
    if (gluedAt(text, start, i, end)) cuts.push(i);
  }
  if (!cuts.length) return { text, inserted: [] };
  let out = '';
  let from = 0;
  const inserted: number[] = [];
  for (const c of cuts) {
    out += text.slice(from, c);
    inserted.push(out.length);
    out += ' ';
    from = c;
  }
  out += text.slice(from);
  return { text: out, inserted };
}

/** Maps a position in a repaired text back to the original (an inserted space maps to the place it was put). */
export function originalOffset(repair: GlueRepair, index: number): number {
  let before = 0;
  for (const at of repair.inserted) {
    if (at < index) before++;
    else break;
  }
  return index - before;
}
