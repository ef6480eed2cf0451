// The one thin database interface of the server. PGlite (PostgreSQL in WebAssembly, in a data folder: the embedded
// default) and a real PostgreSQL (through `pg`, with DATABASE_URL) both implement it, and every query is plain SQL
// that runs on both, so the same code serves a laptop and a national deployment.

export type SqlValue = string | number | boolean | null | Date | readonly string[] | readonly number[];

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /** An advisory lock key (pg_advisory_xact_lock) to take before anything else in the transaction. */
  lock?: number;
  /** The transaction's first statement, sent with its BEGIN (and lock); its rows are handed to the function. */
  first?: { sql: string; params: readonly SqlValue[] };
}

export interface Transaction extends Queryable {
  /**
   * The transaction's last statement, sent with its COMMIT where the database allows (one round trip): nothing may
   * be queried after it, and the transaction is committed when it returns.
   */
  finish<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

export function lockKey(lock: number): number {
  if (!Number.isSafeInteger(lock)) throw new Error(`Not an advisory lock key: ${lock}`);
  return lock;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. With `lock`, the
   * transaction first takes that advisory lock (held until it ends), in the same round trip as its BEGIN.
   */
  transaction<T>(fn: (tx: Transaction, first: Array<Record<string, unknown>>) => Promise<T>, options?: TransactionOptions): Promise<T>;
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
