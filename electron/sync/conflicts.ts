// Conflicts: changes of this desk the server rejected (an outcome on a case closed elsewhere, a change by an
// account deactivated meanwhile). Nothing is silently lost:
// - each rejected change is recorded for the person who made it (the change itself stays in the change log);
// - what the rejected change had written on this desk is put back as the server holds it, so the desk shows the
//   national record; rows the server does not hold at all stay on the desk, marked withdrawn (CPIA: never deleted);
// - the person resolves the conflict: accepting the server's version, or making the change again on today's
//   record (a new change, judged afresh); the server is told, now or when next it can be.
import type { Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { decodeKey, entitySpec, type EntityName } from '../../shared/sync/entities.ts';
import type { FieldValue } from '../../shared/sync/changes.ts';
import type { RowsResponse } from '../../shared/sync/protocol.ts';
import { restoreFields, rowFields, type Row, type SqlValue } from '../store/registry.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { changeBySeq, type Rejection } from './push.ts';

export interface ConflictRow {
  id: number;
  server_id: number | null;
  desk_seq: number;
  hlc: string;
  entity: string;
  entity_id: string;
  allegation_id: string | null;
  user_id: string | null;
  reason: string;
  created_at: string;
  seen_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: 'reapplied' | 'discarded' | null;
  note: string | null;
  restored_at: string | null;
  server_resolved_at: string | null;
}

/** Who may resolve a conflict that is not their own (as on the server). */
export const RESOLVE_FOR_OTHERS: readonly Role[] = ['duty_manager', 'manager', 'admin'];

export function recordConflicts(db: Db, rejections: readonly Rejection[], at: string): void {
  const insert = prepared(
    db,
    `INSERT INTO sync_conflicts (server_id, desk_seq, hlc, entity, entity_id, allegation_id, user_id, reason, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (desk_seq) DO UPDATE SET server_id = coalesce(sync_conflicts.server_id, excluded.server_id)`,
  );
  for (const r of rejections) insert.run(r.conflictId, r.seq, r.change.hlc, r.change.entity, r.change.id, r.change.allegationId, r.change.userId, r.reason, at);
}

/** Conflicts whose rows have not yet been put back as the server holds them. */
export function pendingRestores(db: Db): ConflictRow[] {
  return prepared(db, 'SELECT * FROM sync_conflicts WHERE restored_at IS NULL ORDER BY desk_seq').all() as ConflictRow[];
}

/**
 * Puts back what the rejected changes wrote, from the server's rows (the caller holds the transaction): fields
 * still carrying a rejected change's clock take the server's value and clock; a row the server does not hold is
 * marked withdrawn.
 */
export function restoreRejected(db: Db, pending: readonly ConflictRow[], server: RowsResponse, at: string): void {
  const rows = new Map(server.rows.map((r) => [`${r.entity}\u0000${r.id}`, r]));
  const withdraw = prepared(db, 'INSERT INTO sync_withdrawn (entity, entity_id, allegation_id, desk_seq, withdrawn_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, entity_id) DO UPDATE SET restored_at = NULL');
  const done = prepared(db, 'UPDATE sync_conflicts SET restored_at = ? WHERE id = ?');
  for (const c of pending) {
    const change = changeBySeq(db, c.desk_seq);
    const row = rows.get(`${c.entity}\u0000${c.entity_id}`);
    if (row) restoreFields(db, row, Object.keys(change?.fields ?? {}), c.hlc);
    else if (rowFields(db, c.entity, c.entity_id)) withdraw.run(c.entity, c.entity_id, c.allegation_id, c.desk_seq, at);
    done.run(at, c.id);
  }
}

export function openConflicts(db: Db, userId?: string): number {
  const sql = userId ? 'SELECT count(DISTINCT hlc) AS n FROM sync_conflicts WHERE resolved_at IS NULL AND user_id = ?' : 'SELECT count(DISTINCT hlc) AS n FROM sync_conflicts WHERE resolved_at IS NULL';
  return (prepared(db, sql).get(...(userId ? [userId] : [])) as { n: number }).n;
}

export function conflictsOf(db: Db, key: string): ConflictRow[] {
  return prepared(db, 'SELECT * FROM sync_conflicts WHERE hlc = ? ORDER BY desk_seq').all(key) as ConflictRow[];
}

function toSql(v: FieldValue): SqlValue {
  if (v !== null && typeof v === 'object') return Buffer.from(v.b64, 'base64');
  return v;
}

export interface Resolver {
  id: string;
  role: Role;
  /** How the person is named in the record. */
  name: string;
}

/**
 * Resolves one rejected mutation (all its conflicts). `reapplied`: the person makes the change again as a new
 * mutation of their own, on the record as it now stands — rows the server never took are sent again whole, fields
 * are set again to what the person had made them; the server judges it afresh. `discarded`: the server's version
 * stands (the rejected change stays in the log and in the conflict).
 */
export function resolveConflict(store: Store, who: Resolver, key: string, resolution: 'reapplied' | 'discarded', note: string): ConflictRow[] {
  const group = conflictsOf(store.db, key);
  if (!group.length) throw new ApiError('not_found', 'No such conflict on this desk');
  const first = group[0] as ConflictRow;
  if (first.resolved_at) throw new ApiError('conflict', `This conflict was already resolved (${first.resolution === 'reapplied' ? 'made again' : "the server's version accepted"})`);
  if (first.user_id !== who.id && !RESOLVE_FOR_OTHERS.includes(who.role)) throw new ApiError('forbidden', 'Only the person who made the change, or a duty manager, manager or administrator, resolves this conflict');
  if (group.some((c) => !c.restored_at)) throw new ApiError('unavailable', 'This desk is still fetching the server’s version of these records: sync, then try again');
  store.mutate(
    { actor: { userId: who.id, name: who.name }, action: `sync.conflict.${resolution}`, entity: first.entity, entityId: first.entity_id, allegationId: first.allegation_id, details: { conflicts: group.map((c) => c.server_id ?? c.id), note } },
    (m) => {
      if (resolution === 'reapplied') {
        for (const c of group) {
          const change = changeBySeq(m.db, c.desk_seq);
          if (!change) continue;
          const spec = entitySpec(c.entity);
          const withdrawn = prepared(m.db, 'SELECT 1 FROM sync_withdrawn WHERE entity = ? AND entity_id = ? AND restored_at IS NULL').get(c.entity, c.entity_id);
          if (withdrawn) {
            // The row the server never took: sent again whole, as this desk holds it.
            m.publish(c.entity as EntityName, decodeKey(spec, c.entity_id));
            prepared(m.db, 'UPDATE sync_withdrawn SET restored_at = ? WHERE entity = ? AND entity_id = ?').run(m.at, c.entity, c.entity_id);
          } else if (spec.merge === 'fields') {
            const patch: Row = {};
            for (const [f, v] of Object.entries(change.fields)) if (spec.columns.includes(f)) patch[f] = toSql(v.to);
            m.update(c.entity as EntityName, decodeKey(spec, c.entity_id), patch);
          }
        }
      }
      prepared(m.db, 'UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?, note = ? WHERE hlc = ?').run(m.at, who.id, resolution, note || null, key);
    },
  );
  return conflictsOf(store.db, key);
}

/** Resolutions the server has not yet been told of. */
export function untoldResolutions(db: Db): ConflictRow[] {
  return prepared(db, 'SELECT * FROM sync_conflicts WHERE resolved_at IS NOT NULL AND server_resolved_at IS NULL AND server_id IS NOT NULL ORDER BY id').all() as ConflictRow[];
}

export function markTold(db: Db, id: number, at: string): void {
  prepared(db, 'UPDATE sync_conflicts SET server_resolved_at = ? WHERE id = ?').run(at, id);
}

/** The person has seen their conflicts (the screen listed them). */
export function markSeen(db: Db, userId: string, at: string): void {
  prepared(db, 'UPDATE sync_conflicts SET seen_at = ?, seen_by = ? WHERE seen_at IS NULL AND user_id = ?').run(at, userId, userId);
}
