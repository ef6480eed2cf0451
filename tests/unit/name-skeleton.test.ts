// Search and matching claim to find the same people, so they reduce names the same way: one spelling skeleton,
// one set of rules, and a name written two ways is a variant to both.
import { describe, expect, it } from 'vitest';
import { nameSkeleton as searchSkeleton, nameTokens as searchTokens } from '../../shared/search/names.ts';
import { compareNameTokens, nameSkeleton as matchingSkeleton, nameTokens as matchingTokens } from '../../shared/matching/names.ts';

const SAME = [
  ['mohammed', 'muhammad'],
  ['mohamed', 'muhammad'],
  ['chowdhury', 'choudhury'],
  ['quraishi', 'qureshi'],
  ['jusuf', 'yusuf'],
  ['jammeh', 'yammeh'],
  ['schmidt', 'shmidt'],
  ['aleksandra', 'alexandra'],
  ['katarzyna', 'catarzyna'],
  ['tchaikovsky', 'chaikovski'],
  ['philippa', 'filippa'],
  ['khalid', 'kalid'],
] as const;

const DIFFERENT = [
  ['howard', 'hoard'],
  ['smith', 'smyth-jones'],
  ['ahmed', 'ahmadi'],
  ['jones', 'james'],
] as const;

describe('one spelling skeleton for search and matching', () => {
  it('is the same function on both sides', () => {
    expect(searchSkeleton).toBe(matchingSkeleton);
    expect(searchTokens).toBe(matchingTokens);
  });

  it.each(SAME)('reads %s and %s as one name', (a, b) => {
    expect(searchSkeleton(a)).toBe(searchSkeleton(b));
    expect(['exact', 'equivalent', 'typo', 'variant']).toContain(compareNameTokens(a, b));
  });

  it.each(DIFFERENT)('keeps %s and %s apart', (a, b) => {
    expect(searchSkeleton(a)).not.toBe(searchSkeleton(b));
  });
});
