// Attaching under faults, through `ims` as a person runs it and in a running desk: the desk killed (kill -9)
// while it reads a fax, then the same file attached again; the disk filling up while pages are being read.
// The disk is really full: the profile lives on a small tmpfs mounted for the test (root only; CI runs as root),
// filled with a ballast file, not a simulated error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import type { Core } from '../../electron/core/core.ts';
import { STORE_FILE } from '../../electron/store/db.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { addUser, openCore, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';
import { FAX } from '../scan-maker.ts';
import { mountTmpfs, whyNoTmpfs } from '../tmpfs.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
const tmp = tempDir('ims-attach-faults-');

function ims(profile: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function query<T>(profile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(profile, STORE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The store is whole: SQLite's own check, and the audit chain from the first entry to the last. */
function expectSound(profile: string): void {
  expect(query<{ integrity_check: string }>(profile, 'PRAGMA integrity_check')[0]?.integrity_check).toBe('ok');
  const audit = ims(profile, 'audit', 'verify', '--json');
  expect(audit.code, audit.stderr).toBe(0);
  expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true });
}

/** A profile with a sifter and one allegation; returns its reference. */
async function deskWithAllegation(profile: string): Promise<string> {
  const core = await openCore(profile);
  try {
    await addUser(core, 'nat.sifter', 'sifter', 'NAT');
    return createAllegation(core, findUserByName(core.store, 'nat.sifter')!, {
      ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'),
      offenceTypes: ['illegal_working'],
      freeText: 'Fax about a car wash employing men with no papers.',
    }).reference;
  } finally {
    core.close();
  }
}

afterAll(() => tmp.cleanup());

describe('an attach killed while the fax is being read', () => {
  it('leaves the attachment queued; attaching the same file again carries on and completes it, exit 0', async () => {
    const profile = join(tmp.dir, 'killed');
    const reference = await deskWithAllegation(profile);
    const child = spawn(process.execPath, [IMS, 'attach', reference, FAX, '--wait', '--profile', profile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stderr })) {
      // Killed as soon as the file is open and its pages listed: attached, committed, not yet read.
      if (/: 3 pages$/.test(line)) {
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');
    const [left] = query<{ ocr_status: string }>(profile, 'SELECT ocr_status FROM attachments');
    expect(['pending', 'running']).toContain(left?.ocr_status);
    expect(query(profile, 'SELECT * FROM ocr_queue')).toHaveLength(1);

    const again = ims(profile, 'attach', reference, FAX, '--wait');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/fax-fine-g4-3pages\.tif is already attached to IMS-[\w-]+; its reading had not finished and carries on now/);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyAttached: true, resumed: true, attachment: { ocrStatus: 'done', pages: 3, pagesDone: 3, pagesFailed: 0 } });
    expect(query(profile, 'SELECT * FROM attachments')).toHaveLength(1);
    expect(query(profile, 'SELECT * FROM ocr_queue')).toHaveLength(0);

    // A third time there is nothing left to do: it says so and changes nothing.
    const third = ims(profile, 'attach', reference, FAX, '--wait');
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ alreadyAttached: true, resumed: false });
    expect(third.stderr).toMatch(/is already attached to IMS-[\w-]+ \(the same file\)/);
    expectSound(profile);
  }, 240_000);
});

describe('a desk stopped between reading the last page and finishing the attachment', () => {
  it('ims ocr-retry reads it again and finishes it, exit 0, rather than saying there is nothing to retry', async () => {
    const profile = join(tmp.dir, 'unfinished');
    const reference = await deskWithAllegation(profile);
    expect(ims(profile, 'attach', reference, FAX, '--wait').code).toBe(0);
    // What kill -9 leaves in that window: every page committed as read, the attachment still running.
    const db = new Database(join(profile, STORE_FILE));
    db.prepare("UPDATE attachments SET ocr_status = 'running'").run();
    db.close();
    expect(query<{ n: number }>(profile, "SELECT count(*) AS n FROM attachment_pages WHERE status <> 'done'")[0]?.n).toBe(0);

    const retry = ims(profile, 'ocr-retry', reference, '--wait');
    expect(retry.code, retry.stderr).toBe(0);
    expect(query(profile, 'SELECT ocr_status FROM attachments')).toEqual([{ ocr_status: 'done' }]);
    expect(query(profile, 'SELECT * FROM ocr_queue')).toHaveLength(0);
    // Once finished, a further retry rightly has nothing to read.
    const again = ims(profile, 'ocr-retry', reference, '--wait');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/every attachment has been read/);
  }, 240_000);
});

