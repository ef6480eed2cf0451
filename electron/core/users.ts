// Local accounts until the server holds them: who may sign in at this desk, with which role and unit.
import type { Store, Actor } from '../store/store.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import type { UserView } from '../../shared/api.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { hashPassword } from '../../node/passwords.ts';
import { unitByCode } from '../../shared/domain/units.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  unit_code: string | null;
  password_hash: string;
  active: number;
  created_at: string;
}

export function toUserView(r: UserRow): UserView {
  return { id: r.id, username: r.username, displayName: r.display_name, role: r.role, unit: r.unit_code, active: r.active === 1, createdAt: r.created_at };
}

export function findUserById(store: Store, id: string): UserRow | undefined {
  return store.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function findUserByName(store: Store, username: string): UserRow | undefined {
  return store.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
}

export function countUsers(store: Store): number {
  return (store.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

/** Roles that work a unit's queue must belong to a unit; national roles may not. */
export function checkRoleUnit(role: Role, unit: string | null): void {
  if (unit !== null && !unitByCode(unit)) throw new ApiError('bad_request', `Unknown unit ${unit}`, { unit: `unknown unit ${unit}` });
  const needsUnit: Role[] = ['analyst', 'sifter', 'compliance_officer', 'duty_manager'];
  if (needsUnit.includes(role) && !unit) throw new ApiError('bad_request', `A ${role.replace('_', ' ')} must belong to a unit`, { unit: 'choose the unit this person works in' });
}

export interface NewUserInput {
  username: string;
  displayName: string;
  role: Role;
  unit: string | null;
  password: string;
}

export async function createUser(store: Store, actor: Actor, input: NewUserInput): Promise<UserView> {
  checkRoleUnit(input.role, input.unit);
  if (findUserByName(store, input.username)) throw new ApiError('conflict', `The username ${input.username} is taken`, { username: 'this username is taken' });
  const passwordHash = await hashPassword(input.password);
  const id = store.newId();
  return store.mutate({ actor, action: 'user.create', entity: 'user', entityId: id, details: { username: input.username, role: input.role, unit: input.unit } }, (m) => {
    const row = { id, username: input.username, display_name: input.displayName, role: input.role, unit_code: input.unit, password_hash: passwordHash, active: 1, created_at: m.at, created_by: actor.userId };
    m.insert('user', row);
    return toUserView(row);
  });
}

export interface UserUpdate {
  id: string;
  displayName?: string | undefined;
  role?: Role | undefined;
  unit?: string | null | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
}

export async function updateUser(store: Store, actor: Actor, input: UserUpdate): Promise<UserView> {
  const current = findUserById(store, input.id);
  if (!current) throw new ApiError('not_found', 'No such user');
  const role = input.role ?? current.role;
  const unit = input.unit === undefined ? current.unit_code : input.unit;
  checkRoleUnit(role, unit);
  if (current.role === 'admin' && (role !== 'admin' || input.active === false)) {
    const admins = (store.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1").get() as { n: number }).n;
    if (admins <= 1) throw new ApiError('conflict', 'This is the last active administrator: add another before changing this account');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : current.password_hash;
  const fields = {
    display_name: input.displayName ?? current.display_name,
    role,
    unit_code: unit,
    active: input.active === undefined ? current.active : input.active ? 1 : 0,
    password_hash: passwordHash,
  };
  return store.mutate(
    { actor, action: 'user.update', entity: 'user', entityId: input.id, details: { role, unit, active: fields.active === 1, passwordReset: Boolean(input.password) } },
    (m) => {
      m.update('user', input.id, fields);
      return toUserView({ ...current, ...fields });
    },
  );
}
