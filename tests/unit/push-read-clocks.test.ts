// A push reads a stored row's clocks only for the fields its changes set (server/sync/state.ts). A change to any
// other field of such a row must never be judged against a clock that was not read (it would always win): it is
// refused as the server's own error. Fields set earlier in the same push have their clocks in memory.
import { describe, expect, it } from 'vitest';
import { entitySpec } from '../../shared/sync/entities.ts';
import { apply } from '../../server/sync/judge.ts';
import { WorkingState, type RowState } from '../../server/sync/state.ts';

const HLC_STORED = '1796653391556-00000-deska';
const HLC_NEW = '1796653391999-00000-deskb';

function withStoredAllegation(clocksOf: ReadonlySet<string>): { state: WorkingState; row: RowState } {
  const state = new WorkingState();
  const row: RowState = {
    entity: 'allegation',
    id: 'a1',
    scope: 'allegation',
    allegationIds: ['a1'],
    ownerUser: null,
    data: { free_text: 'Stored text.', channel: 'letter' },
    clocks: { free_text: HLC_STORED },
    stored: true,
    dirty: false,
    clocksOf,
  };
  state.putRow(row);
  return { state, row };
}

const base = (fields: Record<string, { from: string | null; to: string }>) => ({
  change: { hlc: HLC_NEW, entity: 'allegation', id: 'a1', allegationId: 'a1', op: 'update' as const, fields, userId: 'u1' },
  deskId: 'd1',
  deskSeq: 1,
  allegationIds: ['a1'],
  contentHash: 'h',
  stale: [],
});

describe('a stored row read with only some of its clocks', () => {
  it('merges a change to a field whose clock was read, by that clock', () => {
    const { state, row } = withStoredAllegation(new Set(['free_text']));
    const b = base({ free_text: { from: 'Stored text.', to: 'Amended.' } });
    const entry = apply(state, entitySpec('allegation'), b.change, row, ['a1'], 1, b);
    expect(entry.stale).toEqual([]);
    expect(state.row('allegation', 'a1')?.data.free_text).toBe('Amended.');
    expect(state.row('allegation', 'a1')?.clocks.free_text).toBe(HLC_NEW);
  });

  it('refuses, as the server’s own error, to merge a change to a field whose clock it did not read', () => {
    const { state, row } = withStoredAllegation(new Set(['free_text']));
    const b = base({ channel: { from: 'letter', to: 'fax' } });
    expect(() => apply(state, entitySpec('allegation'), b.change, row, ['a1'], 1, b)).toThrow(/did not read the clock of channel in allegation a1/);
    expect(state.row('allegation', 'a1')?.data.channel).toBe('letter');
  });

  it('keeps what it read through a merge: a later change to another field of the merged row is refused too', () => {
    const { state, row } = withStoredAllegation(new Set(['free_text']));
    const first = base({ free_text: { from: 'Stored text.', to: 'Amended.' } });
    apply(state, entitySpec('allegation'), first.change, row, ['a1'], 1, first);
    const merged = state.row('allegation', 'a1') as RowState;
    const second = base({ channel: { from: 'letter', to: 'fax' } });
    expect(() => apply(state, entitySpec('allegation'), second.change, merged, ['a1'], 2, second)).toThrow(/did not read the clock of channel/);
  });
});
