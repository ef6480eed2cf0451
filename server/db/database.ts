// The one thin database interface of the server. PGlite (PostgreSQL in WebAssembly, in a data folder: the embedded
// default) and a real PostgreSQL (through `pg`, with DATABASE_URL) both implement it, and every query is plain SQL
// that runs on both, so the same code serves a laptop and a national deployment.

export type SqlValue = string | number | boolean | null | Date | readonly string[] | readonly number[];

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Statement {
  sql: string;
  params: readonly SqlValue[];
}

export interface TransactionOptions {
  /** An advisory lock key (pg_advisory_xact_lock) to take before anything else in the transaction. */
  lock?: number;
  /** Take `lock` shared (pg_advisory_xact_lock_shared): other shared holders go on, an exclusive one waits. */
  shared?: boolean;
  /**
   * The transaction's first statements, sent with its BEGIN (and lock) in one round trip, each run after the one
   * before (so each sees what was committed before the locks of the ones before it were granted); the rows of the
   * last one are handed to the function.
   */
  first?: Statement | readonly Statement[];
}

export interface Transaction extends Queryable {
  /** Several statements in one round trip where the database allows, each run after the one before: the rows of the last. */
  batch<T = Record<string, unknown>>(statements: readonly Statement[]): Promise<T[]>;
  /**
   * The transaction's last statement, sent with its COMMIT where the database allows (one round trip): nothing may
   * be queried after it, and the transaction is committed when it returns.
   */
  finish<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

export function statements(first: TransactionOptions['first']): readonly Statement[] {
  return first === undefined ? [] : 'sql' in first ? [first] : first;
}

export function lockKey(lock: number): number {
  if (!Number.isSafeInteger(lock)) throw new Error(`Not an advisory lock key: ${lock}`);
  return lock;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * For a short statement that commits at once, apart from the transaction its caller is in (a push reserving
   * references): connections of their own on PostgreSQL, so it never waits for the pool its caller holds a
   * connection of; null on PGlite, which runs one transaction at a time, where the caller uses its transaction.
   * Its commits do not wait for the disk (synchronous_commit off): it is for what a later commit depends on, whose
   * flush flushes it too, so a crash can lose it only along with everything that used it.
   */
  readonly apart: Queryable | null;
  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. With `lock`, the
   * transaction first takes that advisory lock (held until it ends), in the same round trip as its BEGIN.
   */
  transaction<T>(fn: (tx: Transaction, first: Array<Array<Record<string, unknown>>>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Calls `handler` with each payload sent with NOTIFY on the channel (from this or any other server instance). */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Rows come back with timestamps as ISO strings and bigints as numbers on both databases. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new Error(`Not a timestamp: ${String(value)}`);
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}
