// Business names as reporters write them: with or without "Ltd", "&" or "and", "Hand Car Wash" or "car wash".
// The key keeps every distinctive word, so "Royal Nails" and "Royal Hand Car Wash" stay different businesses.
import { foldName } from '../text/normalise.ts';
import { jaroWinkler } from './strings.ts';

const LEGAL = new Set(['ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'co', 'company', 'the', 'and', 'uk']);
const SYNONYMS: Array<[RegExp, string]> = [
  [/\b(hand car wash|hand car valet|handwash|hand wash|car valet|carwash)\b/g, 'car wash'],
  [/\b(take away|takeaway)\b/g, 'takeaway'],
  [/\b(mini market|minimarket|mini mart)\b/g, 'minimarket'],
];

export function businessKey(name: string | null | undefined): string {
  let s = foldName((name ?? '').replace(/&/g, ' and '));
  for (const [re, to] of SYNONYMS) s = s.replace(re, to);
  return s
    .split(' ')
    .filter((t) => t && !LEGAL.has(t))
    .join(' ');
}

export type BusinessLevel = 'exact' | 'similar' | 'different';

export function compareBusinessKeys(a: string, b: string): BusinessLevel {
  if (!a || !b) return 'different';
  if (a === b) return 'exact';
  if (jaroWinkler(a.replace(/ /g, ''), b.replace(/ /g, '')) >= 0.94) return 'similar';
  return 'different';
}
