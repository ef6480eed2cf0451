// Names as people write them, reduced the same way for search and for matching, so that both find the same
// people: folded tokens, and one spelling skeleton for transliterations and spelling variants.
import { foldName } from './normalise.ts';

/** Folded name tokens: lower case, no accents, letters and digits only ("Ó Brien-Smith" -> ["o", "brien", "smith"]). */
export function nameTokens(raw: string | null | undefined): string[] {
  const folded = foldName(raw);
  return folded ? folded.split(' ') : [];
}

/**
 * Spelling variations that do not change how a name sounds: ph/f, ck/k, q/k, x/ks, sch/sh, tch/ch, an aspirated
 * consonant (kh, gh, dh, th, bh), c before a, o or u as k, j as y (Jusuf/Yusuf, Jammeh/Yammeh — the commoner
 * transliteration confusion in the names this service meets), a w after a vowel that ends a syllable
 * (Chowdhury/Choudhury, but Howard keeps its w), y after a letter as i, and a closing -ie as -i.
 */
export function simplifySpelling(token: string): string {
  return token
    .replace(/[^a-z]/g, '')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/sch/g, 'sh')
    .replace(/tch/g, 'ch')
    .replace(/([kgdtb])h/g, '$1')
    .replace(/c(?=[aou])/g, 'k')
    .replace(/j/g, 'y')
    .replace(/([aeiou])w(?![aeiou])/g, '$1')
    .replace(/(.)y/g, '$1i')
    .replace(/ie$/, 'i');
}

const skeletons = new Map<string, string>();

/**
 * The spelling skeleton of a folded name token: spelling simplified, every run of vowels one vowel, doubled
 * letters single, the first letter kept. Mohamed, Muhammad and Mohammed share one; so do Chowdhury and
 * Choudhury, Quraishi and Qureshi, Yusuf and Jusuf.
 */
export function nameSkeleton(token: string): string {
  let s = skeletons.get(token);
  if (s === undefined) {
    const simple = simplifySpelling(token);
    s = simple ? (simple[0] + simple.slice(1).replace(/[aeiou]+/g, 'a')).replace(/(.)\1+/g, '$1') : '';
    if (skeletons.size > 200_000) skeletons.clear();
    skeletons.set(token, s);
  }
  return s;
}
