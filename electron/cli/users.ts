// `ims users add|list|unlock`: local accounts from the command line. Administering accounts needs an
// administrator's credential (--as ADMIN, password from IMS_PASSWORD or the prompt), as the screens need an
// administrator signed in; the one exception is the desk's very first account, which must be an administrator
// (as the desk's first run makes one). Every change is audited with the administrator who made it.
import type { Core } from '../core/core.ts';
import { countUsers, createUser, findUserByName } from '../core/users.ts';
import { unlockAccount } from '../core/sign-in.ts';
import { actorFor } from '../core/access.ts';
import { ROLES, type Role } from '../../shared/domain/vocabularies.ts';
import { newUser } from '../../shared/api/auth.ts';
import { describeIssues } from '../../shared/schemas/submission.ts';
import type { Actor } from '../store/store.ts';
import { readSecret } from './secret.ts';
import { actorName, CliError, print, signInAs, UsageError, type Options } from './common.ts';
import { line } from './format.ts';

/** The administrator doing this, signed in; a refusal for a non-administrator is audited. */
async function administrator(core: Core, opts: Options, command: string): Promise<Actor> {
  if (!opts.as) throw new CliError(`managing accounts needs an administrator: --as ADMIN_USERNAME (password from IMS_PASSWORD or the prompt)`);
  const admin = await signInAs(core, opts.as, command);
  if (admin.role !== 'admin') {
    core.store.audit.record({ at: core.store.now().toISOString(), userId: admin.id, actor: actorFor(admin).name, action: 'user.admin_refused', entity: 'user', entityId: null, allegationId: null, details: { via: 'cli', command, role: admin.role, ...(opts.username ? { username: opts.username } : {}), ...(opts.role ? { wantedRole: opts.role } : {}) } });
    throw new CliError(`${admin.username} is not an administrator: only an administrator manages accounts`);
  }
  return { userId: admin.id, name: `${actorFor(admin).name} via ${actorName(command)}` };
}

export async function usersCommand(core: Core, args: string[], opts: Options): Promise<void> {
  const sub = args[0];
  if (sub === 'list') {
    const rows = core.store.db.prepare('SELECT username, display_name AS displayName, role, unit_code AS unit, active FROM users ORDER BY username').all();
    if (opts.json) print(rows);
    else for (const r of rows as Array<Record<string, unknown>>) process.stdout.write(`${line(String(r.username))}\t${r.role}\t${r.unit ?? '-'}\t${line(String(r.displayName))}${r.active ? '' : ' (disabled)'}\n`);
    return;
  }
  if (sub === 'add') {
    if (!opts.role || !ROLES.includes(opts.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    let actor: Actor;
    if (countUsers(core.store) === 0) {
      if (opts.role !== 'admin') throw new CliError('this desk has no accounts yet: the first must be an administrator (--role admin), who then adds the others');
      actor = { userId: null, name: `first-run set-up (${actorName('users add')})` };
    } else actor = await administrator(core, opts, 'users add');
    const password = process.env.IMS_NEW_PASSWORD ?? (await readSecret(`Password for ${opts.username ?? 'the new user'}: `));
    const input = newUser.safeParse({ username: opts.username, displayName: opts.name ?? opts.username, role: opts.role, unit: opts.unit ?? null, password });
    if (!input.success) throw new UsageError(describeIssues(input.error));
    const user = await createUser(core.store, actor, input.data);
    if (opts.json) print(user);
    else process.stdout.write(`added ${line(user.username)} (${user.role}${user.unit ? `, ${user.unit}` : ''})\n`);
    return;
  }
  if (sub === 'unlock') {
    const username = args[1];
    if (!username) throw new UsageError('whose account? ims users unlock USERNAME --as ADMIN');
    const actor = await administrator(core, opts, 'users unlock');
    const target = findUserByName(core.store, username);
    if (!target) throw new CliError(`no account ${username}`);
    const state = unlockAccount(core, actor, target.id);
    if (opts.json) print({ username, ...state });
    else process.stdout.write(`${username} unlocked\n`);
    return;
  }
  throw new UsageError('usage: ims users add|list|unlock');
}
