// A real PostgreSQL through node-postgres: a pool for queries and transactions, one dedicated connection for
// LISTEN (the live nudge reaches desks connected to any server instance).
import pg from 'pg';
import { lockKey, statements, type Database, type Queryable, type SqlValue, type Statement } from './database.ts';

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
  // Two connections for statements apart from any transaction (Database.apart). Their commits do not wait for the
  // disk: whatever uses what they wrote commits after them, and flushing that commit flushes theirs too.
  const side = new pg.Pool({ connectionString: url, max: 2, options: '-c synchronous_commit=off' });
  side.on('error', (error) => process.stderr.write(`PostgreSQL connection lost: ${error.message}\n`));
  return {
    kind: 'postgres',
    apart: wrap(side),
    query: base.query,
    exec: base.exec,
    async transaction(fn, options = {}) {
      const client = await pool.connect();
      let committed = false;
      try {
        // One simple-protocol message (no parameters: the first statement's values travel as literals): BEGIN, the
        // lock and the first statement in one round trip. Each statement of it reads after the one before, so the
        // first one sees everything committed before the lock was granted.
        const firsts = statements(options.first);
        const lock = options.lock === undefined ? [] : [`SELECT pg_advisory_xact_lock${options.shared ? '_shared' : ''}(${lockKey(options.lock)})`];
        const opening = ['BEGIN', ...lock, ...firsts.map((s) => inline(s.sql, s.params))];
        const opened = (await client.query(opening.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
        const results = Array.isArray(opened) ? opened : [opened];
        const first = results.slice(results.length - firsts.length).map((r) => r.rows as Array<Record<string, unknown>>);
        const q = wrap(client);
        const tx = {
          ...q,
          async batch<T>(list: readonly Statement[]) {
            if (committed) throw new Error('the transaction is already finished');
            if (list.length === 1) return q.query<T>((list[0] as Statement).sql, (list[0] as Statement).params);
            // One simple-protocol message: the statements run in turn, each with its own snapshot.
            const done = (await client.query(list.map((s) => inline(s.sql, s.params)).join(';\n'))) as unknown as pg.QueryResult[];
            return ((done.at(-1) as pg.QueryResult | undefined)?.rows ?? []) as T[];
          },
          async finish<T>(sql: string, params: readonly SqlValue[] = []) {
            if (committed) throw new Error('the transaction is already finished');
            committed = true;
            const done = (await client.query(`${inline(sql, params)};\nCOMMIT`)) as unknown as pg.QueryResult[];
            return (done[0] as pg.QueryResult).rows as T[];
          },
        };
        const result = await fn(tx, first);
        if (!committed) await client.query('COMMIT');
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
      await Promise.all([pool.end(), side.end()]);
    },
  };
}

/**
 * A string as an SQL literal, as node-postgres's escapeLiteral writes it (quotes doubled; with backslashes, an E''
 * string with them doubled), but with two regular-expression passes instead of its character-at-a-time building,
 * which spends seconds collecting garbage on a push's JSON document.
 */
function quote(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** A value as an SQL literal, for statements sent without parameters. */
function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return quote(value.toISOString());
  if (Array.isArray(value)) {
    // An array literal: every element quoted, with its backslashes and quotes escaped.
    return quote(`{${value.map((v: string | number) => (typeof v === 'number' ? String(v) : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`);
  }
  return quote(value as string);
}

/**
 * A statement with its $n parameters written in as literals. Only for the server's own SQL, where $n appears
 * nowhere but as a parameter, and every parameter whose type the statement does not fix carries a cast.
 */
export function inline(sql: string, params: readonly SqlValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`The statement uses $${n} but has ${params.length} parameters`);
    return literal(params[i] as SqlValue);
  });
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
