// Accounts live on the server: an administrator adds and changes them here, and each change also enters the change
// log as a 'user' row (without any password material), so every desk learns who may sign in and with which role.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { iso } from '../db/database.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ServerUser } from '../../shared/server/api.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { roleUnitProblem } from '../../shared/domain/access.ts';
import { unitByCode } from '../../shared/domain/units.ts';
import type { FieldValue } from '../../shared/sync/changes.ts';
import { hashPassword } from '../../node/passwords.ts';
import { lockWrites } from '../sync/write.ts';
import { recordServerChanges } from '../sync/server-changes.ts';
import { appendAudit } from './audit.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  unit_code: string | null;
  password_hash: string;
  password_changed_at: Date | string;
  active: boolean;
  created_at: Date | string;
  created_by: string | null;
}

export function toServerUser(r: UserRow): ServerUser {
  return { id: r.id, username: r.username, displayName: r.display_name, role: r.role, unit: r.unit_code, active: r.active, createdAt: iso(r.created_at) };
}

export async function userByName(db: Queryable, username: string): Promise<UserRow | undefined> {
  const [r] = await db.query<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
  return r;
}

export async function userById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const [r] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return r;
}

export async function listUsers(db: Queryable): Promise<ServerUser[]> {
  return (await db.query<UserRow>('SELECT * FROM users ORDER BY lower(username)')).map(toServerUser);
}

export async function activeAdmins(db: Queryable): Promise<number> {
  const [r] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active");
  return r?.n ?? 0;
}

function checkRoleUnit(role: Role, unit: string | null): void {
  const problem = roleUnitProblem(role, unit, (code) => unitByCode(code) !== undefined);
  if (problem) throw new ApiError('bad_request', problem, { unit: problem });
}

/** The synced columns of a 'user' row (shared/sync/entities.ts): never the password hash. */
function syncedFields(r: Pick<UserRow, 'username' | 'display_name' | 'role' | 'unit_code' | 'active' | 'created_at' | 'created_by'>): Record<string, FieldValue> {
  return { username: r.username, display_name: r.display_name, role: r.role, unit_code: r.unit_code, active: r.active ? 1 : 0, created_at: iso(r.created_at), created_by: r.created_by };
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  unit: string | null;
  password: string;
}

export async function createUser(ctx: ServerContext, actorId: string | null, input: NewUser, options: { firstAdmin?: boolean } = {}): Promise<ServerUser> {
  checkRoleUnit(input.role, input.unit);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    if (options.firstAdmin && (await activeAdmins(tx)) > 0) throw new ApiError('conflict', 'The first administrator already exists: sign in');
    if (await userByName(tx, input.username)) throw new ApiError('conflict', `The username ${input.username} is taken`, { username: 'this username is taken' });
    const now = ctx.now();
    const row: UserRow = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      unit_code: input.unit,
      password_hash: passwordHash,
      password_changed_at: now,
      active: true,
      created_at: now,
      created_by: actorId,
    };
    const fields = syncedFields(row);
    const plan = await recordServerChanges(tx, ctx, [{ entity: 'user', id: row.id, op: 'insert', fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { from: null, to: v }])) }]);
    await tx.query(
      'INSERT INTO users (id, username, display_name, role, unit_code, password_hash, password_changed_at, active, created_at, created_by, hlc) VALUES ($1, $2, $3, $4, $5, $6, $7, true, $7, $8, $9)',
      [row.id, row.username, row.display_name, row.role, row.unit_code, passwordHash, now, actorId, plan.entries[0]?.change.hlc ?? ctx.clock.current()],
    );
    await appendAudit(tx, ctx.auditKey, now, { userId: actorId, deskId: null, action: options.firstAdmin ? 'user.bootstrap' : 'user.create', details: { id: row.id, username: row.username, role: row.role, unit: row.unit_code } });
    return toServerUser(row);
  });
}

export interface UserUpdate {
  displayName?: string | undefined;
  role?: Role | undefined;
  unit?: string | null | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
}

export async function updateUser(ctx: ServerContext, actorId: string, id: string, input: UserUpdate): Promise<ServerUser> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const current = await userById(tx, id);
    if (!current) throw new ApiError('not_found', 'No such account');
    const role = input.role ?? current.role;
    const unit = input.unit === undefined ? current.unit_code : input.unit;
    checkRoleUnit(role, unit);
    const active = input.active ?? current.active;
    if (current.role === 'admin' && current.active && (role !== 'admin' || !active) && (await activeAdmins(tx)) <= 1) {
      throw new ApiError('conflict', 'This is the last active administrator: add another before changing this account');
    }
    const now = ctx.now();
    const next: UserRow = { ...current, display_name: input.displayName ?? current.display_name, role, unit_code: unit, active };
    const before = syncedFields(current);
    const after = syncedFields(next);
    const fields: Record<string, { from: FieldValue; to: FieldValue }> = {};
    for (const k of Object.keys(after)) if (before[k] !== after[k]) fields[k] = { from: before[k] ?? null, to: after[k] ?? null };
    let hlc: string | null = null;
    if (Object.keys(fields).length) hlc = (await recordServerChanges(tx, ctx, [{ entity: 'user', id, op: 'update', fields }])).entries[0]?.change.hlc ?? null;
    await tx.query(
      `UPDATE users SET display_name = $2, role = $3, unit_code = $4, active = $5,
              password_hash = coalesce($6, password_hash), password_changed_at = CASE WHEN $6::text IS NULL THEN password_changed_at ELSE $7 END,
              hlc = coalesce($8, hlc) WHERE id = $1`,
      [id, next.display_name, role, unit, active, passwordHash, now, hlc],
    );
    // A password reset or a deactivation signs the person out everywhere.
    if (passwordHash || !active) await tx.query('UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL', [id, now]);
    await appendAudit(tx, ctx.auditKey, now, { userId: actorId, deskId: null, action: 'user.update', details: { id, role, unit, active, passwordReset: Boolean(passwordHash) } });
    const updated = await userById(tx, id);
    return toServerUser(updated as UserRow);
  });
}
