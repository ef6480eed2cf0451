// Fault injection: the desk's command-line work (import, attach, reading attachments) is hit with the faults a
// real desk meets — kill -9 at random moments, a torn write at the end of the write-ahead log, a disk that fills,
// a profile that becomes read-only — and after every single fault the store must pass SQLite's integrity check
// and the audit chain's verification, and hold everything that was seen committed before the fault.
//
// How each fault is made, honestly:
// - kill -9: SIGKILL to the `ims` process at a random moment (seeded: IMS_FAULT_SEED reproduces a run);
// - torn WAL: random bytes appended to the write-ahead log after a kill, as a power cut mid-write leaves it;
// - disk full: the profile lives on a small tmpfs mounted for the test and filled with a ballast file;
// - read-only: that tmpfs remounted read-only.
// The last two need root (CI runs as root); without it they are skipped and said so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { STORE_FILE } from '../../electron/store/db.ts';
import { createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { addUser, CORPUS_1K, openCore, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';
import { FUNSD } from '../scan-maker.ts';
import { mountTmpfs, whyNoTmpfs } from '../tmpfs.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
const tmp = tempDir('ims-fault-injection-');
const SEED = Number(process.env.IMS_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const corpus = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
const corpusRefs = new Set(corpus.map((l) => (JSON.parse(l) as { reference?: string }).reference));

/** mulberry32: a small seeded generator, so that a failing run can be repeated with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));

interface Outcome {
  fault: string;
  /** What a reader saw committed just before the fault. */
  before: number;
  /** What the store holds after it. */
  after: number;
  lost: number;
  sound: boolean;
}
const outcomes: Outcome[] = [];

function ims(profile: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function count(profile: string, sql: string): number {
  const db = new Database(join(profile, STORE_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

/**
 * Runs `ims` and kills it with SIGKILL `ms` after `committed` first reaches `target` (0: from the start), watching
 * what is committed meanwhile (a reader beside it, as another window of the desk would be). Returns the last
 * count seen before the kill, and whether the process was still running to be killed.
 */
async function killWhen(profile: string, args: string[], committed: string, target: number, ms: number): Promise<{ before: number; killed: boolean }> {
  const child = spawn(process.execPath, [IMS, ...args, '--profile', profile], { stdio: 'ignore', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
  let done = false;
  void exited.then(() => (done = true));
  let before = 0;
  let reached: number | null = target === 0 ? Date.now() : null;
  const started = Date.now();
  while (!done && Date.now() - started < 300_000) {
    try {
      if (existsSync(join(profile, STORE_FILE))) before = count(profile, committed);
    } catch {
      // The store is being created or is busy for a moment: the last count stands.
    }
    if (reached === null && before >= target) reached = Date.now();
    if (reached !== null && Date.now() - reached >= ms) break;
    await new Promise((r) => setTimeout(r, 40));
  }
  child.kill('SIGKILL');
  return { before, killed: (await exited) === 'SIGKILL' };
}

/** The store passes SQLite's integrity check and the audit chain verifies, end to end. */
function sound(profile: string): boolean {
  // Killed before the store was made: there is nothing to be inconsistent.
  if (!existsSync(join(profile, STORE_FILE))) return true;
  const db = new Database(join(profile, STORE_FILE));
  let ok: boolean;
  try {
    ok = db.pragma('integrity_check', { simple: true }) === 'ok';
  } finally {
    db.close();
  }
  if (!ok) return false;
  // The audit chain is keyed: only the vault's key tells a true chain from a recomputed one, so the command line
  // (which unlocks the vault) verifies it.
  const r = ims(profile, 'audit', 'verify', '--json');
  return r.code === 0 && (JSON.parse(r.stdout) as { ok: boolean }).ok;
}

function record(fault: string, before: number, after: number, isSound: boolean): void {
  outcomes.push({ fault, before, after, lost: Math.max(0, before - after), sound: isSound });
  expect(after, `${fault}: held ${after}, ${before} were committed before it (seed ${SEED})`).toBeGreaterThanOrEqual(before);
  expect(isSound, `${fault}: store not sound (seed ${SEED})`).toBe(true);
}

/** Imported records are from the file, each once (and the desk's own, given). */
function expectWholeImport(profile: string, own: string[] = []): number {
  if (!existsSync(join(profile, STORE_FILE))) return 0;
  const db = new Database(join(profile, STORE_FILE), { readonly: true });
  try {
    // Killed while the store was being made: the migrations that create the tables had not all committed, so
    // nothing was imported yet (the next run finishes them).
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'allegations'").get()) return 0;
    const refs = db.prepare('SELECT reference FROM allegations').pluck().all() as string[];
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.filter((r) => !corpusRefs.has(r) && !own.includes(r))).toEqual([]);
    return refs.length;
  } finally {
    db.close();
  }
}

const ALLEGATIONS = 'SELECT count(*) FROM allegations';

beforeAll(() => {
  console.log(`fault injection seed ${SEED} (IMS_FAULT_SEED=${SEED} repeats this run)`);
  writeFileSync(join(tmp.dir, 'thousand.jsonl'), `${corpus.join('\n')}\n`);
});

afterAll(() => {
  const lost = outcomes.reduce((n, o) => n + o.lost, 0);
  const unsound = outcomes.filter((o) => !o.sound).length;
  console.log(`fault injection: ${outcomes.length} faults, ${lost} lost commits, ${unsound} inconsistent stores (seed ${SEED})`);
  for (const o of outcomes) console.log(`  ${o.fault}: ${o.before} committed before, ${o.after} held after${o.sound ? '' : ', NOT SOUND'}`);
  tmp.cleanup();
});

describe('kill -9 at random moments of an import, some with a torn write-ahead log', () => {
  it('holds every batch committed before each kill, whole and once, and a last run completes the import', async () => {
    const file = join(tmp.dir, 'thousand.jsonl');
    let desk = 0;
    let profile = join(tmp.dir, `import-kills-${desk}`);
    let held = 0;
    // At least 12 kills, and on until 22 faults are recorded here (a kill leaves a torn write behind only when
    // the WAL holds something), so that the suite injects its 30 whatever the seed: the scans and the disk below
    // gave as few as 9 (a CI run of 7 Dec, seed 1783414947: 26 in all). Never more than 40 kills.
    const recordedBefore = outcomes.length;
    for (let kills = 0; kills < 40 && (kills < 12 || outcomes.length - recordedBefore < 22); ) {
      // Killed at a random moment: while starting (before the store exists), or a random time after 0 or 1 more
      // batches of 200 were committed. A desk whose import completed makes way for a new one.
      if (held === 1000) {
        profile = join(tmp.dir, `import-kills-${++desk}`);
        held = 0;
      }
      const target = held === 0 && rand() < 0.3 ? 0 : held + 200 * between(0, 1);
      const ms = between(0, 3000);
      const { before, killed } = await killWhen(profile, ['import', file], ALLEGATIONS, target, ms);
      held = expectWholeImport(profile);
      if (!killed) continue;
      kills++;
      // A power cut mid-write leaves a torn frame at the end of the write-ahead log: never a committed one.
      const wal = join(profile, `${STORE_FILE}-wal`);
      let torn = 0;
      if (existsSync(wal) && statSync(wal).size > 0) {
        torn = between(1, 8192);
        appendFileSync(wal, Buffer.from(Array.from({ length: torn }, () => Math.floor(rand() * 256))));
      }
      held = expectWholeImport(profile);
      const isSound = sound(profile);
      record(`import killed ${ms} ms after ${target} were committed`, before, held, isSound);
      if (torn) record(`then a torn write of ${torn} bytes at the end of the WAL`, before, held, isSound);
    }
    const last = ims(profile, 'import', file);
    expect(last.code, last.stderr).toBe(0);
    expect(expectWholeImport(profile)).toBe(1000);
    expect(sound(profile)).toBe(true);
    const audit = ims(profile, 'audit', 'verify', '--json');
    expect(audit.code, audit.stderr).toBe(0);
  }, 1_800_000);
});

/** A desk with one allegation to attach scans to. */
async function deskWithAllegation(profile: string): Promise<string> {
  const core = await openCore(profile);
  try {
    await addUser(core, 'nat.sifter', 'sifter', 'NAT');
    return createAllegation(core, findUserByName(core.store, 'nat.sifter')!, { ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'), offenceTypes: ['illegal_working'], freeText: 'Scans about a car wash.' }).reference;
  } finally {
    core.close();
  }
}

const SCANS = ['0000971160.png', '0000989556.png', '0000990274.png', '0000999294.png'].map((f) => join(FUNSD, f));
const READ_PAGES = "SELECT count(*) FROM attachment_pages WHERE status = 'done'";

describe('kill -9 at random moments of attaching and reading scans', () => {
  it('holds every attachment and page committed before each kill; attaching again and ocr-retry finish the work', async () => {
    const profile = join(tmp.dir, 'attach-kills');
    const reference = await deskWithAllegation(profile);
    for (const [n, scan] of SCANS.entries()) {
      // Killed a random time (0-4 s) after the attachment was committed: storing, queueing, opening, reading.
      const ms = between(0, 4000);
      const { before, killed } = await killWhen(profile, ['attach', reference, scan, '--wait'], 'SELECT count(*) FROM attachments', n + 1, ms);
      if (!killed) continue;
      const pagesBefore = count(profile, READ_PAGES);
      record(`attach --wait killed ${ms} ms after the attachment was committed`, before, count(profile, 'SELECT count(*) FROM attachments'), sound(profile));
      expect(count(profile, READ_PAGES)).toBeGreaterThanOrEqual(pagesBefore);
    }
    for (let i = 0; i < 2; i++) {
      const ms = between(0, 4000);
      const pages = count(profile, READ_PAGES);
      const { before, killed } = await killWhen(profile, ['ocr-retry', reference, '--wait'], READ_PAGES, pages + 1, ms);
      if (!killed) continue;
      record(`ocr-retry --wait killed ${ms} ms after a page was read`, before, count(profile, READ_PAGES), sound(profile));
    }
    // Every scan attached again (each once), then every attachment read.
    for (const scan of SCANS) expect(ims(profile, 'attach', reference, scan).code).toBe(0);
    expect(count(profile, 'SELECT count(*) FROM attachments')).toBe(SCANS.length);
    // Attaching again resumes reading, so it may already have finished everything (then ocr-retry rightly says there
    // is nothing to read again, and exits 1).
    if (count(profile, "SELECT count(*) FROM attachments WHERE ocr_status <> 'done'") > 0) {
      const finish = ims(profile, 'ocr-retry', reference, '--wait');
      expect(finish.code, finish.stderr).toBe(0);
    }
    expect(count(profile, "SELECT count(*) FROM attachments WHERE ocr_status = 'done'")).toBe(SCANS.length);
    expect(count(profile, 'SELECT count(*) FROM ocr_queue')).toBe(0);
    expect(sound(profile)).toBe(true);
  }, 1_800_000);
});

const cannotMount = (() => {
  const why = whyNoTmpfs();
  return why ? `a small filesystem cannot be mounted here (${why}); disk-full and read-only faults need root` : null;
})();
if (cannotMount) console.warn(`SKIPPED disk-full and read-only faults: ${cannotMount}`);

/** Fills the disk holding `dir` with a ballast file until `leave` bytes are free. */
function fill(dir: string, leave: number): string {
  const ballast = join(dir, 'ballast');
  const fs = statfsSync(dir);
  let room = fs.bavail * fs.bsize - leave;
  const fd = openSync(ballast, 'w');
  try {
    const piece = Buffer.alloc(64 * 1024, 1);
    while (room > 0) room -= writeSync(fd, piece, 0, Math.min(piece.length, room));
  } finally {
    closeSync(fd);
  }
  return ballast;
}

describe.skipIf(cannotMount !== null)('a disk that fills, and a profile that turns read-only', () => {
  const disk = join(tmp.dir, 'small-disk');
  const profile = join(disk, 'profile');
  let reference: string;
  beforeAll(async () => {
    expect(mountTmpfs(disk, '64m')).toBeNull();
    reference = await deskWithAllegation(profile);
  });
  afterAll(() => {
    spawnSync('umount', [disk]);
  });

  it('an import on a disk with little room left stops with what it committed, every time, and the store holds exactly that', () => {
    const file = join(tmp.dir, 'thousand.jsonl');
    for (const leave of [0, 256 * 1024, 1024 * 1024, 3 * 1024 * 1024]) {
      const before = count(profile, ALLEGATIONS);
      const ballast = fill(disk, leave);
      const r = ims(profile, 'import', file);
      rmSync(ballast);
      expect(r.stderr).not.toMatch(/\n\s+at |SqliteError/);
      const held = count(profile, ALLEGATIONS);
      if (r.code === 0) {
        // Room enough for the rest of the file: nothing to inject.
        expect(held).toBe(1000);
        break;
      }
      expect(r.code).toBe(1);
      const summary = r.stdout ? (JSON.parse(r.stdout) as { imported: number; stopped: string | null }) : null;
      // Either it could not open the store to begin with (said in a sentence), or it stopped part-way and says
      // exactly how many it committed.
      if (summary) {
        expect(summary.stopped).toMatch(/the disk holding the case store is full/);
        expect(held).toBe(before + summary.imported);
      } else {
        expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^ims import: (The disk holding the case store is full|The disk is full)/);
        expect(held).toBe(before);
      }
      expectWholeImport(profile, [reference]);
      record(`import on a full disk (${leave / 1024} KB left)`, before, held, sound(profile));
    }
  }, 1_800_000);

  it('reading a scan on a full disk stops with one sentence and is marked failed, not running', () => {
    expect(ims(profile, 'attach', reference, SCANS[0] as string).code).toBe(0);
    const before = count(profile, READ_PAGES);
    const ballast = fill(disk, 64 * 1024);
    const r = ims(profile, 'ocr-retry', reference, '--wait');
    rmSync(ballast);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at |SqliteError/);
    expect(count(profile, "SELECT count(*) FROM attachments WHERE ocr_status = 'running'")).toBe(0);
    record('reading a scan on a full disk', before, count(profile, READ_PAGES), sound(profile));
  }, 300_000);

  it('a read-only profile: import, attach and reading each refuse with a sentence and change nothing', () => {
    const held = count(profile, ALLEGATIONS);
    const attachments = count(profile, 'SELECT count(*) FROM attachments');
    expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
    const refused: string[] = [];
    try {
      for (const args of [['import', join(tmp.dir, 'thousand.jsonl')], ['attach', reference, SCANS[1] as string, '--wait'], ['ocr-retry', reference, '--wait']]) {
        const r = ims(profile, ...(args as string[]));
        expect(r.code, `${args[0]}: ${r.stderr}`).not.toBe(0);
        expect(r.stderr).not.toMatch(/\n\s+at |SqliteError/);
        expect(r.stderr.trim().split('\n').at(-1)).toMatch(/read-only|cannot be written|could not be opened/);
        refused.push(`${args[0]} on a read-only profile`);
      }
    } finally {
      expect(spawnSync('mount', ['-o', 'remount,rw', disk]).status).toBe(0);
    }
    for (const fault of refused) record(fault, held, count(profile, ALLEGATIONS), sound(profile));
    expect(count(profile, 'SELECT count(*) FROM attachments')).toBe(attachments);
  }, 300_000);

  it('injected at least 30 faults with no commit lost and no store inconsistent', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(30);
    expect(outcomes.filter((o) => o.lost > 0 || !o.sound)).toEqual([]);
  });
});
