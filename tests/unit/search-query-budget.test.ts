// The query parser's budget: a hostile or pasted query gets a sentence, never a stack overflow.
import { describe, expect, it } from 'vitest';
import { analyseQuery, QUERY_LIMITS, QuerySyntaxError, toFtsMatch } from '../../shared/search/query.ts';

describe('the query parser has a budget', () => {
  it('refuses 5,000 nested brackets with a sentence', () => {
    const q = `${'('.repeat(5000)}smith${')'.repeat(5000)}`;
    expect(() => analyseQuery(q)).toThrow(QuerySyntaxError);
    expect(() => analyseQuery(q)).toThrow('The query is 10,005 characters long; a query can have at most 1,000. Search for fewer words at a time.');
    const deep = `${'('.repeat(300)}smith${')'.repeat(300)}`;
    expect(() => analyseQuery(deep)).toThrow(`The query has brackets or NOTs more than ${QUERY_LIMITS.depth} deep, one inside another; simplify it (NOT NOT word is the word itself).`);
  });

  it('refuses 10,000 NOTs, and NOTs nested past the depth', () => {
    expect(() => analyseQuery(`akram ${'NOT '.repeat(10_000)}smith`)).toThrow(/characters long; a query can have at most/);
    expect(() => analyseQuery(`akram ${'NOT '.repeat(100)}smith`)).toThrow(/more than 20 deep/);
    expect(() => analyseQuery(`akram ${'-'.repeat(50)}smith`)).not.toThrow(/stack/);
  });

  it('refuses more words than a query can hold', () => {
    const words = Array.from({ length: 150 }, (_, i) => `w${i}`).join(' ');
    expect(() => analyseQuery(words)).toThrow('The query has 150 words and phrases; a query can have at most 100. Search for fewer at a time.');
    expect(() => analyseQuery(Array.from({ length: 120 }, (_, i) => `-w${i}`).join(' '))).toThrow(/120 words and phrases/);
  });

  it('still reads every query within the budget', () => {
    expect(toFtsMatch(`${'('.repeat(20)}smith${')'.repeat(20)}`)).toBe('"smith"');
    expect(toFtsMatch(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '))).toMatch(/^\("w0" AND .* AND "w99"\)$/);
    expect(toFtsMatch('akram NOT NOT smith')).toBe('("akram" NOT "smith")');
  });

  it('says what a lone -word means', () => {
    expect(() => analyseQuery('-smith')).toThrow(/-smith means NOT smith; write smith to find it/);
  });
});
