// `ims users add|list`: local accounts from the command line.
import type { Core } from '../core/core.ts';
import { createUser } from '../core/users.ts';
import { ROLES, type Role } from '../../shared/domain/vocabularies.ts';
import { newUser } from '../../shared/api/auth.ts';
import { describeIssues } from '../../shared/schemas/submission.ts';
import { readSecret } from './secret.ts';
import { actorName, CliError, print, type Options } from './common.ts';

export async function usersCommand(core: Core, args: string[], opts: Options): Promise<void> {
  const sub = args[0];
  if (sub === 'list') {
    const rows = core.store.db.prepare('SELECT username, display_name AS displayName, role, unit_code AS unit, active FROM users ORDER BY username').all();
    if (opts.json) print(rows);
    else for (const r of rows as Array<Record<string, unknown>>) process.stdout.write(`${r.username}\t${r.role}\t${r.unit ?? '-'}\t${r.displayName}${r.active ? '' : ' (disabled)'}\n`);
    return;
  }
  if (sub === 'add') {
    if (!opts.role || !ROLES.includes(opts.role as Role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`);
    const password = process.env.IMS_NEW_PASSWORD ?? (await readSecret(`Password for ${opts.username ?? 'the new user'}: `));
    const input = newUser.safeParse({ username: opts.username, displayName: opts.name ?? opts.username, role: opts.role, unit: opts.unit ?? null, password });
    if (!input.success) throw new CliError(describeIssues(input.error));
    const user = await createUser(core.store, { userId: null, name: actorName('users add') }, input.data);
    if (opts.json) print(user);
    else process.stdout.write(`added ${user.username} (${user.role}${user.unit ? `, ${user.unit}` : ''})\n`);
    return;
  }
  throw new CliError('usage: ims users add|list');
}
