// Push: this desk's change log after its cursor, in batches that end where a mutation ends (the server judges a
// mutation whole: an outcome with its decision, a closure with its sign-off). The server's answer is recorded in
// one transaction: every change it answered is marked pushed, the cursor moves to where the server says to go on,
// and each rejected change becomes a conflict for the person who made it. Sending the same batch twice is safe:
// the server answers changes it already has as it did the first time.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { MAX_PUSH, type PushResponse } from '../../shared/sync/protocol.ts';
import { cursors, saveCursors } from './state.ts';

/**
 * Changes in one push, unless a single mutation is larger. 250 rather than 500: eight desks pushing at once on two
 * cores, the server accepted more changes a second in pushes of 250 (median 3,772 against 3,488), its database
 * spent less processor on each (0.18 against 0.25 ms) and a push answered in half the time (p95 1.05 against
 * 1.8 s). docs/server.md, "Figures (issue 15), 7 December 2026: lighter writes, and the desk's push batch".
 */
export const PUSH_BATCH = 250;

interface LogRow {
  seq: number;
  hlc: string;
  entity: string;
  entity_id: string;
  allegation_id: string | null;
  op: ChangeRow['op'];
  data: string;
  user_id: string | null;
}

export function toChangeRow(r: LogRow): ChangeRow {
  return { seq: r.seq, hlc: r.hlc, entity: r.entity, id: r.entity_id, allegationId: r.allegation_id, op: r.op, fields: JSON.parse(r.data) as ChangeRow['fields'], userId: r.user_id };
}

export function changesFrom(db: Db, from: number, limit: number): ChangeRow[] {
  return (prepared(db, 'SELECT seq, hlc, entity, entity_id, allegation_id, op, data, user_id FROM changes WHERE seq >= ? ORDER BY seq LIMIT ?').all(from, limit) as LogRow[]).map(toChangeRow);
}

export function changeBySeq(db: Db, seq: number): ChangeRow | null {
  const r = prepared(db, 'SELECT seq, hlc, entity, entity_id, allegation_id, op, data, user_id FROM changes WHERE seq = ?').get(seq) as LogRow | undefined;
  return r ? toChangeRow(r) : null;
}

/** A mutation too large for one push: the desk cannot send it whole, and says so rather than split it. */
export class MutationTooLargeError extends Error {}

/**
 * The next batch to push: up to `size` changes from the cursor, extended or cut back so that it ends where a
 * mutation ends (changes of one mutation share one clock). Empty when nothing waits.
 */
export function nextBatch(db: Db, size = PUSH_BATCH): ChangeRow[] {
  const from = cursors(db).pushNext;
  const rows = changesFrom(db, from, MAX_PUSH + 1);
  if (rows.length <= size) return rows;
  let end = size;
  while (end < rows.length && (rows[end] as ChangeRow).hlc === (rows[end - 1] as ChangeRow).hlc) end++;
  if (end > MAX_PUSH) {
    end = size;
    while (end > 0 && (rows[end] as ChangeRow).hlc === (rows[end - 1] as ChangeRow).hlc) end--;
    if (end === 0) throw new MutationTooLargeError(`One change of this desk's (change ${from}) wrote more than ${MAX_PUSH} rows at once, more than the server takes in one push`);
  }
  return rows.slice(0, end);
}

export interface Rejection {
  seq: number;
  reason: string;
  conflictId: number | null;
  change: ChangeRow;
}

/**
 * Records the server's answer to a push (the caller holds the transaction): marks what it answered as pushed,
 * moves the cursor, and returns the rejected changes (recorded as conflicts by the caller).
 */
export function recordPush(db: Db, sent: readonly ChangeRow[], answer: PushResponse, at: string): Rejection[] {
  const bySeq = new Map(sent.map((c) => [c.seq, c]));
  const mark = prepared(db, 'UPDATE changes SET pushed_at = ? WHERE seq = ? AND pushed_at IS NULL');
  const rejected: Rejection[] = [];
  for (const r of answer.results) {
    mark.run(at, r.seq);
    const change = bySeq.get(r.seq) ?? changeBySeq(db, r.seq);
    if (r.status === 'rejected' && change) rejected.push({ seq: r.seq, reason: r.reason ?? 'rejected by the server', conflictId: r.conflictId, change });
  }
  const c = cursors(db);
  saveCursors(db, { ...c, pushNext: answer.nextSeq });
  return rejected;
}
