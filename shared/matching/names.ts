// Comparing names as people write them: the same name in another form (nickname, transliteration), with a
// typo, sounding alike, shortened, or as an initial. The result is a level, from which weights.ts makes
// evidence; names.ts says only how alike two names are, never how much that is worth.
import { foldName } from '../text/normalise.ts';
import { sameNameGroup } from './nicknames.ts';
import { jaroWinkler, osaDistance, phoneticAgree } from './strings.ts';

export const NAME_LEVELS = ['exact', 'equivalent', 'typo', 'variant', 'diminutive', 'similar', 'phonetic', 'initial', 'different'] as const;
export type NameLevel = (typeof NAME_LEVELS)[number];

/** Particles that are written or left out at will ("Al-Hasan"/"Hasan", "da Silva"/"Silva"). */
const PARTICLES = new Set(['al', 'el', 'ul', 'bin', 'ibn', 'binti', 'bint', 'abu', 'de', 'da', 'di', 'del', 'della', 'dos', 'das', 'do', 'du', 'van', 'von', 'der', 'den', 'le', 'la', 'ter', 'st']);

/** Folded name tokens: lower case, no accents, letters and digits only ("Ó Brien-Smith" -> ["o", "brien", "smith"]). */
export function nameTokens(raw: string | null | undefined): string[] {
  const folded = foldName(raw);
  return folded ? folded.split(' ') : [];
}

/** Surname tokens that carry the name: particles dropped unless nothing else is left. */
export function significantTokens(tokens: readonly string[]): string[] {
  const kept = tokens.filter((t) => !PARTICLES.has(t));
  return kept.length ? kept : [...tokens];
}

/**
 * A spelling skeleton for transliterated names: consonant digraphs simplified (kh, gh, dh, th, ph), q as k,
 * j as y (Jusuf/Yusuf, Jammeh/Yammeh), w after a vowel dropped, every run of vowels one vowel, doubled letters
 * single. Mohamed, Muhammad and Mohammed share one; so do Chowdhury and Choudhury, Quraishi and Qureshi.
 */
export function nameSkeleton(token: string): string {
  let cached = skeletons.get(token);
  if (cached === undefined) {
    cached = skeleton(token);
    if (skeletons.size > 200_000) skeletons.clear();
    skeletons.set(token, cached);
  }
  return cached;
}

const skeletons = new Map<string, string>();

function skeleton(token: string): string {
  let s = token.replace(/[^a-z]/g, '');
  if (!s) return '';
  s = s
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/q/g, 'k')
    .replace(/j/g, 'y')
    .replace(/([kgdtb])h/g, '$1')
    .replace(/([aeiou])w/g, '$1')
    .replace(/(.)y/g, '$1i');
  const first = s[0] as string;
  const rest = s.slice(1).replace(/[aeiou]+/g, 'a');
  return (first + rest).replace(/(.)\1+/g, '$1');
}

/** A shorter name that is the start of the longer one, perhaps with a pet ending: Flori/Florin, Musti/Mustafa, Vik/Vikram. */
function isDiminutive(short: string, long: string): boolean {
  if (short.length < 3 || long.length < short.length + 2) return false;
  if (long.startsWith(short)) return true;
  const stem = short.replace(/(ie|y|i|o|a|u|e)$/, '');
  return stem.length >= 3 && long.startsWith(stem);
}

/** How alike two folded name tokens are. */
export function compareNameTokens(a: string, b: string): NameLevel {
  if (!a || !b) return 'different';
  if (a === b) return 'exact';
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 'initial' : 'different';
  if (sameNameGroup(a, b)) return 'equivalent';
  const shorter = Math.min(a.length, b.length);
  const allowed = shorter >= 7 ? 2 : shorter >= 3 ? 1 : 0;
  if (allowed > 0 && osaDistance(a, b, allowed) <= allowed) return 'typo';
  if (shorter >= 3 && nameSkeleton(a) === nameSkeleton(b)) return 'variant';
  if (isDiminutive(a.length < b.length ? a : b, a.length < b.length ? b : a)) return 'diminutive';
  const jw = jaroWinkler(a, b);
  if (shorter >= 4 && jw >= 0.88) return 'similar';
  if (phoneticAgree(a, b) && jw >= 0.7) return 'phonetic';
  return 'different';
}

const RANK: Record<NameLevel, number> = { exact: 0, equivalent: 1, typo: 2, variant: 3, diminutive: 4, similar: 5, phonetic: 6, initial: 7, different: 8 };

export function betterLevel(a: NameLevel, b: NameLevel): boolean {
  return RANK[a] < RANK[b];
}

export interface TokenMatch {
  level: NameLevel;
  a: string;
  b: string;
}

/** The closest pair of tokens between two lists (first tokens win ties, being the names people use). */
export function bestTokenMatch(as: readonly string[], bs: readonly string[]): TokenMatch | null {
  let best: TokenMatch | null = null;
  for (const a of as) {
    for (const b of bs) {
      const level = compareNameTokens(a, b);
      if (!best || betterLevel(level, best.level)) best = { level, a, b };
      if (level === 'exact') return best;
    }
  }
  return best;
}

/** Two surnames written with or without spaces or hyphens ("Abdul Rahman"/"Abdulrahman") compare joined too. */
export function compareJoined(as: readonly string[], bs: readonly string[]): NameLevel {
  if (as.length < 2 && bs.length < 2) return 'different';
  const a = as.join('');
  const b = bs.join('');
  const level = compareNameTokens(a, b);
  return level === 'initial' ? 'different' : level;
}
