// A change's content hash is taken over canonicalChange, a quicker way to the text canonicalJson gives: the two must
// agree on every change, or a desk's retry of a change already received would be refused as a rewrite.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalChange, canonicalJson } from '../../shared/sync/canonical.ts';

// Strings of any code unit (control characters, quotes, backslashes, lone surrogates), which JSON escapes, beside
// ordinary ones, which it does not: canonicalJson writes the second kind without JSON.stringify.
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }));
const value = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.record({ b64: fc.base64String() }));
const fields = fc.dictionary(text, fc.oneof({ weight: 8, arbitrary: fc.record({ from: value, to: value }) }, { weight: 1, arbitrary: fc.anything() }));
const change = fc.record({
  hlc: text,
  entity: text,
  id: text,
  allegationId: fc.option(fc.string(), { nil: null }),
  op: fc.constantFrom('insert', 'update', 'delete'),
  fields,
  userId: fc.option(fc.string(), { nil: null }),
});

describe('canonicalChange', () => {
  it('gives the same text as canonicalJson for any change content', () => {
    fc.assert(
      fc.property(change, (c) => {
        expect(canonicalChange(c)).toBe(canonicalJson(c));
      }),
      { numRuns: 500 },
    );
  });

  it('writes strings, numbers and the values JSON has no form for exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null)), (v) => {
        expect(canonicalJson(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 2000 },
    );
    for (const odd of ['\ud800', 'a\udc00b', '😀', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', -0, Number.NaN, Infinity]) expect(canonicalJson(odd)).toBe(JSON.stringify(odd));
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
  });

  it('gives the same text for shapes it does not know: an extra key, a missing one, a key left undefined', () => {
    const c = { hlc: 'h', entity: 'note', id: 'n1', allegationId: null, op: 'insert', fields: { text: { from: null, to: 'x' } }, userId: 'u' };
    for (const odd of [{ ...c, extra: 1 }, { ...c, userId: undefined }, { hlc: 'h', entity: 'note', fields: c.fields }, { ...c, fields: { a: { from: undefined, to: 1 } } }, { ...c, fields: { a: { to: 1, from: 2, x: 3 } } }]) {
      expect(canonicalChange(odd as Record<string, unknown>)).toBe(canonicalJson(odd));
    }
  });

  it('sorts field names and from/to as canonicalJson does, whatever order they came in', () => {
    const c = { userId: 'u', op: 'update', id: 'a1', hlc: 'h', fields: { z: { to: 2, from: 1 }, a: { to: 'b', from: 'a' } }, entity: 'allegation', allegationId: 'a1' };
    expect(canonicalChange(c)).toBe('{"allegationId":"a1","entity":"allegation","fields":{"a":{"from":"a","to":"b"},"z":{"from":1,"to":2}},"hlc":"h","id":"a1","op":"update","userId":"u"}');
  });
});
