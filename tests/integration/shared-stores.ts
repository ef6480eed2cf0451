// The 10k corpus imported once per test run, and copied by every file that needs it: a bulk import of 10k records
// takes a file 40-60 s on CI's two cores, and several files read the same imported store (MI, search). The first
// file to ask imports it, into the run's scratch directory (global-setup.ts); a file asking meanwhile waits for it.
// Each file gets its own copy of the closed profile (store, write-ahead log, vault, indexes), so what one file
// does to its desk no other file sees. The import is the one those files made themselves: bulk, index deferred,
// received by a desk whose clock stands at the last report's arrival (a report cannot be received in the future).
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { importJsonl, type ImportSummary } from '../../electron/core/import.ts';
import { CORPUS_10K, openCore } from '../helpers.ts';

/** When the desk that imported the corpus received it: the last report's arrival. */
export const CORPUS_10K_RECEIVED = Math.max(
  ...readFileSync(CORPUS_10K, 'utf8')
    .trim()
    .split('\n')
    .map((l) => Date.parse((JSON.parse(l) as { receivedAt: string }).receivedAt)),
);

/** The longest a file waits for another to finish the import (a loaded CI machine takes minutes). */
const WAIT_MS = 15 * 60_000;

async function build(at: string): Promise<ImportSummary> {
  // The desk's vault is made at an earlier moment, as a desk exists before the reports it receives.
  let clock = Date.parse('2020-01-01T00:00:00Z');
  const core = await openCore(join(at, 'profile'), { now: () => clock });
  try {
    clock = CORPUS_10K_RECEIVED;
    return await importJsonl(core, CORPUS_10K, { userId: null, name: 'shared 10k store' }, undefined, { deferIndex: true });
  } finally {
    core.close();
  }
}

/**
 * Puts a desk profile at `profile` holding the whole 10k corpus as imported once for this run, and returns that
 * import's summary (for the file to check, as it checked its own import).
 */
export async function imported10k(profile: string): Promise<ImportSummary> {
  const at = join(inject('sharedStores'), '10k');
  const ready = join(at, 'summary.json');
  const failed = join(at, 'failed.txt');
  let mine = false;
  try {
    mkdirSync(at);
    mine = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (mine) {
    try {
      const summary = JSON.stringify(await build(at));
      // Written whole, then named: a file waiting never reads half a summary.
      writeFileSync(`${ready}.part`, summary);
      renameSync(`${ready}.part`, ready);
    } catch (error) {
      writeFileSync(failed, String((error as Error).stack ?? error));
      throw error;
    }
  } else {
    const started = Date.now();
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`The shared 10k import failed in another file:\n${readFileSync(failed, 'utf8')}`);
      if (Date.now() - started > WAIT_MS) throw new Error(`The shared 10k import was not ready after ${WAIT_MS / 60_000} minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  cpSync(join(at, 'profile'), profile, { recursive: true });
  return JSON.parse(readFileSync(ready, 'utf8')) as ImportSummary;
}
