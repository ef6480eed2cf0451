// Desks register once: a signed-in person asks for their desk (its clock node, a name, its unit) and receives the
// desk's credential, which is useless until an administrator approves the desk. Only an approved desk pushes,
// pulls or moves blobs. A desk also learns who signs in at it: their changes may come from it, and their work
// (their allocations, their own rows) comes to it.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { iso, isoOrNull } from '../db/database.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { DeskView } from '../../shared/server/api.ts';
import { unitByCode } from '../../shared/domain/units.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { deskScope, type DeskScope } from '../../shared/sync/scope.ts';
import { lockWrites } from '../sync/write.ts';
import { TX_BASE } from '../sync/numbering.ts';
import { appendAudit } from './audit.ts';
import { tokenHash } from './sessions.ts';

export interface DeskRow {
  id: string;
  node: string;
  name: string;
  unit_code: string;
  status: DeskView['status'];
  requested_at: Date;
  requested_by: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  last_seq: number;
  last_push_at: Date | null;
  last_pull_at: Date | null;
}

export function toDeskView(d: DeskRow): DeskView {
  return {
    id: d.id,
    node: d.node,
    name: d.name,
    unit: d.unit_code,
    status: d.status,
    requestedAt: iso(d.requested_at),
    requestedBy: d.requested_by,
    decidedAt: isoOrNull(d.decided_at),
    decidedBy: d.decided_by,
    nextSeq: d.last_seq + 1,
    lastPushAt: isoOrNull(d.last_push_at),
    lastPullAt: isoOrNull(d.last_pull_at),
  };
}

export async function deskByToken(db: Queryable, token: string): Promise<DeskRow | undefined> {
  const [d] = await db.query<DeskRow>('SELECT * FROM desks WHERE token_hash = $1', [tokenHash(token)]);
  return d;
}

export async function listDesks(db: Queryable): Promise<DeskView[]> {
  return (await db.query<DeskRow>('SELECT * FROM desks ORDER BY requested_at')).map(toDeskView);
}

export async function registerDesk(ctx: ServerContext, userId: string, input: { node: string; name: string; unit: string }): Promise<{ desk: DeskView; token: string }> {
  if (!unitByCode(input.unit)) throw new ApiError('bad_request', `Unknown unit ${input.unit}`, { unit: 'choose the unit this desk serves' });
  const token = randomBytes(32).toString('base64url');
  return ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const [existing] = await tx.query<DeskRow>('SELECT * FROM desks WHERE node = $1', [input.node]);
    if (existing) throw new ApiError('conflict', `A desk with the clock node ${input.node} is already registered (${existing.name}, ${existing.status})`);
    const now = ctx.now();
    const id = randomUUID();
    const [row] = await tx.query<DeskRow>(
      "INSERT INTO desks (id, node, name, unit_code, status, token_hash, requested_at, requested_by) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING *",
      [id, input.node, input.name, input.unit, tokenHash(token), now, userId],
    );
    await appendAudit(tx, ctx.auditKey, now, { userId, deskId: id, action: 'desk.register', details: { node: input.node, name: input.name, unit: input.unit } });
    return { desk: toDeskView(row as DeskRow), token };
  });
}

export async function decideDesk(ctx: ServerContext, adminId: string, deskId: string, decision: 'approve' | 'refuse' | 'revoke', note: string): Promise<DeskView> {
  return ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const [desk] = await tx.query<DeskRow>('SELECT * FROM desks WHERE id = $1', [deskId]);
    if (!desk) throw new ApiError('not_found', 'No such desk');
    const allowed: Record<typeof decision, DeskView['status'][]> = { approve: ['pending', 'refused', 'revoked'], refuse: ['pending'], revoke: ['approved'] };
    if (!allowed[decision].includes(desk.status)) throw new ApiError('conflict', `The desk is ${desk.status}: it cannot be ${decision === 'approve' ? 'approved' : decision === 'refuse' ? 'refused' : 'revoked'} now`);
    const status = decision === 'approve' ? 'approved' : decision === 'refuse' ? 'refused' : 'revoked';
    const now = ctx.now();
    const [row] = await tx.query<DeskRow>('UPDATE desks SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5 WHERE id = $1 RETURNING *', [deskId, status, now, adminId, note || null]);
    await appendAudit(tx, ctx.auditKey, now, { userId: adminId, deskId, action: `desk.${decision}`, details: { name: desk.name, unit: desk.unit_code, note } });
    return toDeskView(row as DeskRow);
  });
}

/**
 * Records that a person signed in at a desk. The first time, allegations already allocated to them come into the
 * desk's scope without any change saying so: they are queued for the desk's next pull.
 */
export async function joinDesk(ctx: ServerContext, tx: Queryable, deskId: string, userId: string, now: Date): Promise<void> {
  const [row] = await tx.query<{ inserted: boolean }>(
    `INSERT INTO desk_users (desk_id, user_id, first_at, last_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (desk_id, user_id) DO UPDATE SET last_at = excluded.last_at RETURNING (xmax = 0) AS inserted`,
    [deskId, userId, now],
  );
  if (!row?.inserted) return;
  const open = await tx.query<{ allegation_id: string }>('SELECT DISTINCT allegation_id FROM allocations WHERE user_id = $1 AND ended_at IS NULL', [userId]);
  if (!open.length) return;
  await lockWrites(tx);
  // Numbered like a change of this transaction (numbering.ts): a pull passes it only once it is committed.
  await tx.query(`INSERT INTO desk_backfill (desk_id, allegation_id, seq) SELECT $1, a, ${TX_BASE} FROM unnest($2::text[]) AS a ON CONFLICT DO NOTHING`, [deskId, open.map((o) => o.allegation_id)]);
}

export async function scopeOfDesk(db: Queryable, desk: Pick<DeskRow, 'id' | 'unit_code'>): Promise<DeskScope> {
  const people = await db.query<{ id: string; role: Role; unit_code: string | null }>('SELECT u.id, u.role, u.unit_code FROM desk_users d JOIN users u ON u.id = d.user_id WHERE d.desk_id = $1', [desk.id]);
  return deskScope({ unit: desk.unit_code }, people.map((p) => ({ id: p.id, role: p.role, unit: p.unit_code })));
}
