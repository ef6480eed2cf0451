// Conflicts: changes the server rejected, kept with who made them and why until that person (or a manager)
// resolves them on their desk, by making the change again on today's record or by letting it go.
import type { Queryable } from '../db/database.ts';
import { iso, isoOrNull } from '../db/database.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ConflictView } from '../../shared/sync/protocol.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { lockWrites } from '../sync/write.ts';
import { appendAudit } from './audit.ts';

interface Row {
  id: number;
  change_seq: number;
  desk_seq: number;
  user_id: string | null;
  allegation_id: string | null;
  entity: string;
  entity_id: string;
  reason: string;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: 'reapplied' | 'discarded' | null;
  note: string | null;
  hlc: string;
  op: ChangeRow['op'];
  fields: ChangeRow['fields'];
  change_allegation_id: string | null;
}

const SELECT = `SELECT f.*, c.desk_seq, c.hlc, c.op, c.fields, c.allegation_id AS change_allegation_id
                  FROM conflicts f JOIN change_log c ON c.seq = f.change_seq`;

function view(r: Row): ConflictView {
  return {
    id: r.id,
    serverSeq: r.change_seq,
    deskSeq: r.desk_seq,
    userId: r.user_id,
    allegationId: r.allegation_id,
    entity: r.entity,
    entityId: r.entity_id,
    reason: r.reason,
    change: { seq: r.desk_seq, hlc: r.hlc, entity: r.entity, id: r.entity_id, allegationId: r.change_allegation_id, op: r.op, fields: r.fields, userId: r.user_id },
    createdAt: iso(r.created_at),
    resolvedAt: isoOrNull(r.resolved_at),
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
    note: r.note,
  };
}

export async function listConflicts(db: Queryable, deskId: string, state: 'open' | 'all'): Promise<ConflictView[]> {
  const rows = await db.query<Row>(`${SELECT} WHERE f.desk_id = $1 ${state === 'open' ? 'AND f.resolved_at IS NULL' : ''} ORDER BY f.id`, [deskId]);
  return rows.map(view);
}

const RESOLVE_FOR_OTHERS: readonly Role[] = ['duty_manager', 'manager', 'admin'];

export async function resolveConflict(ctx: ServerContext, deskId: string, user: { id: string; role: Role }, id: number, resolution: 'reapplied' | 'discarded', note: string): Promise<ConflictView> {
  return ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const [row] = await tx.query<Row>(`${SELECT} WHERE f.id = $1 AND f.desk_id = $2`, [id, deskId]);
    if (!row) throw new ApiError('not_found', 'No such conflict on this desk');
    if (row.resolved_at) throw new ApiError('conflict', `This conflict was already resolved (${row.resolution})`);
    if (row.user_id !== user.id && !RESOLVE_FOR_OTHERS.includes(user.role)) throw new ApiError('forbidden', 'Only the person who made the change, or a manager, resolves this conflict');
    const now = ctx.now();
    await tx.query('UPDATE conflicts SET resolved_at = $2, resolved_by = $3, resolution = $4, note = $5 WHERE id = $1', [id, now, user.id, resolution, note || null]);
    await appendAudit(tx, ctx.auditKey, now, { userId: user.id, deskId, action: 'conflict.resolve', details: { conflict: id, resolution, note, entity: row.entity, entityId: row.entity_id } });
    const [after] = await tx.query<Row>(`${SELECT} WHERE f.id = $1`, [id]);
    return view(after as Row);
  });
}
