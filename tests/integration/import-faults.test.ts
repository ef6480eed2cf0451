// Import under faults, through the `ims` command as a person runs it: a line far too long to hold (600 MB),
// and a disk that fills up part-way. Good lines import, what was committed is said, and a re-run continues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CORPUS_1K, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';
import { STORE_FILE } from '../../electron/store/db.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
const corpus = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
let tmp: ReturnType<typeof tempDir>;

/** Runs `ims` with a heap of 256 MB: a 600 MB line cannot be held in memory even by accident. */
function ims(profile: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function allegations(profile: string): number {
  const db = new Database(join(profile, STORE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(() => {
  tmp = tempDir('ims-import-faults-');
});
afterAll(() => tmp.cleanup());

describe('an import file with one enormous line', () => {
  it('skips the 600 MB line with its number, imports the 200 good lines around it, and stays within its memory', () => {
    const file = join(tmp.dir, 'long-line.jsonl');
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, `${corpus.slice(0, 100).join('\n')}\n`);
      // One JSON object whose text runs to 600 MB, written in 8 MB pieces.
      const piece = Buffer.alloc(8 * 1024 * 1024, 'a');
      writeSync(fd, '{"reference":"IMS-2026-999999","freeText":"');
      for (let i = 0; i < 75; i++) writeSync(fd, piece);
      writeSync(fd, '"}\n');
      writeSync(fd, `${corpus.slice(100, 200).join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
    const profile = join(tmp.dir, 'long-line-profile');
    const r = ims(profile, 'import', file);
    expect(r.stderr).not.toMatch(/RangeError|Invalid string length|\n\s+at /);
    expect(r.stderr).toMatch(/^line 101: is 600 MB long, over the limit of 16 MB for one record: skipped unread/m);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 201, imported: 200, failed: 1, errors: [{ line: 101, reference: null }], stopped: null });
    expect(allegations(profile)).toBe(200);
  });
});

/** A tmpfs of the given size at `dir` (root only; CI runs as root). Returns why it cannot, or null. */
function mountTmpfs(dir: string, size: string): string | null {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}

const canMount = (() => {
  const probe = tempDir('ims-mount-probe-');
  const at = join(probe.dir, 'fs');
  const why = mountTmpfs(at, '1m');
  if (!why) spawnSync('umount', [at]);
  probe.cleanup();
  return why ? `a small filesystem cannot be mounted here (${why}); the disk-full test needs root` : null;
})();
if (canMount) console.warn(`SKIPPED disk-full import test: ${canMount}`);

describe.skipIf(canMount !== null)('an import that fills the disk', () => {
  const disk = () => join(tmp.dir, 'small-disk');
  afterAll(() => {
    spawnSync('umount', [disk()]);
  });

  it('stops with one sentence saying how many were committed, exits non-zero, and a re-run on a bigger disk continues', () => {
    expect(mountTmpfs(disk(), '12m')).toBeNull();
    const profile = join(disk(), 'profile');
    const file = join(tmp.dir, 'thousand.jsonl');
    writeFileSync(file, `${corpus.join('\n')}\n`);

    const full = ims(profile, 'import', file);
    expect(full.code).not.toBe(0);
    expect(full.stderr).not.toMatch(/\n\s+at |SqliteError/);
    const summary = JSON.parse(full.stdout) as { imported: number; stopped: string };
    expect(summary.imported).toBeGreaterThan(0);
    expect(summary.imported).toBeLessThan(1000);
    // Every batch boundary is committed: what is held is exactly what the summary says, whole batches of 200.
    expect(summary.imported % 200).toBe(0);
    const sentence = `The import stopped at line ${summary.imported + 1}: the disk holding the case store is full. ${summary.imported} records were imported and committed before it stopped; nothing after them was stored. Import the same file again to continue: records already held are not imported twice.`;
    expect(summary.stopped).toBe(sentence);
    expect(full.stderr.trim().split('\n').at(-1)).toBe(`ims import: ${sentence}`);

    // Room again: the same command continues where it stopped.
    expect(spawnSync('mount', ['-o', 'remount,size=64m', disk()]).status).toBe(0);
    expect(allegations(profile)).toBe(summary.imported);
    const again = ims(profile, 'import', file);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 1000 - summary.imported, unchanged: summary.imported, failed: 0, stopped: null });
    expect(allegations(profile)).toBe(1000);

    const db = new Database(join(profile, STORE_FILE), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const audit = ims(profile, 'audit', 'verify', '--json');
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true });
  }, 600_000);
});
