// The embedded default: PostgreSQL compiled to WebAssembly, its files in the server's data folder. One process
// owns the folder; PGlite runs one statement at a time, and a transaction holds it until it ends.
import { PGlite, types } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import type { Database, Queryable, SqlValue } from './database.ts';

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
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel, handler) {
      const unsubscribe = await pg.listen(channel, handler);
      return async () => unsubscribe();
    },
    close: () => pg.close(),
  };
}