const cannotMount = (() => {
  const why = whyNoTmpfs();
  return why ? `a small filesystem cannot be mounted here (${why}); the disk-full tests need root` : null;
})();
if (cannotMount) console.warn(`SKIPPED disk-full attach tests: ${cannotMount}`);

/** Fills the disk holding `dir` with a ballast file until `leave` bytes are free. */
function fill(dir: string, leave: number): string {
  const ballast = join(dir, 'ballast');
  const fs = statfsSync(dir);
  let room = fs.bavail * fs.bsize - leave;
  const fd = openSync(ballast, 'w');
  try {
    const piece = Buffer.alloc(64 * 1024, 1);
    while (room > 0) {
      room -= writeSync(fd, piece, 0, Math.min(piece.length, room));
    }
  } finally {
    closeSync(fd);
  }
  return ballast;
}

describe.skipIf(cannotMount !== null)('a disk that fills while a fax is being read', () => {
  const disk = join(tmp.dir, 'small-disk');
  let core: Core | null = null;
  beforeAll(() => {
    expect(mountTmpfs(disk, '48m')).toBeNull();
  });
  afterAll(() => {
    core?.close();
    spawnSync('umount', [disk]);
  });

  it('ims attach --wait: one sentence, exit 1, the attachment failed (not "running") and still queued; with room again it is read', async () => {
    const profile = join(disk, 'cli');
    const reference = await deskWithAllegation(profile);
    expect(ims(profile, 'attach', reference, FAX).code).toBe(0);
    const ballast = fill(disk, 96 * 1024);

    const full = ims(profile, 'ocr-retry', reference, '--wait');
    expect(full.code, full.stderr).toBe(1);
    expect(full.stderr).not.toMatch(/\n\s+at |SqliteError|SQLITE_/);
    const sentences = full.stderr.split('\n').filter((l) => /full/.test(l));
    expect(sentences).toEqual(['Reading attachments stopped: the disk holding the case store is full. Pages read before it stopped are kept; the attachments it was reading are marked failed and are read again, where they stopped, once there is room.']);
    rmSync(ballast);
    const [row] = query<{ ocr_status: string; error_code: string; error: string }>(profile, 'SELECT ocr_status, error_code, error FROM attachments');
    expect(row).toMatchObject({ ocr_status: 'failed', error_code: 'disk_full' });
    expect(row?.error).toMatch(/^Reading stopped: the disk holding the case store is full\. It is read again, where it stopped, once there is room$/);
    expect(query(profile, 'SELECT * FROM ocr_queue')).toHaveLength(1);
    expectSound(profile);

    const again = ims(profile, 'ocr-retry', reference, '--wait');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).status.attachments[0]).toMatchObject({ ocrStatus: 'done', pagesDone: 3 });
    expect(query(profile, 'SELECT * FROM ocr_queue')).toHaveLength(0);
    expectSound(profile);
  }, 240_000);

  it('a running desk stops reading, then resumes by itself when room is made', async () => {
    const profile = join(disk, 'desk');
    const reference = await deskWithAllegation(profile);
    expect(ims(profile, 'attach', reference, FAX).code).toBe(0);
    const ballast = fill(disk, 96 * 1024);
    const said: string[] = [];
    core = await openCore(profile, { attachments: { faultRetryMs: 200, report: (s) => said.push(s) } });
    core.attachments.resume();
    await core.attachments.whenIdle();
    expect(core.attachments.reading.stopped()).toMatch(/^Reading attachments stopped: the disk holding the case store is full\./);
    const [stopped] = core.attachments.list(core.store.db.prepare('SELECT allegation_id AS a FROM attachments').pluck().get() as string);
    expect(stopped).toMatchObject({ ocrStatus: 'failed' });

    rmSync(ballast);
    for (let i = 0; i < 100 && core.attachments.reading.stopped(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(core.attachments.reading.stopped()).toBeNull();
    await core.attachments.whenIdle();
    const [read] = core.attachments.list(stopped!.allegationId);
    expect(read).toMatchObject({ ocrStatus: 'done', pagesDone: 3 });
    expect(said).toEqual([expect.stringMatching(/^Reading attachments stopped/), 'Reading attachments resumed: there is room on the disk again.']);
    core.close();
    core = null;
    expectSound(profile);
  }, 240_000);
});
