// Writes a judged push (or the server's own changes) in a few multi-row statements: the log entries, the merged
// rows, the allegations' places, allocations, references, blob references and conflicts. One JSON document per
// statement (jsonb_to_recordset) instead of a round trip per row.
import type { Queryable } from '../db/database.ts';
import type { Plan } from './judge.ts';
import type { WorkingState } from './state.ts';

export const WRITE_LOCK = 7_240_002;

/**
 * Serialises the server's writers (pushes, accounts, desks, the audit chain) for the rest of the transaction, so
 * that change numbers become visible in order and the audit chain has one head.
 */
export async function lockWrites(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
}

/** Reserves `n` consecutive change numbers (under the write lock) and hands them out in order. */
export async function reserveSeqs(tx: Queryable, n: number): Promise<() => number> {
  if (n <= 0) return () => {
    throw new Error('no change numbers were reserved');
  };
  const [first] = await tx.query<{ v: number }>('SELECT nextval(\'change_seq\') AS v');
  const start = (first as { v: number }).v;
  if (n > 1) await tx.query('SELECT setval(\'change_seq\', $1)', [start + n - 1]);
  let next = start;
  return () => {
    if (next > start + n - 1) throw new Error('more change numbers used than reserved');
    return next++;
  };
}

export interface Written {
  conflictIds: Map<number, number>;
}

