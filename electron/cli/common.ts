// What every command of `ims` shares: its options, its one kind of error (a line on stderr, a non-zero exit),
// how it prints JSON, and how it names itself in the audit log.
import { userInfo } from 'node:os';
import type { Core } from '../core/core.ts';
import type { UserRow } from '../core/users.ts';
import { authenticate } from '../core/sign-in.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { readSecret } from './secret.ts';

export class CliError extends Error {}

export interface Options {
  region?: string;
  from?: string;
  to?: string;
  by?: string;
  pdf?: string;
  wait?: boolean;
  page?: string;
  attachment?: string;
  as?: string;
  reason?: string;
  bucket?: string;
  json?: boolean;
  csv?: boolean;
  bulk?: boolean;
  filter?: string[];
  limit?: string;
  username?: string;
  name?: string;
  role?: string;
  unit?: string;
}

export function actorName(command: string): string {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // no user database entry (containers): keep "unknown"
  }
  return `ims ${command} (${who})`;
}

export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}


/**
 * The named local user, signed in with the password from IMS_PASSWORD or the prompt, through the same checks as
 * the screens: failures counted (back-off, lockout) and audited, with the command that asked.
 */
export async function signInAs(core: Core, username: string | undefined, command: string): Promise<UserRow> {
  if (!username) throw new CliError('who is asking? --as USERNAME (this is released to, or done by, a person, and audited)');
  const password = process.env.IMS_PASSWORD ?? (process.stdin.isTTY ? await readSecret(`Password for ${username}: `) : undefined);
  if (!password) throw new CliError(`the password for ${username} is needed: set IMS_PASSWORD or run this in a terminal`);
  try {
    return await authenticate(core, username, password, { via: 'cli', command });
  } catch (error) {
    if (error instanceof ApiError) throw new CliError(error.message);
    throw error;
  }
}
