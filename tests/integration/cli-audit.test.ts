// Audit belongs to the use-cases, not to the hosts: the command line writes the same audit entries as the screens
// for the same work — an export of search results, a rebuild of the index — and rotating the vault's key writes
// its entry in the rotation's own transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CORPUS_1K, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';
import { STORE_FILE } from '../../electron/store/db.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
let tmp: ReturnType<typeof tempDir>;
let profile: string;

function ims(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function audit(action: string): Array<{ actor: string; details: Record<string, unknown> }> {
  const db = new Database(join(profile, STORE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT actor, details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as Array<{ actor: string; details: string }>).map((r) => ({ actor: r.actor, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

beforeAll(() => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
  expect(ims({}, 'import', CORPUS_1K).code).toBe(0);
}, 300_000);
afterAll(() => tmp.cleanup());

describe('the command line audits through the use-cases', () => {
  it('audits `ims search --csv` as an export, with the query and the rows', () => {
    const r = ims({}, 'search', '"no papers"', '--csv');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').length - 1;
    expect(rows).toBeGreaterThan(10);
    expect(audit('search.export')).toEqual([expect.objectContaining({ actor: expect.stringContaining('search --csv'), details: expect.objectContaining({ q: '"no papers"', rows }) })]);
  });

  it('audits `ims reindex` as the screen does', () => {
    expect(ims({}, 'reindex', '--json').code).toBe(0);
    expect(audit('search.reindex')).toHaveLength(1);
  });

  it('audits `ims vault rotate` with the number of keys re-wrapped', () => {
    const r = ims({ IMS_NEW_PASSPHRASE: 'another long desk passphrase' }, 'vault', 'rotate');
    expect(r.code).toBe(0);
    const rotated = JSON.parse(r.stdout) as { rewrapped: number; keyId: string };
    expect(audit('vault.rotate')).toEqual([expect.objectContaining({ details: expect.objectContaining({ rewrapped: rotated.rewrapped, changes: 0 }) })]);
    expect(ims({ IMS_PASSPHRASE: 'another long desk passphrase' }, 'audit', 'verify').code).toBe(0);
  });
});
