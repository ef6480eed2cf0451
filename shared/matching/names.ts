// Comparing names as people write them: the same name in another form (nickname, transliteration), with a
// typo, sounding alike, shortened, or as an initial. The result is a level, from which weights.ts makes
// evidence; names.ts says only how alike two names are, never how much that is worth.
import { nameSkeleton, nameTokens } from '../text/names.ts';
import { sameNameGroup } from './nicknames.ts';
import { jaroWinkler, osaDistance, phoneticAgree } from './strings.ts';

export const NAME_LEVELS = ['exact', 'equivalent', 'typo', 'variant', 'diminutive', 'similar', 'phonetic', 'initial', 'different'] as const;
export type NameLevel = (typeof NAME_LEVELS)[number];

/** Particles that are written or left out at will ("Al-Hasan"/"Hasan", "da Silva"/"Silva"). */
const PARTICLES = new Set(['al', 'el', 'ul', 'bin', 'ibn', 'binti', 'bint', 'abu', 'de', 'da', 'di', 'del', 'della', 'dos', 'das', 'do', 'du', 'van', 'von', 'der', 'den', 'le', 'la', 'ter', 'st']);

/** Surname tokens that carry the name: particles dropped unless nothing else is left. */
export function significantTokens(tokens: readonly string[]): string[] {
  const kept = tokens.filter((t) => !PARTICLES.has(t));
  return kept.length ? kept : [...tokens];
}

export { nameSkeleton, nameTokens };

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
