// Writes a judged push (or the server's own changes) in one statement: the log entries, the merged rows, the
// allegations' places, allocations, references, blob references and conflicts, and with a push the desk's progress,
// its audit entry and the live nudge. One JSON document per table (jsonb_to_recordset) instead of a round trip per row.
import type { Queryable, SqlValue, Statement, Transaction } from '../db/database.ts';
import type { QueuedAudit } from '../store/audit-queue.ts';
import { ordinal, TX_BASE } from './numbering.ts';
import type { Plan } from './judge.ts';
import { NUDGE_CHANNEL } from './nudge.ts';
import type { WorkingState } from './state.ts';

/**
 * The server's writers: pushes hold it shared for their whole transaction (they run at the same time, each under
 * locks on what it touches); every other writer (accounts, desks, keys, blobs, the audit chain) holds it alone, so
 * that it sees no push half done and no push sees it half done.
 */
export const WRITE_LOCK = 7_240_002;

/** Serialises the server's writers other than pushes (accounts, desks, the audit chain) for the rest of the transaction. */
export async function lockWrites(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
}

/** Gives entries their change numbers once the statement that wrote them answered its transaction's base (numbering.ts). */
export function numberEntries(plan: Plan, base: number): void {
  for (const e of plan.entries) e.seq = base + e.seq;
}

export interface Written {
  conflictIds: Map<number, number>;
  /** The number before the transaction's first change (numbering.ts); the plan's entries carry their final numbers. */
  base: number;
}

/** What a push writes with its plan, in the same statement: the desk's progress, its audit entry, the nudge. */
export interface WriteExtras {
  desk?: { id: string; lastSeq: number; at: Date };
  /** An audit entry for the chain's queue (store/audit-queue.ts): chained after the commit. */
  audit?: QueuedAudit;
  /** NOTIFY payload (sent on commit); its latestSeq is an ordinal, made a change number in the statement. */
  nudge?: string | null;
  /** This is the transaction's last statement: sent with its COMMIT. */
  finish?: boolean;
}

/** The answer of a plan's statement: the conflicts' ids by their change number. */
export function writtenConflicts(out: { conflicts?: Array<{ id: number; change_seq: number }> } | undefined): Map<number, number> {
  return new Map((out?.conflicts ?? []).map((c) => [c.change_seq, c.id]));
}

/**
 * Writes a plan in one statement (planStatement), as the transaction's last one with `extras.finish`. The plan's
 * entries carry ordinals (1, 2, …) and come back with their change numbers.
 */
export async function writePlan(tx: Queryable | Transaction, state: WorkingState, plan: Plan, receivedAt: Date, extras: WriteExtras = {}): Promise<Written> {
  const statement = planStatement(state, plan, receivedAt, extras);
  if (extras.finish && !('finish' in tx)) throw new Error('only a transaction can finish with its write');
  const run = extras.finish ? (tx as Transaction).finish : tx.query;
  const [out] = await run<PlanOutput>(statement.sql, statement.params);
  const base = Number(out?.base);
  numberEntries(plan, base);
  return { conflictIds: writtenConflicts(out), base };
}

/** What a plan's statement answers. */
export interface PlanOutput {
  conflicts: Array<{ id: number; change_seq: number }>;
  /** The number before the transaction's first change. */
  base: number;
  /** The queued audit entry's id, when there was one. */
  audit_queued?: number | null;
}

/**
 * A plan as one statement: a data-modifying CTE per table, each fed from a JSON document of its rows, answering the
 * conflicts it wrote and the transaction's numbering base. A push's whole write is one round trip (with its COMMIT)
 * instead of one per table; rows and places written are marked clean.
 */
