// The national order of changes, without a lock. A change's number is its writing transaction's id (xid8) times
// PER_TRANSACTION plus its place in that transaction, given in SQL as the transaction writes it: pushes number their
// changes at the same time and commit in any order. A reader serves only numbers below every transaction still
// running (the snapshot's xmin): every transaction with a smaller id has ended, so every change with a smaller number
// that will ever exist is already committed and visible (or rolled back), and one committed later always has a larger
// number. The cursor a desk keeps therefore never passes a change still to come, and stays one number.
// (Numbering from a sequence and filtering on the xid would not do: a transaction that started later can take a
// smaller number from the sequence and commit after a reader has passed it.)
import type { Queryable } from '../db/database.ts';

/** Changes one transaction may number: a push carries at most a few thousand. */
export const PER_TRANSACTION = 65_536;

/** SQL: the number before the current transaction's first change (ordinals start at 1); assigns its id. */
export const TX_BASE = `(pg_current_xact_id()::text::bigint * ${PER_TRANSACTION})`;

/** SQL: the highest number that no transaction still running can take (nor any transaction yet to start). */
export const SAFE_SEQ = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${PER_TRANSACTION} - 1)`;

/**
 * The newest change number a reader may pass: everything at or below it that will ever be committed is committed.
 * Read before the changes themselves (a later snapshot sees at least what this one knew had ended).
 */
export async function safeSeq(db: Queryable): Promise<number> {
  const [r] = await db.query<{ seq: number }>(`SELECT ${SAFE_SEQ} AS seq`);
  return Math.max(0, Number(r?.seq ?? 0));
}

/** The ordinal of a change within its transaction, checked against the room a transaction has. */
export function ordinal(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n >= PER_TRANSACTION) throw new Error(`A transaction numbers at most ${PER_TRANSACTION - 1} changes (asked for the ${n}th)`);
  return n;
}
