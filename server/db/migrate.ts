// Brings the database's schema up to date, one migration per transaction. Several server instances may start
// together against one PostgreSQL: an advisory lock lets one migrate while the others wait.
import type { Database } from './database.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import { UNITS } from '../../shared/domain/units.ts';

const MIGRATION_LOCK = 7_240_001;

export async function migrate(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const rows = await tx.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) throw new Error(`The database was written by a newer IMS server (schema ${current}, this version knows ${latest}): update the server`);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    // Reference data: the units, from shared/domain/units.ts, at every start.
    await tx.query(
      `INSERT INTO units (code, name, kind, region) SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(code text, name text, kind text, region text)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, region = excluded.region`,
      [JSON.stringify(UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind, region: u.region })))],
    );
    return latest;
  });
}
