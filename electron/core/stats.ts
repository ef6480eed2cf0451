import type { Db } from '../store/db.ts';
import { CHANNELS, OFFENCE_TYPES, STATUSES, type Channel, type OffenceType, type Status } from '../../shared/domain/vocabularies.ts';

function countBy<K extends string>(db: Db, sql: string, keys: readonly K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const r of db.prepare(sql).all() as Array<{ k: K; n: number }>) if (r.k in out) out[r.k] = r.n;
  return out;
}

export function storeStats(db: Db) {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const byUnit: Record<string, number> = {};
  for (const r of db.prepare("SELECT coalesce(unit_code, 'unrouted') AS k, count(*) AS n FROM allegations GROUP BY 1").all() as Array<{ k: string; n: number }>) byUnit[r.k] = r.n;
  return {
    allegations: one('SELECT count(*) AS n FROM allegations'),
    byStatus: countBy<Status>(db, 'SELECT status AS k, count(*) AS n FROM allegations GROUP BY 1', STATUSES),
    byChannel: countBy<Channel>(db, 'SELECT channel AS k, count(*) AS n FROM allegations GROUP BY 1', CHANNELS),
    byUnit,
    byOffence: countBy<OffenceType>(db, 'SELECT offence_type AS k, count(*) AS n FROM allegation_offences WHERE removed_at IS NULL GROUP BY 1', OFFENCE_TYPES),
    subjects: one('SELECT count(*) AS n FROM subjects'),
    notes: one('SELECT count(*) AS n FROM notes'),
    attachments: one('SELECT count(*) AS n FROM attachments'),
    withSource: one('SELECT count(*) AS n FROM allegations WHERE has_source = 1'),
  };
}
