// The merge rules and the scope rule shared by the server and the desks: per-field last writer by clock, union for
// append-only rows, and which desk holds which row. Property-based where the property is the point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeChange, type MergedRow, type MergeableChange } from '../../shared/sync/merge.ts';
import { deskScope, inScope, rowAllegations } from '../../shared/sync/scope.ts';
import { entitySpec } from '../../shared/sync/entities.ts';
import { formatHlc } from '../../shared/sync/hlc.ts';
import { canonicalJson } from '../../shared/sync/canonical.ts';

const fields = { merge: 'fields' as const };
const append = { merge: 'append' as const };
const hlc = (wall: number, node = 'a', counter = 0) => formatHlc({ wall, counter, node });

function applyAll(changes: readonly MergeableChange[]): MergedRow | null {
  let row: MergedRow | null = null;
  for (const c of changes) row = mergeChange(fields, row, c).row;
  return row;
}

describe('per-field merge', () => {
  it('keeps a field whose clock is newer, and says the change lost it', () => {
    const base = mergeChange(fields, null, { op: 'insert', hlc: hlc(100), fields: { a: { from: null, to: 'one' }, b: { from: null, to: 'x' } } });
    expect(base.created).toBe(true);
    const newer = mergeChange(fields, base.row, { op: 'update', hlc: hlc(300, 'b'), fields: { a: { from: 'one', to: 'three' } } });
    const older = mergeChange(fields, newer.row, { op: 'update', hlc: hlc(200, 'c'), fields: { a: { from: 'one', to: 'two' }, b: { from: 'x', to: 'y' } } });
    expect(older.row.data).toEqual({ a: 'three', b: 'y' });
    expect(older.applied).toEqual(['b']);
    expect(older.stale).toEqual(['a']);
  });

  it('gives the same row whatever order the changes arrive in (for changes of different clocks)', () => {
    const change = fc.record({
      wall: fc.integer({ min: 1, max: 50 }),
      node: fc.constantFrom('a', 'b', 'c'),
      values: fc.dictionary(fc.constantFrom('f1', 'f2', 'f3'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null)), { minKeys: 1 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(change, { minLength: 1, maxLength: 8, selector: (c) => `${c.wall}-${c.node}` }), fc.nat(), (raw, seed) => {
        const changes: MergeableChange[] = raw.map((c) => ({ op: 'update', hlc: hlc(c.wall, c.node), fields: Object.fromEntries(Object.entries(c.values).map(([k, v]) => [k, { from: null, to: v }])) }));
        const shuffled = [...changes].sort((x, y) => ((x.hlc.charCodeAt(14) * 31 + seed) % 7) - ((y.hlc.charCodeAt(14) * 31 + seed) % 7) || (x.hlc < y.hlc ? 1 : -1));
        expect(canonicalJson(applyAll(shuffled))).toBe(canonicalJson(applyAll(changes)));
        // Applying a change again changes nothing (a replayed pull).
        expect(canonicalJson(applyAll([...changes, ...changes]))).toBe(canonicalJson(applyAll(changes)));
      }),
    );
  });
});

describe('append-only merge', () => {
  it('writes a row once; the same row again is a no-op (union)', () => {
    const first = mergeChange(append, null, { op: 'append', hlc: hlc(1), fields: { text: { from: null, to: 'seen' } } });
    const again = mergeChange(append, first.row, { op: 'append', hlc: hlc(2, 'b'), fields: { text: { from: null, to: 'other' } } });
    expect(again.row).toBe(first.row);
    expect(again.applied).toEqual([]);
    expect(again.created).toBe(false);
  });
});

describe('scope', () => {
  const unitDesk = deskScope({ unit: 'WMID' }, [{ id: 'u1', role: 'analyst', unit: 'WMID' }]);
  it('gives a unit desk its unit’s allegations and its people’s allocations; national desks everything', () => {
    expect(unitDesk).toMatchObject({ allAllegations: false, units: ['WMID'], users: ['u1'], nsu: false, nat: false });
    expect(inScope(unitDesk, { scope: 'allegation', units: ['WMID'], users: [] })).toBe(true);
    expect(inScope(unitDesk, { scope: 'allegation', units: ['EMID'], users: ['u1'] })).toBe(true);
    expect(inScope(unitDesk, { scope: 'allegation', units: ['EMID'], users: ['u9'] })).toBe(false);
    expect(inScope(unitDesk, { scope: 'national', units: [], users: [] })).toBe(true);
    expect(inScope(unitDesk, { scope: 'user', units: [], users: ['u9'] })).toBe(false);
    expect(inScope(unitDesk, { scope: 'nsu', units: [], users: [] })).toBe(false);
    for (const desk of [deskScope({ unit: 'NAT' }, []), deskScope({ unit: 'NSU' }, []), deskScope({ unit: 'WMID' }, [{ id: 'm', role: 'manager', unit: null }]), deskScope({ unit: 'KSX' }, [{ id: 'x', role: 'admin', unit: null }])]) {
      expect(inScope(desk, { scope: 'allegation', units: ['EMID'], users: [] })).toBe(true);
    }
    expect(deskScope({ unit: 'NAT' }, []).nat).toBe(true);
    expect(deskScope({ unit: 'WMID' }, [{ id: 'n', role: 'nsu', unit: null }]).nsu).toBe(true);
  });

  it('reads a row’s allegations from its registry columns, or says they come from its parent', () => {
    expect(rowAllegations(entitySpec('allegation'), { id: 'A' }, {})).toEqual(['A']);
    expect(rowAllegations(entitySpec('link_judgement'), { id: 'j' }, { allegation_a: 'A', allegation_b: 'B' })).toEqual(['A', 'B']);
    expect(rowAllegations(entitySpec('attachment_page'), { attachment_id: 'x', page_no: 1 }, {})).toBeNull();
    expect(rowAllegations(entitySpec('user'), { id: 'u' }, {})).toEqual([]);
  });
});
