// The MI facts of the national record (migration 0004): one fact per allegation, computed by the desk's own
// function (shared/mi/facts.ts) from the MiSource the shared reader builds out of the allegation's synced rows
// (shared/mi/source.ts). Nothing is done on the push path: when MI is asked for, the facts catch up with the change
// log from the change number they are current to, under a lock of their own (two requests never both compute; a
// push never waits for it on PostgreSQL), a window of changes per transaction.
import { SAFE_SEQ } from '../sync/numbering.ts';
import type { Database, Queryable } from '../db/database.ts';
import { dayNumber, miFact, type MiFact } from '../../shared/mi/facts.ts';
import { MI_ENTITIES, miSourceFromRows, type MiEntity, type MiRows, type RowData } from '../../shared/mi/source.ts';

export const MI_LOCK = 7_240_020;
/** Changes of the log read per catch-up transaction, and allegations whose rows are read at once. */
const WINDOW = 20_000;
const BATCH = 500;

export interface MiFactScope {
  region?: string | null;
  unit?: string | null;
  /** UK dates of receipt, inclusive. */
  from: string;
  to: string;
}

export interface CatchUp {
  /** Facts worked out again. */
  facts: number;
  /** The change number the facts are now current to. */
  seq: number;
}

/** The rows MI reads of these allegations, by allegation and entity. */
export async function readMiRows(db: Queryable, allegationIds: readonly string[]): Promise<Map<string, MiRows>> {
  const rows = await db.query<{ entity: MiEntity; aid: string; data: RowData | string }>(
    'SELECT entity, allegation_ids[1] AS aid, data FROM entity_rows WHERE allegation_ids[1] = ANY($1) AND entity = ANY($2)',
    [allegationIds, MI_ENTITIES],
  );
  const out = new Map<string, MiRows>();
  for (const r of rows) {
    const data = typeof r.data === 'string' ? (JSON.parse(r.data) as RowData) : r.data;
    let of = out.get(r.aid);
    if (!of) out.set(r.aid, (of = {}));
    ((of[r.entity] ??= []) as RowData[]).push(data);
  }
  return out;
}

/** The facts of these allegations as the national record stands (allegations without their own row are left out). */
export async function computeFacts(db: Queryable, allegationIds: readonly string[]): Promise<MiFact[]> {
  const rows = await readMiRows(db, allegationIds);
  const facts: MiFact[] = [];
  for (const id of allegationIds) {
    const source = miSourceFromRows(id, rows.get(id) ?? {});
    if (source) facts.push(miFact(source));
  }
  return facts;
}

async function writeFacts(tx: Queryable, facts: readonly MiFact[], seq: number): Promise<void> {
  if (!facts.length) return;
  const doc = JSON.stringify(facts.map((f) => ({ allegation_id: f.allegationId, unit: f.unit, region: f.region, received_day: f.receivedDay, fact: f })));
  await tx.query(
    `INSERT INTO mi_facts (allegation_id, unit, region, received_day, fact, updated_seq)
       SELECT x.allegation_id, x.unit, x.region, x.received_day, x.fact, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(allegation_id text, unit text, region text, received_day integer, fact jsonb)
     ON CONFLICT (allegation_id) DO UPDATE SET unit = excluded.unit, region = excluded.region, received_day = excluded.received_day, fact = excluded.fact, updated_seq = excluded.updated_seq`,
    [doc, seq],
  );
}

/**
 * Brings the facts up to date with every change committed so far. It reads only up to the number below every
 * transaction still running (sync/numbering.ts), which no change committed later can fall under, so "current to N"
 * means every change up to N is counted.
 */
export async function catchUpMiFacts(db: Database): Promise<CatchUp> {
  let facts = 0;
  for (;;) {
    const step = await db.transaction(
      async (tx) => {
        const [p] = await tx.query<{ seq: number | string }>('SELECT seq FROM mi_progress WHERE id = 1');
        const from = Number(p?.seq ?? 0);
        const [m] = await tx.query<{ seq: number | string | null }>(`SELECT least((SELECT max(seq) FROM change_log), ${SAFE_SEQ}) AS seq`);
        const last = Number(m?.seq ?? 0);
        if (last <= from) return { facts: 0, seq: from, done: true };
        // WINDOW changes at a time (numbers are far apart: numbering.ts), or up to the last.
        const [w] = await tx.query<{ seq: number | string }>('SELECT seq FROM change_log WHERE seq > $1 AND seq <= $2 ORDER BY seq OFFSET $3 LIMIT 1', [from, last, WINDOW - 1]);
        const to = w ? Number(w.seq) : last;
        const touched = await tx.query<{ id: string }>(
          `SELECT DISTINCT unnest(allegation_ids) AS id FROM change_log WHERE seq > $1 AND seq <= $2 AND status = 'accepted' AND entity = ANY($3)`,
          [from, to, MI_ENTITIES],
        );
        const ids = touched.map((t) => t.id);
        let n = 0;
        for (let i = 0; i < ids.length; i += BATCH) {
          const batch = await computeFacts(tx, ids.slice(i, i + BATCH));
          await writeFacts(tx, batch, to);
          n += batch.length;
        }
        await tx.query('UPDATE mi_progress SET seq = $1 WHERE id = 1', [to]);
        return { facts: n, seq: to, done: to === last };
      },
      { lock: MI_LOCK },
    );
    facts += step.facts;
    if (step.done) return { facts, seq: step.seq };
  }
}

/** The facts in scope, as stored (call catchUpMiFacts first). */
export async function readFacts(db: Queryable, scope: MiFactScope): Promise<MiFact[]> {
  const where = ['received_day BETWEEN $1 AND $2'];
  const params: Array<string | number> = [dayNumber(scope.from), dayNumber(scope.to)];
  if (scope.unit) {
    where.push('unit = $3');
    params.push(scope.unit);
  } else if (scope.region) {
    where.push('region = $3');
    params.push(scope.region);
  }
  const rows = await db.query<{ fact: MiFact | string }>(`SELECT fact FROM mi_facts WHERE ${where.join(' AND ')}`, params);
  return rows.map((r) => (typeof r.fact === 'string' ? (JSON.parse(r.fact) as MiFact) : r.fact));
}

/** The earliest UK day of receipt held nationally (the default start of a period). */
export async function firstDay(db: Queryable): Promise<string | null> {
  const [r] = await db.query<{ day: number | null }>('SELECT min(received_day) AS day FROM mi_facts');
  if (!r?.day) return null;
  const d = String(r.day);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}
