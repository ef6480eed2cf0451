// A real PostgreSQL through node-postgres: a pool for queries and transactions, one dedicated connection for
// LISTEN (the live nudge reaches desks connected to any server instance).
import pg from 'pg';
import type { Database, Queryable, SqlValue } from './database.ts';

// Sequences and counts are bigint; they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that loses its connection (a database restart) must not take the server down with it.
  pool.on('error', (error) => process.stderr.write(`PostgreSQL connection lost: ${error.message}\n`));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new Error(`Cannot reach PostgreSQL at ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const r = await q.query(sql, params as unknown[]);
      return r.rows as T[];
    },
    async exec(sql: string) {
      // Without parameters node-postgres sends the simple query protocol, which runs a script of statements.
      await q.query(sql);
    },
  });
  const listeners: pg.Client[] = [];
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, handler) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', (error) => process.stderr.write(`PostgreSQL LISTEN connection lost: ${error.message}\n`));
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) handler(n.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unreadable DATABASE_URL)';
  }
}
