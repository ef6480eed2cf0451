// What every command of `ims` shares: its options, its errors (a line on stderr and an exit status that means
// what it says), how it prints JSON, and how it names itself in the audit log.
import { userInfo } from 'node:os';
import type { Core } from '../core/core.ts';
import type { UserRow } from '../core/users.ts';
import { authenticate } from '../core/sign-in.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { readSecret } from './secret.ts';
import { jsonText } from './format.ts';

/** Exit statuses: 0 it did what was asked; 1 it could not (not found, refused, failed, stopped by a fault); 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The command could not do what was asked: one line on stderr, exit 1. */
export class CliError extends Error {
  readonly exitCode: number = EXIT.failed;
}

/** The command line itself is wrong (unknown command, missing or bad argument): exit 2. */
export class UsageError extends CliError {
  override readonly exitCode: number = EXIT.usage;
}

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

/** JSON on stdout, hidden characters escaped (cli/format.ts). */
export function print(value: unknown): void {
  process.stdout.write(jsonText(value));
}


/**
 * The named local user, signed in with the password from IMS_PASSWORD or the prompt, through the same checks as
 * the screens: failures counted (back-off, lockout) and audited, with the command that asked.
 */
export async function signInAs(core: Core, username: string | undefined, command: string): Promise<UserRow> {
  const { username: name, password } = await credentialOf(username);
  return checkLocally(core, name, password, command);
}

/** Who is asking (--as) and their password, from IMS_PASSWORD or the prompt. */
export async function credentialOf(username: string | undefined): Promise<{ username: string; password: string }> {
  if (!username) throw new UsageError('who is asking? --as USERNAME (this is released to, or done by, a person, and audited)');
  const password = process.env.IMS_PASSWORD ?? (process.stdin.isTTY ? await readSecret(`Password for ${username}: `) : undefined);
  if (!password) throw new CliError(`the password for ${username} is needed: set IMS_PASSWORD or run this in a terminal`);
  return { username, password };
}

/** The password checked against this desk's own verifier (no central server). */
export async function checkLocally(core: Core, username: string, password: string, command: string): Promise<UserRow> {
  try {
    return await authenticate(core, username, password, { via: 'cli', command });
  } catch (error) {
    if (error instanceof ApiError) throw new CliError(error.message);
    throw error;
  }
}
