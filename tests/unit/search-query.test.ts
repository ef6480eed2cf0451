import { describe, expect, it } from 'vitest';
import { parseSearchQuery, toFtsMatch, QuerySyntaxError } from '../../shared/search-query.ts';

describe('the search box query language', () => {
  it('ANDs plain words and quotes every term for FTS5', () => {
    expect(toFtsMatch('akram barking')).toBe('("akram" AND "barking")');
  });

  it('keeps phrases as phrases', () => {
    expect(toFtsMatch('"no papers" shah')).toBe('("no papers" AND "shah")');
  });

  it('supports OR, NOT, minus and brackets', () => {
    expect(toFtsMatch('(akram OR akrem) NOT closed')).toBe('(("akram" OR "akrem") NOT "closed")');
    expect(toFtsMatch('akram -closed')).toBe('("akram" NOT "closed")');
  });

  it('canonicalises phone numbers and postcodes typed in any format', () => {
    expect(toFtsMatch('+44 7914 991204')).toBe('"07914991204"');
    expect(toFtsMatch('07914-991-204')).toBe('"07914991204"');
    expect(toFtsMatch('n131lb')).toBe('"N131LB"');
    expect(toFtsMatch('akram N13 1LB')).toBe('("akram" AND "N131LB")');
    expect(toFtsMatch('call 0044 (0)7914 991204 now')).toBe('("call" AND "07914991204" AND "now")');
  });

  it('escapes FTS5 syntax typed by the user', () => {
    expect(toFtsMatch('near* col:umn')).toBe('("near" AND ("col" AND "umn"))');
  });

  it.each([
    ['"unbalanced', /quotation mark is not closed/],
    ['NOT', /NOT must be followed/],
    ['NOT akram', /NOT needs something to exclude from/],
    ['akram OR', /OR needs something/],
    ['(akram', /bracket is not closed/],
    ['akram)', /closing bracket/],
    ['AND akram', /AND needs something/],
    ['   ', /Type something/],
    ['***', /no words/],
  ])('%s gets a clear message', (q, message) => {
    expect(() => toFtsMatch(q)).toThrow(QuerySyntaxError);
    expect(() => toFtsMatch(q)).toThrow(message);
  });

  it('parses into a tree', () => {
    expect(parseSearchQuery('a OR b c')).toEqual({
      kind: 'or',
      items: [
        { kind: 'term', text: 'a', phrase: false },
        { kind: 'and', items: [{ kind: 'term', text: 'b', phrase: false }, { kind: 'term', text: 'c', phrase: false }] },
      ],
    });
  });
});
