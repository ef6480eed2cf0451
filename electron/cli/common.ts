// What every command of `ims` shares: its options, its one kind of error (a line on stderr, a non-zero exit),
// how it prints JSON, and how it names itself in the audit log.
import { userInfo } from 'node:os';

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

