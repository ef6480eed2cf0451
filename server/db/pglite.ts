// The embedded default: PostgreSQL compiled to WebAssembly, its files in the server's data folder. One process
// owns the folder; PGlite runs one statement at a time, and a transaction holds it until it ends.
import { PGlite, types } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { lockKey, statements, type Database, type Queryable, type SqlValue, type Statement } from './database.ts';

const parsers = { [types.INT8]: (v: string) => Number(v) };

export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pg = new PGlite(dataDir ?? undefined, { parsers });
  await pg.waitReady;
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const r = await q.query<T>(sql, params as unknown[]);
      return r.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    apart: null,
    query: base.query,
    exec: base.exec,
    transaction: (fn, options = {}) =>
      pg.transaction(async (tx) => {
        // In-process: a statement is no round trip, so the first and last statements simply run in turn.
        if (options.lock !== undefined) await tx.query(`SELECT pg_advisory_xact_lock${options.shared ? '_shared' : ''}($1)`, [lockKey(options.lock)]);
        const q = wrap(tx);
        const batch = async <T>(list: readonly Statement[]): Promise<T[]> => {
          let rows: T[] = [];
          for (const s of list) rows = await q.query<T>(s.sql, s.params);
          return rows;
        };
        const first: Array<Array<Record<string, unknown>>> = [];
        for (const s of statements(options.first)) first.push(await q.query(s.sql, s.params));
        return fn({ ...q, batch, finish: q.query }, first);
      }),
    async listen(channel, handler) {
      const unsubscribe = await pg.listen(channel, handler);
      return async () => unsubscribe();
    },
    close: () => pg.close(),
  };
}
