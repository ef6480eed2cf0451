// A small filesystem of a test's own, for faults of a full or read-only disk: a tmpfs, which only root may mount.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';

/** A tmpfs of the given size at `dir`. Returns why it cannot, or null. */
export function mountTmpfs(dir: string, size: string): string | null {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}

/** Why a small filesystem cannot be mounted here (tried once, with a 1 MB one), or null when it can. */
export function whyNoTmpfs(): string | null {
  const probe = tempDir('ims-mount-probe-');
  const at = join(probe.dir, 'fs');
  const why = mountTmpfs(at, '1m');
  if (!why) spawnSync('umount', [at]);
  probe.cleanup();
  return why;
}
