// Small things every `ims` command uses: who the actor is, finding an allegation by its reference, printing JSON.
import { userInfo } from 'node:os';
import type { Core } from '../core/core.ts';
import { findAllegationId } from '../store/allegations.ts';
import { CliError, UsageError } from './args.ts';
import { jsonText, line } from './format.ts';

/** How the command is named as the actor of what it writes: "ims import (jo)". */
export function actorName(command: string): string {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // no user database entry (containers): keep "unknown"
  }
  return `ims ${command} (${who})`;
}

/** JSON on stdout, hidden characters escaped. */
export function print(value: unknown): void {
  process.stdout.write(jsonText(value));
}

/** The id of the allegation with this reference; a clear error when there is none. */
export function allegationByRef(core: Core, ref: string | undefined, usage: string): string {
  if (!ref) throw new UsageError(`which allegation? ${usage}`);
  const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
  if (!id) throw new CliError(`no allegation ${line(ref)} in ${core.store.profileDir}`);
  return id;
}