export function planStatement(state: WorkingState, plan: Plan, receivedAt: Date, extras: WriteExtras = {}): Statement {
  const params: SqlValue[] = [];
  const p = (value: SqlValue) => {
    params.push(value);
    return `$${params.length}`;
  };
  const ctes: string[] = [];
  const written = new Set<string>();
  // Each table's rows in a JSON document of their own, parsed once where it is used: one document for all of them
  // was read again (detoasted whole) by each table's insert.
  const part = (name: string, rows: unknown[], sql: (input: string) => string) => {
    if (!rows.length) return;
    written.add(name);
    ctes.push(`${name} AS (${sql(`${p(JSON.stringify(rows))}::jsonb`)})`);
  };
  // The time is a parameter only once a statement uses it (an unused one has no type).
  let atParam: string | null = null;
  const at = () => (atParam ??= `${p(receivedAt)}::timestamptz`);

  const entries = plan.entries;
  // Each entry's number is its transaction's base plus its ordinal, given here (numbering.ts). Nulls and empty lists
  // are left out of the document (undefined is not written) and restored in SQL: most entries have no reason, no
  // stale fields and no movement in or out of scope, and those keys were a fifth of the document.
  part(
    'log',
    entries.map((e) => ({
      seq: ordinal(e.seq),
      desk_id: e.deskId ?? undefined,
      desk_seq: e.deskSeq ?? undefined,
      hlc: e.change.hlc,
      entity: e.change.entity,
      entity_id: e.change.id,
      allegation_id: e.change.allegationId ?? undefined,
      allegation_ids: e.allegationIds,
      op: e.change.op,
      fields: e.change.fields,
      user_id: e.change.userId ?? undefined,
      content_hash: e.contentHash,
      status: e.status,
      reason: e.reason ?? undefined,
      stale: some(e.stale),
      scope: e.scope,
      scope_units: some(e.scopeUnits),
      scope_users: some(e.scopeUsers),
      enters_units: some(e.entersUnits),
      enters_users: some(e.entersUsers),
      leaves_units: some(e.leavesUnits),
      leaves_users: some(e.leavesUsers),
    })),
    (input) => `INSERT INTO change_log (seq, desk_id, desk_seq, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, content_hash, received_at,
                               status, reason, stale, scope, scope_units, scope_users, enters_units, enters_users, leaves_units, leaves_users)
       SELECT ${TX_BASE} + seq, desk_id, desk_seq, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, content_hash, ${at()},
              status, reason, coalesce(stale, '{}'), scope, coalesce(scope_units, '{}'), coalesce(scope_users, '{}'), coalesce(enters_units, '{}'),
              coalesce(enters_users, '{}'), coalesce(leaves_units, '{}'), coalesce(leaves_users, '{}')
         FROM jsonb_to_recordset(${input}) AS e(seq bigint, desk_id text, desk_seq bigint, hlc text, entity text, entity_id text, allegation_id text,
              allegation_ids text[], op text, fields jsonb, user_id text, content_hash text, status text, reason text, stale text[], scope text,
              scope_units text[], scope_users text[], enters_units text[], enters_users text[], leaves_units text[], leaves_users text[])`,
  );
  // A conflict refers to its log entry, written by the CTE above: the foreign key is checked at the end of the
  // statement, when both are in.
  part(
    'conflicts',
    entries
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
         SELECT ${TX_BASE} + change_seq, desk_id, user_id, allegation_id, entity, entity_id, reason, ${at()}
           FROM jsonb_to_recordset(${input}) AS c(change_seq bigint, desk_id text, user_id text, allegation_id text, entity text, entity_id text, reason text)
         RETURNING id, change_seq`,
  );

  const rows = [...state.rows.values()].filter((r) => r.dirty);
  const places = [...state.places.values()].filter((pl) => pl.dirty);
  // A stored row sends only the fields given a new value, laid over the stored ones (jsonb ||): an amended
  // allegation sends its one changed field, not its whole text again. A new row sends everything.
  // A new row made by one change has one clock for all its fields: it sends that once (`clock`), and the statement
  // gives it to each field.
  const rowDocs = rows.map((r) => {
    const data = r.stored ? pick(r.data, r.changed ?? []) : r.data;
    const clocks = r.stored ? pick(r.clocks, r.changed ?? []) : r.clocks;
    const clock = r.stored ? undefined : oneClock(data, clocks);
    return { entity: r.entity, id: r.id, scope: r.scope, allegation_ids: r.allegationIds, owner_user: r.ownerUser ?? undefined, data, clocks: clock ? undefined : clocks, clock };
  });
  for (const r of rows) {
    r.dirty = false;
    r.stored = true;
    r.changed = [];
  }
  for (const pl of places) pl.dirty = false;
  part(
    'rows',
    rowDocs,
    (input) => `INSERT INTO entity_rows (entity, id, scope, allegation_ids, owner_user, data, clocks)
       SELECT entity, id, scope, allegation_ids, owner_user, data, coalesce(clocks, (SELECT jsonb_object_agg(k, clock) FROM jsonb_object_keys(data) AS k))
         FROM jsonb_to_recordset(${input}) AS r(entity text, id text, scope text, allegation_ids text[], owner_user text, data jsonb, clocks jsonb, clock text)
       ON CONFLICT (entity, id) DO UPDATE SET data = entity_rows.data || excluded.data, clocks = entity_rows.clocks || excluded.clocks, owner_user = excluded.owner_user`,
  );
  part(
    'places',
    places.map((pl) => ({ allegation_id: pl.allegationId, unit_code: pl.unit, status: pl.status, reference: pl.reference, allocated_users: pl.allocatedTo })),
    (input) => `INSERT INTO allegation_scope (allegation_id, unit_code, status, reference, allocated_users)
       SELECT allegation_id, unit_code, status, reference, allocated_users
         FROM jsonb_to_recordset(${input}) AS p(allegation_id text, unit_code text, status text, reference text, allocated_users text[])
       ON CONFLICT (allegation_id) DO UPDATE SET unit_code = excluded.unit_code, status = excluded.status, reference = excluded.reference,
         allocated_users = excluded.allocated_users`,
  );
  part(
    'allocations',
    rows
      .filter((r) => r.entity === 'allocation')
      .map((r) => ({ id: r.id, allegation_id: r.data.allegation_id, user_id: r.data.user_id, allocated_at: r.data.allocated_at, allocated_by: r.data.allocated_by, ended_at: r.data.ended_at ?? null })),
    (input) => `INSERT INTO allocations (id, allegation_id, user_id, allocated_at, allocated_by, ended_at)
       SELECT id, allegation_id, user_id, allocated_at, allocated_by, ended_at
         FROM jsonb_to_recordset(${input}) AS a(id text, allegation_id text, user_id text, allocated_at text, allocated_by text, ended_at text)
       ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at`,
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
      `audit AS (INSERT INTO server_audit_queue (at, user_id, desk_id, action, details) VALUES (${p(a.at)}::timestamptz, ${p(a.userId)}::text, ${p(a.deskId)}::text, ${p(a.action)}::text, ${p(JSON.stringify(a.details))}::jsonb) RETURNING id)`,
    );
  }
  const outputs = [written.has('conflicts') ? "(SELECT coalesce(json_agg(json_build_object('id', id, 'change_seq', change_seq)), '[]') FROM conflicts) AS conflicts" : "'[]'::json AS conflicts", `${TX_BASE} AS base`];
  if (a) outputs.push('(SELECT id FROM audit) AS audit_queued');
  if (extras.nudge) {
    const n = `${p(extras.nudge)}::jsonb`;
    outputs.push(`pg_notify(${p(NUDGE_CHANNEL)}::text, jsonb_set(${n}, '{latestSeq}', to_jsonb(${TX_BASE} + (${n}->>'latestSeq')::bigint))::text) AS nudged`);
  }
  return { sql: `${ctes.length ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT ${outputs.join(', ')}`, params };
}

/** A list, or undefined when it is empty (left out of a JSON document). */
const some = (xs: readonly string[]): readonly string[] | undefined => (xs.length ? xs : undefined);

/** The clock every field of a row carries, when each of its fields has one and they are all the same. */
function oneClock(data: Readonly<Record<string, unknown>>, clocks: Readonly<Record<string, string>>): string | undefined {
  let clock: string | undefined;
  let fields = 0;
  for (const k in data) {
    const c = clocks[k];
    if (c === undefined || (clock !== undefined && c !== clock)) return undefined;
    clock = c;
    fields++;
  }
  let clocked = 0;
  for (const _ in clocks) clocked++;
  return fields === clocked ? clock : undefined;
}

function pick<T>(record: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of keys) if (k in record) out[k] = record[k] as T;
  return out;
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
