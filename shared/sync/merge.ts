// How a change merges into the current row, the same on the server and on every desk (DESIGN.md, "Sync"):
// - 'fields' entities: each field on its own, last writer by hybrid logical clock. A field whose clock is newer
//   than the change keeps its value: the change is still stored, and says which fields lost ("stale").
//   Equal clocks come from one mutation on one desk, applied in that desk's order: the later one wins.
// - 'append' entities: a row is written once; the union of every desk's rows. Writing it again changes nothing.
import type { FieldValue } from './changes.ts';
import type { EntitySpec } from './entities.ts';

export interface MergedRow {
  data: Record<string, FieldValue>;
  /** Per-field clocks (an append row has one clock, the same for every field). */
  clocks: Record<string, string>;
}

export interface MergeResult {
  row: MergedRow;
  /** Fields that took the change's value. */
  applied: string[];
  /** Fields where a newer write already stands. */
  stale: string[];
  created: boolean;
}

export interface MergeableChange {
  op: 'insert' | 'update' | 'append';
  hlc: string;
  fields: Readonly<Record<string, { from: FieldValue; to: FieldValue }>>;
}

export function mergeChange(spec: Pick<EntitySpec, 'merge'>, current: MergedRow | null, change: MergeableChange): MergeResult {
  if (spec.merge === 'append') {
    if (current) return { row: current, applied: [], stale: [], created: false };
    const data: Record<string, FieldValue> = {};
    const clocks: Record<string, string> = {};
    for (const [f, v] of Object.entries(change.fields)) {
      data[f] = v.to;
      clocks[f] = change.hlc;
    }
    return { row: { data, clocks }, applied: Object.keys(data), stale: [], created: true };
  }
  const data: Record<string, FieldValue> = { ...(current?.data ?? {}) };
  const clocks: Record<string, string> = { ...(current?.clocks ?? {}) };
  const applied: string[] = [];
  const stale: string[] = [];
  for (const [f, v] of Object.entries(change.fields)) {
    const clock = clocks[f];
    if (clock === undefined || change.hlc >= clock) {
      data[f] = v.to;
      clocks[f] = change.hlc;
      applied.push(f);
    } else {
      stale.push(f);
    }
  }
  return { row: { data, clocks }, applied, stale, created: current === null };
}
