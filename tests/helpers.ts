// Shared helpers for the tests: temporary profiles, the corpus, signing in through the real dispatcher.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core, type CoreOptions } from '../electron/core/core.ts';
import { createUser } from '../electron/core/users.ts';
import { dispatch } from '../electron/api/dispatch.ts';
import type { Role } from '../shared/domain/vocabularies.ts';
import type { ApiInput, ApiOutput, ProcedureName } from '../shared/api.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/**
 * The data given beside the repository (../shared/data): corpus, linkage benchmarks, scans, hostile inputs.
 * IMS_SHARED_DATA points elsewhere when the checkout does not sit beside it.
 */
export const DATA = process.env.IMS_SHARED_DATA ?? join(ROOT, '..', 'shared', 'data');
if (!existsSync(DATA)) throw new Error(`The shared test data is not at ${DATA}: clone the repository beside ../shared or set IMS_SHARED_DATA`);
export const CORPUS_1K = join(DATA, 'corpus', 'allegations-1k.jsonl');
export const CORPUS_10K = join(DATA, 'corpus', 'allegations-10k.jsonl');

export function tempDir(prefix = 'ims-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const TEST_PASSWORD = 'correct horse battery';
export const TEST_PASSPHRASE = 'desk vault passphrase for tests';

/**
 * The passphrase cost of the key rings test profiles make: scrypt 2^14, the least a ring may ask for, not the app's
 * 2^17 (half a second of CPU at every unlock, in this process or in `ims` on the profile, hundreds of times a run).
 * The tests of the key ring itself (unit/vault, unit/keyring-damage) make theirs at the app's cost.
 */
export const TEST_KEYRING_COST = { logN: 14 } as const;

/** A core on a test profile with its vault unlocked (created on first use), as a desk runs. */
export function openCore(dir: string, options: CoreOptions = {}): Promise<Core> {
  return Core.openUnlocked(dir, { kind: 'passphrase', passphrase: TEST_PASSPHRASE, testCost: TEST_KEYRING_COST }, options);
}

export async function addUser(core: Core, username: string, role: Role, unit: string | null) {
  return createUser(core.store, { userId: null, name: 'test set-up' }, { username, displayName: username.replace(/\./g, ' '), role, unit, password: TEST_PASSWORD });
}

/** Signs in through the dispatcher and returns a typed caller bound to that session. */
export async function signIn(core: Core, username: string) {
  const r = await dispatch(core, 'auth.signIn', { username, password: TEST_PASSWORD }, null);
  if (!r.ok) throw new Error(`sign-in failed: ${r.error.message}`);
  const token = (r.value as { sessionToken: string }).sessionToken;
  return {
    token,
    async call<N extends ProcedureName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
      const res = await dispatch(core, name, input, token);
      if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code, fields: res.error.fields });
      return res.value as ApiOutput<N>;
    },
    raw: (name: string, input: unknown) => dispatch(core, name, input, token),
  };
}

/** Sends a file to an allegation as the browser does (begin, chunks of the size the desk asks, finish); its attachment. */
export async function uploadFile(caller: Awaited<ReturnType<typeof signIn>>, allegationId: string, fileName: string, bytes: Buffer) {
  const { uploadId, chunkBytes } = await caller.call('attachments.begin', { allegationId, fileName, size: bytes.length });
  for (let i = 0, at = 0; at < bytes.length; i++, at += chunkBytes) {
    await caller.call('attachments.chunk', { uploadId, index: i, data: bytes.subarray(at, at + chunkBytes).toString('base64') });
  }
  return (await caller.call('attachments.finish', { uploadId })).attachment;
}
