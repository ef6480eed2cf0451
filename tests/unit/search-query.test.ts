import { describe, expect, it } from 'vitest';
import { analyseQuery, analyseWord, parseSearchQuery, positiveTerms, toFtsMatch, QuerySyntaxError } from '../../shared/search/query.ts';

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
    expect(toFtsMatch('n131lb')).toBe('"n131lb"');
    expect(toFtsMatch('akram N13 1LB')).toBe('("akram" AND "n131lb")');
    expect(toFtsMatch('call 0044 (0)7914 991204 now')).toBe('("call" AND "07914991204" AND "now")');
  });

  it('escapes FTS5 syntax typed by the user', () => {
    expect(toFtsMatch('near* col:umn')).toBe('("near" AND "col umn")');
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

  it.each([
    ['07700 900123', { kind: 'id', id: 'phone', value: ['07700900123'] }],
    ['+447700900123', { kind: 'id', id: 'phone', value: ['07700900123'] }],
    ['0044 7700 900123', { kind: 'id', id: 'phone', value: ['07700900123'] }],
    ['sw1a2aa', { kind: 'id', id: 'postcode', value: ['sw1a2aa'] }],
    ['SW1A 2AA', { kind: 'id', id: 'postcode', value: ['sw1a2aa'] }],
    ['B71', { kind: 'id', id: 'district', value: ['b71'] }],
    ['AM55 LAP', { kind: 'id', id: 'vrm', value: ['am55lap'] }],
    ['H72 RFH', { kind: 'id', id: 'vrm', value: ['h72rfh'] }],
    ['TK2584', { kind: 'id', id: 'flight', value: ['tk2584'] }],
    ['BA 0098', { kind: 'id', id: 'flight', value: ['ba98'] }],
    ['J.Smith@Example.com', { kind: 'id', id: 'email', value: ['j', 'smith', 'example', 'com'] }],
  ])('reads %s as an identifier in canonical form', (q, expected) => {
    const node = analyseQuery(q);
    expect(node.kind).toBe('term');
    expect(node.kind === 'term' && node.term).toMatchObject(expected);
  });

  it('reads words as names unless they are small function words, and keeps typed spellings', () => {
    expect(analyseWord('Oyelaraan')).toMatchObject({ kind: 'word', names: ['oyelaraan'], nameLike: true });
    expect(analyseWord("O'Brien")).toMatchObject({ kind: 'word', words: ['o', 'brien'], names: ['obrien'], nameLike: true });
    expect(analyseWord('Zoë')).toMatchObject({ names: ['zoe'], nameLike: true });
    expect(analyseWord('the')).toMatchObject({ nameLike: false });
    expect(analyseWord('£350')).toMatchObject({ kind: 'word', words: ['350'], nameLike: false });
  });

  it('keeps a spaced flight number or registration together only in the shapes they are written in', () => {
    // The flight is also matched as the words typed and under its airline's ICAO code (HVN), so a record
    // holding "VN 787" in a letter is never lost to reading the query as a flight.
    expect(toFtsMatch('VN 787 Lagos')).toBe('(("vn787" OR "vn 787" OR "hvn787" OR "hvn 787") AND "lagos")');
    // Lower-case words and a number are words, not a flight.
    expect(toFtsMatch('at 10 pm')).toBe('("at" AND "10" AND "pm")');
  });

  it.each([
    ['VN 99', '("vn99" OR "vn 99" OR "hvn99" OR "hvn 99")'],
    ['VN99', '("vn99" OR "vn 99" OR "hvn99" OR "hvn 99")'],
    ['EZY 8741', '("u28741" OR "u2 8741" OR "ezy8741" OR "ezy 8741")'],
    ['U2 8741', '("u28741" OR "u2 8741" OR "ezy8741" OR "ezy 8741")'],
    ['BA 0098', '("ba98" OR "ba 98" OR "baw98" OR "baw 98" OR "ba 0098")'],
  ])('reads the flight %s under every form a record may hold it in', (q, fts) => {
    expect(toFtsMatch(q)).toBe(fts);
  });

  it('reads a district-shaped word of a real postcode area as a district, and of no area as a flight', () => {
    expect(analyseWord('LS12')).toMatchObject({ kind: 'id', id: 'district' });
    expect(analyseWord('VN99')).toMatchObject({ kind: 'id', id: 'flight', value: ['vn99'] });
  });

  it('lists the terms a record should agree with, leaving out what NOT excludes', () => {
    const terms = positiveTerms(analyseQuery('(Akram OR Akrem) N13 1LB NOT closed'));
    expect(terms.map((t) => t.text)).toEqual(['Akram', 'Akrem', 'N13 1LB']);
  });

  it('refuses NOT on one side of OR with a clear message', () => {
    expect(() => analyseQuery('akram OR NOT akrem')).toThrow(QuerySyntaxError);
    expect(() => analyseQuery('akram OR NOT akrem')).toThrow(/NOT needs something to exclude from/);
  });
});
