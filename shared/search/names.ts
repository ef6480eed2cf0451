// How search compares names as people write them: folded tokens, a spelling skeleton for transliterations
// (Mohammed / Muhammad / Mohamed), a coarser sound key, and a bounded Damerau (optimal string alignment)
// distance — transpositions are the commonest surname typo. Nicknames and spelling groups come from
// shared/matching/nicknames.ts (the list matching uses), so both find the same people.
import { nameSkeleton, nameTokens, simplifySpelling } from '../text/names.ts';

/** Words that are never taken for names when a query is read (they still match as words). */
export const NOT_NAMES = new Set(
  'a an and are as at be but by for from had has have he her him his i in is it its me my no not of on or our she so that the their them they this to was we were who with you'.split(' '),
);

const soundCache = new Map<string, string>();

function cached(cache: Map<string, string>, key: string, make: (k: string) => string): string {
  let v = cache.get(key);
  if (v === undefined) {
    v = make(key);
    if (cache.size > 100_000) cache.clear();
    cache.set(key, v);
  }
  return v;
}

export { nameSkeleton, nameTokens };

/**
 * A coarser sound key: the skeleton's consonants in sound classes, vowels dropped after the first letter
 * ("Tchaikovsky" and "Chaikovski" agree). Used only for the fuzzy tier, where candidates are also ranked by
 * edit distance.
 */
export function soundKey(token: string): string {
  return cached(soundCache, token, (t) => {
    const s = simplifySpelling(t);
    if (!s) return '';
    const cls = (c: string): string => {
      if ('bp'.includes(c)) return 'p';
      if ('ckgj'.includes(c)) return 'k';
      if ('dt'.includes(c)) return 't';
      if ('fvw'.includes(c)) return 'f';
      if ('szc'.includes(c)) return 's';
      if ('aeiouyh'.includes(c)) return '';
      return c;
    };
    const first = s[0] as string;
    let out = 'aeiou'.includes(first) ? 'a' : cls(first) || first;
    for (const c of s.slice(1)) {
      const k = cls(c);
      if (k && !out.endsWith(k)) out += k;
    }
    return out;
  });
}

/** How many typing errors a name of this length may carry and still be offered as a correction. */
export function allowedEdits(token: string): { corrected: number; fuzzy: number } {
  const n = token.length;
  if (n < 3) return { corrected: 0, fuzzy: 0 };
  if (n < 5) return { corrected: 1, fuzzy: 1 };
  if (n < 8) return { corrected: 1, fuzzy: 2 };
  return { corrected: 2, fuzzy: 2 };
}

/**
 * How a vocabulary name relates to a typed one. `equivalent`: the same name in another form (nickname,
 * transliteration). `corrected`: a likely typo or spelling (within the corrected edit distance, or the same
 * skeleton). `fuzzy`: further away but similar in shape or sound.
 */
export type NameTier = 'exact' | 'equivalent' | 'corrected' | 'fuzzy';
export const NAME_TIER_ORDER: Record<NameTier, number> = { exact: 0, equivalent: 1, corrected: 1, fuzzy: 2 };

export interface NameVariant {
  term: string;
  tier: NameTier;
  /** Edit distance from the typed token (0 for exact; equivalents may be far in letters). */
  distance: number;
  /** How many allegations hold the name (from the vocabulary); frequent corrections are likelier meanings. */
  count: number;
}

/** Orders variants: exact, then equivalent and corrected, then fuzzy; nearer first; then more frequent. */
export function compareVariants(a: NameVariant, b: NameVariant): number {
  return NAME_TIER_ORDER[a.tier] - NAME_TIER_ORDER[b.tier] || (a.tier === 'equivalent' ? 0 : a.distance) - (b.tier === 'equivalent' ? 0 : b.distance) || b.count - a.count || (a.term < b.term ? -1 : 1);
}
