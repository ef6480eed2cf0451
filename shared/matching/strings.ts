// String similarity for matching. Jaro-Winkler and Double Metaphone come from maintained packages; the edit
// distance is written here because matching needs a *bounded* optimal-string-alignment distance (it stops as
// soon as the bound is exceeded), which is what keeps scoring hundreds of candidates within a few milliseconds.
import { jaroWinkler as jw } from '@skyra/jaro-winkler';
import { doubleMetaphone } from 'double-metaphone';

/**
 * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring): insertions,
 * deletions, substitutions and transpositions of adjacent letters each cost 1. Transpositions are the commonest
 * surname typo ("Ahmda" for "Ahmad"), which plain Levenshtein would count twice. Returns `max + 1` as soon as
 * the distance is known to exceed `max`.
 */
export function osaDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb] as number;
}

/** Jaro-Winkler similarity in [0, 1]; 1 for two empty strings. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  return jw(a, b);
}

const phoneticCache = new Map<string, readonly string[]>();

/** The Double Metaphone codes of a (folded) name token, without duplicates; cached, names repeat a lot. */
export function phoneticCodes(token: string): readonly string[] {
  let codes = phoneticCache.get(token);
  if (!codes) {
    const [p, s] = doubleMetaphone(token);
    codes = p === s || !s ? (p ? [p] : []) : p ? [p, s] : [s];
    if (phoneticCache.size > 200_000) phoneticCache.clear();
    phoneticCache.set(token, codes);
  }
  return codes;
}

export function phoneticAgree(a: string, b: string): boolean {
  const ca = phoneticCodes(a);
  const cb = phoneticCodes(b);
  for (const x of ca) if (x.length >= 2 && cb.includes(x)) return true;
  return false;
}
