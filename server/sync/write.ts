// Writes a judged push (or the server's own changes) in one statement: the log entries, the merged rows, the
// allegations' places, allocations, references, blob references and conflicts, and with a push the desk's progress,
// its audit entry and the live nudge. One JSON document (jsonb_to_recordset) instead of a round trip per row or table.
import type { Queryable, SqlValue, Transaction } from '../db/database.ts';
import type { AuditRecord } from '../store/audit.ts';
import type { Plan } from './judge.ts';
import { NUDGE_CHANNEL } from './nudge.ts';
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

/** What a push writes with its plan, in the same statement: the desk's progress, its audit entry, the nudge. */
export interface WriteExtras {
  desk?: { id: string; lastSeq: number; at: Date };
  audit?: AuditRecord;
  /** NOTIFY payload (sent on commit). */
  nudge?: string | null;
  /** The change sequence moves on to this number (the push took its numbers from what it read under the lock). */
  seqUpTo?: number;
  /** This is the transaction's last statement: sent with its COMMIT. */
  finish?: boolean;
}

/**
 * Writes a plan in one statement: a data-modifying CTE per table, fed from one JSON document. A push (250 changes
 * and their merged rows) is one round trip under the write lock instead of one per table.
 */
export async function writePlan(tx: Queryable | Transaction, state: WorkingState, plan: Plan, receivedAt: Date, extras: WriteExtras = {}): Promise<Written> {
  const params: SqlValue[] = [];
  const p = (value: SqlValue) => {
    params.push(value);
    return `$${params.length}`;
  };
  const doc: Record<string, unknown[]> = {};
  const ctes: string[] = [];
  // The document and the time are parameters only once a statement uses them (an unused one has no type).
  let docParam: string | null = null;
  let atParam: string | null = null;
  const part = (name: string, rows: unknown[], sql: (input: string) => string) => {
    if (!rows.length) return;
    doc[name] = rows;
    docParam ??= p('');
    ctes.push(`${name} AS (${sql(`(SELECT d -> '${name}' FROM doc)`)})`);
  };
  const at = () => (atParam ??= `${p(receivedAt)}::timestamptz`);

  part(
    'log',
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
    (input) => `INSERT INTO change_log (seq, desk_id, desk_seq, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, content_hash, received_at,
                               status, reason, stale, scope, scope_units, scope_users, enters_units, enters_users, leaves_units, leaves_users)
       SELECT seq, desk_id, desk_seq, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, content_hash, ${at()},
              status, reason, stale, scope, scope_units, scope_users, enters_units, enters_users, leaves_units, leaves_users
         FROM jsonb_to_recordset(${input}) AS e(seq bigint, desk_id text, desk_seq bigint, hlc text, entity text, entity_id text, allegation_id text,
              allegation_ids text[], op text, fields jsonb, user_id text, content_hash text, status text, reason text, stale text[], scope text,
              scope_units text[], scope_users text[], enters_units text[], enters_users text[], leaves_units text[], leaves_users text[])`,
  );
  // A conflict refers to its log entry, written by the CTE above: the foreign key is checked at the end of the
  // statement, when both are in.
  part(
    'conflicts',
    plan.entries
      .filter((e) => e.status === 'rejected' && e.deskId)
      .map((e) => ({
        change_seq: e.seq,
        desk_id: e.deskId,
        user_id: e.change.userId,
        allegation_id: e.change.allegationId ?? e.allegationIds[0] ?? null,
        entity: e.change.entity,
        entity_id: e.change.id,
        reason: e.reason,
      })),
    (input) => `INSERT INTO conflicts (change_seq, desk_id, user_id, allegation_id, entity, entity_id, reason, created_at)
         SELECT change_seq, desk_id, user_id, allegation_id, entity, entity_id, reason, ${at()}
           FROM jsonb_to_recordset(${input}) AS c(change_seq bigint, desk_id text, user_id text, allegation_id text, entity text, entity_id text, reason text)
         RETURNING id, change_seq`,
  );

  const rows = [...state.rows.values()].filter((r) => r.dirty);
  part(
    'rows',
    rows.map((r) => ({ entity: r.entity, id: r.id, scope: r.scope, allegation_ids: r.allegationIds, owner_user: r.ownerUser, data: r.data, clocks: r.clocks, created_seq: r.createdSeq, updated_seq: r.updatedSeq })),
    (input) => `INSERT INTO entity_rows (entity, id, scope, allegation_ids, owner_user, data, clocks, created_seq, updated_seq)
       SELECT entity, id, scope, allegation_ids, owner_user, data, clocks, created_seq, updated_seq
         FROM jsonb_to_recordset(${input}) AS r(entity text, id text, scope text, allegation_ids text[], owner_user text, data jsonb, clocks jsonb, created_seq bigint, updated_seq bigint)
       ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data, clocks = excluded.clocks, updated_seq = excluded.updated_seq, owner_user = excluded.owner_user`,
  );
  part(
    'places',
    [...state.places.values()].filter((pl) => pl.dirty).map((pl) => ({ allegation_id: pl.allegationId, unit_code: pl.unit, status: pl.status, reference: pl.reference, allocated_users: pl.allocatedTo, updated_seq: pl.updatedSeq })),
    (input) => `INSERT INTO allegation_scope (allegation_id, unit_code, status, reference, allocated_users, updated_seq)
       SELECT allegation_id, unit_code, status, reference, allocated_users, updated_seq
         FROM jsonb_to_recordset(${input}) AS p(allegation_id text, unit_code text, status text, reference text, allocated_users text[], updated_seq bigint)
       ON CONFLICT (allegation_id) DO UPDATE SET unit_code = excluded.unit_code, status = excluded.status, reference = excluded.reference,
         allocated_users = excluded.allocated_users, updated_seq = excluded.updated_seq`,
  );
  part(
    'allocations',
    rows
      .filter((r) => r.entity === 'allocation')
      .map((r) => ({ id: r.id, allegation_id: r.data.allegation_id, user_id: r.data.user_id, allocated_at: r.data.allocated_at, allocated_by: r.data.allocated_by, ended_at: r.data.ended_at ?? null, updated_seq: r.updatedSeq })),
    (input) => `INSERT INTO allocations (id, allegation_id, user_id, allocated_at, allocated_by, ended_at, updated_seq)
       SELECT id, allegation_id, user_id, allocated_at, allocated_by, ended_at, updated_seq
         FROM jsonb_to_recordset(${input}) AS a(id text, allegation_id text, user_id text, allocated_at text, allocated_by text, ended_at text, updated_seq bigint)
       ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, updated_seq = excluded.updated_seq`,
  );
  part(
    'years',
    [...state.referenceYears.entries()].filter(([, y]) => y.dirty).map(([year, y]) => ({ year, last: y.last })),
    (input) => `INSERT INTO reference_sequences (year, last) SELECT year, last FROM jsonb_to_recordset(${input}) AS y(year integer, last integer)
       ON CONFLICT (year) DO UPDATE SET last = greatest(reference_sequences.last, excluded.last)`,
  );
  part(
    'aliases',
    plan.aliases.map((a) => ({ alias: a.alias, allegation_id: a.allegationId })),
    (input) => `INSERT INTO reference_aliases (alias, allegation_id, created_at) SELECT alias, allegation_id, ${at()} FROM jsonb_to_recordset(${input}) AS a(alias text, allegation_id text)
       ON CONFLICT (alias) DO NOTHING`,
  );
  part(
    'blobs',
    plan.blobRefs.map((b) => ({ hash: b.hash, allegation_id: b.allegationId })),
    (input) => `INSERT INTO blob_refs (hash, allegation_id) SELECT hash, allegation_id FROM jsonb_to_recordset(${input}) AS b(hash text, allegation_id text) ON CONFLICT DO NOTHING`,
  );
  if (extras.desk) ctes.push(`desk AS (UPDATE desks SET last_seq = ${p(extras.desk.lastSeq)}::bigint, last_push_at = ${p(extras.desk.at)}::timestamptz WHERE id = ${p(extras.desk.id)}::text)`);
  const a = extras.audit;
  if (a) {
    ctes.push(
      `audit AS (INSERT INTO server_audit (seq, at, user_id, desk_id, action, details, prev_mac, mac) VALUES (${p(a.seq)}::bigint, ${p(a.at)}::timestamptz, ${p(a.userId)}::text, ${p(a.deskId)}::text, ${p(a.action)}::text, ${p(a.details)}::jsonb, ${p(a.prevMac)}::text, ${p(a.mac)}::text))`,
    );
  }
  const outputs = [doc.conflicts ? "(SELECT coalesce(json_agg(json_build_object('id', id, 'change_seq', change_seq)), '[]') FROM conflicts) AS conflicts" : "'[]'::json AS conflicts"];
  if (extras.nudge) outputs.push(`pg_notify(${p(NUDGE_CHANNEL)}::text, ${p(extras.nudge)}::text) AS nudged`);
  if (extras.seqUpTo !== undefined) outputs.push(`setval('change_seq', ${p(extras.seqUpTo)}::bigint) AS seq`);
  const docAt = docParam as string | null; // assigned in part()
  if (docAt) params[Number(docAt.slice(1)) - 1] = JSON.stringify(doc);
  const conflictIds = new Map<number, number>();
  if (!ctes.length && outputs.length === 1 && !extras.finish) return { conflictIds };
  if (extras.finish && !('finish' in tx)) throw new Error('only a transaction can finish with its write');
  const run = extras.finish ? (tx as Transaction).finish : tx.query;
  // The document once, in its own CTE: written in as a literal (a transaction's last statement), it is read once.
  if (docAt) ctes.unshift(`doc AS MATERIALIZED (SELECT ${docAt}::jsonb AS d)`);
  const [out] = await run<{ conflicts: Array<{ id: number; change_seq: number }> }>(`${ctes.length ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT ${outputs.join(', ')}`, params);
  for (const c of out?.conflicts ?? []) conflictIds.set(c.change_seq, c.id);
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