export async function writePlan(tx: Queryable, state: WorkingState, plan: Plan, receivedAt: Date): Promise<Written> {
  const conflictIds = new Map<number, number>();
  if (plan.entries.length) {
    await tx.query(
      `INSERT INTO change_log (seq, desk_id, desk_seq, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, content_hash, received_at,
                               status, reason, stale, scope, scope_units, scope_users, enters_units, enters_users, leaves_units, leaves_users)
       SELECT seq, desk_id, desk_seq, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, content_hash, $2,
              status, reason, stale, scope, scope_units, scope_users, enters_units, enters_users, leaves_units, leaves_users
         FROM jsonb_to_recordset($1::jsonb) AS e(seq bigint, desk_id text, desk_seq bigint, hlc text, entity text, entity_id text, allegation_id text,
              allegation_ids text[], op text, fields jsonb, user_id text, content_hash text, status text, reason text, stale text[], scope text,
              scope_units text[], scope_users text[], enters_units text[], enters_users text[], leaves_units text[], leaves_users text[])`,
      [
        JSON.stringify(
          plan.entries.map((e) => ({
            seq: e.seq,
            desk_id: e.deskId,
            desk_seq: e.deskSeq,
            hlc: e.change.hlc,
            entity: e.change.entity,
            entity_id: e.change.id,
            allegation_id: e.change.allegationId,
            allegation_ids: e.allegationIds,
            op: e.change.op,
            fields: e.change.fields,
            user_id: e.change.userId,
            content_hash: e.contentHash,
            status: e.status,
            reason: e.reason,
            stale: e.stale,
            scope: e.scope,
            scope_units: e.scopeUnits,
            scope_users: e.scopeUsers,
            enters_units: e.entersUnits,
            enters_users: e.entersUsers,
            leaves_units: e.leavesUnits,
            leaves_users: e.leavesUsers,
          })),
        ),
        receivedAt,
      ],
    );
    const rejected = plan.entries.filter((e) => e.status === 'rejected' && e.deskId);
    if (rejected.length) {
      const rows = await tx.query<{ id: number; change_seq: number }>(
        `INSERT INTO conflicts (change_seq, desk_id, user_id, allegation_id, entity, entity_id, reason, created_at)
         SELECT change_seq, desk_id, user_id, allegation_id, entity, entity_id, reason, $2
           FROM jsonb_to_recordset($1::jsonb) AS c(change_seq bigint, desk_id text, user_id text, allegation_id text, entity text, entity_id text, reason text)
         RETURNING id, change_seq`,
        [
          JSON.stringify(
            rejected.map((e) => ({
              change_seq: e.seq,
              desk_id: e.deskId,
              user_id: e.change.userId,
              allegation_id: e.change.allegationId ?? e.allegationIds[0] ?? null,
              entity: e.change.entity,
              entity_id: e.change.id,
              reason: e.reason,
            })),
          ),
          receivedAt,
        ],
      );
      for (const r of rows) conflictIds.set(r.change_seq, r.id);
    }
  }

  const rows = [...state.rows.values()].filter((r) => r.dirty);
  if (rows.length) {
    await tx.query(
      `INSERT INTO entity_rows (entity, id, scope, allegation_ids, owner_user, data, clocks, created_seq, updated_seq)
       SELECT entity, id, scope, allegation_ids, owner_user, data, clocks, created_seq, updated_seq
         FROM jsonb_to_recordset($1::jsonb) AS r(entity text, id text, scope text, allegation_ids text[], owner_user text, data jsonb, clocks jsonb, created_seq bigint, updated_seq bigint)
       ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data, clocks = excluded.clocks, updated_seq = excluded.updated_seq, owner_user = excluded.owner_user`,
      [
        JSON.stringify(
          rows.map((r) => ({ entity: r.entity, id: r.id, scope: r.scope, allegation_ids: r.allegationIds, owner_user: r.ownerUser, data: r.data, clocks: r.clocks, created_seq: r.createdSeq, updated_seq: r.updatedSeq })),
        ),
      ],
    );
  }

  const places = [...state.places.values()].filter((p) => p.dirty);
  if (places.length) {
    await tx.query(
      `INSERT INTO allegation_scope (allegation_id, unit_code, status, reference, allocated_users, updated_seq)
       SELECT allegation_id, unit_code, status, reference, allocated_users, updated_seq
         FROM jsonb_to_recordset($1::jsonb) AS p(allegation_id text, unit_code text, status text, reference text, allocated_users text[], updated_seq bigint)
       ON CONFLICT (allegation_id) DO UPDATE SET unit_code = excluded.unit_code, status = excluded.status, reference = excluded.reference,
         allocated_users = excluded.allocated_users, updated_seq = excluded.updated_seq`,
      [JSON.stringify(places.map((p) => ({ allegation_id: p.allegationId, unit_code: p.unit, status: p.status, reference: p.reference, allocated_users: p.allocatedTo, updated_seq: p.updatedSeq })))],
    );
  }

  const allocations = rows.filter((r) => r.entity === 'allocation');
  if (allocations.length) {
    await tx.query(
      `INSERT INTO allocations (id, allegation_id, user_id, allocated_at, allocated_by, ended_at, updated_seq)
       SELECT id, allegation_id, user_id, allocated_at, allocated_by, ended_at, updated_seq
         FROM jsonb_to_recordset($1::jsonb) AS a(id text, allegation_id text, user_id text, allocated_at text, allocated_by text, ended_at text, updated_seq bigint)
       ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, updated_seq = excluded.updated_seq`,
      [
        JSON.stringify(
          allocations.map((r) => ({ id: r.id, allegation_id: r.data.allegation_id, user_id: r.data.user_id, allocated_at: r.data.allocated_at, allocated_by: r.data.allocated_by, ended_at: r.data.ended_at ?? null, updated_seq: r.updatedSeq })),
        ),
      ],
    );
  }

  const years = [...state.referenceYears.entries()].filter(([, y]) => y.dirty);
  if (years.length) {
    await tx.query(
      `INSERT INTO reference_sequences (year, last) SELECT year, last FROM jsonb_to_recordset($1::jsonb) AS y(year integer, last integer)
       ON CONFLICT (year) DO UPDATE SET last = greatest(reference_sequences.last, excluded.last)`,
      [JSON.stringify(years.map(([year, y]) => ({ year, last: y.last })))],
    );
  }
  if (plan.aliases.length) {
    await tx.query(
      `INSERT INTO reference_aliases (alias, allegation_id, created_at) SELECT alias, allegation_id, $2 FROM jsonb_to_recordset($1::jsonb) AS a(alias text, allegation_id text)
       ON CONFLICT (alias) DO NOTHING`,
      [JSON.stringify(plan.aliases.map((a) => ({ alias: a.alias, allegation_id: a.allegationId }))), receivedAt],
    );
  }
  if (plan.blobRefs.length) {
    await tx.query(
      `INSERT INTO blob_refs (hash, allegation_id) SELECT hash, allegation_id FROM jsonb_to_recordset($1::jsonb) AS b(hash text, allegation_id text) ON CONFLICT DO NOTHING`,
      [JSON.stringify(plan.blobRefs.map((b) => ({ hash: b.hash, allegation_id: b.allegationId })))],
    );
  }
  return { conflictIds };
}

/** What the live nudge needs to know about a write: the newest number and whose desks it concerns. */
export function nudgeOf(plan: Plan): { latestSeq: number; units: string[]; users: string[]; national: boolean; nsu: boolean; nat: boolean; allegations: boolean } | null {
  const accepted = plan.entries.filter((e) => e.status === 'accepted');
  if (!accepted.length) return null;
  const units = new Set<string>();
  const users = new Set<string>();
  for (const e of accepted) {
    for (const u of e.scopeUnits) units.add(u);
    for (const u of e.scopeUsers) users.add(u);
  }
  return {
    latestSeq: Math.max(...accepted.map((e) => e.seq)),
    units: [...units],
    users: [...users],
    national: accepted.some((e) => e.scope === 'national'),
    nsu: accepted.some((e) => e.scope === 'nsu'),
    nat: accepted.some((e) => e.scope === 'nat'),
    allegations: accepted.some((e) => e.scope === 'allegation'),
  };
}
