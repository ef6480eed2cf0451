// Finding 1 of issue 16: another desk's key ring was accepted when its passphrase was the same. Copy
// keys/keyring.json from one profile to another, import five records with sources, put the right ring back: the
// five sources could no longer be read. The store now records the ring that sealed it and refuses any other at
// unlock, before anything is written with it, saying which ring it expects and that nothing was changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { keyringPath } from '../../electron/vault/keyring.ts';
import { readRingRecord } from '../../electron/vault/ring-record.ts';
import { STORE_FILE } from '../../electron/store/db.ts';
import { findAllegationId } from '../../electron/store/allegations.ts';
import { readSourceForCore } from '../../electron/store/allegation-write.ts';
import { CORPUS_1K, openCore, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';

const lines = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
const withSource = lines.map((l) => JSON.parse(l) as { reference: string; source: { name: string } | null }).filter((r) => r.source);

let tmp: ReturnType<typeof tempDir>;
let deskA: string;
let deskB: string;
let firstFive: string;
let nextFive: string;
let ringA: Buffer;
let ringB: Buffer;

function counts(profile: string): { dataKeys: number; audit: number; allegations: number } {
  const db = new Database(join(profile, STORE_FILE), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { dataKeys: one('SELECT count(*) AS n FROM data_keys'), audit: one('SELECT count(*) AS n FROM audit_log'), allegations: one('SELECT count(*) AS n FROM allegations') };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  tmp = tempDir();
  deskA = join(tmp.dir, 'desk-a');
  deskB = join(tmp.dir, 'desk-b');
  firstFive = join(tmp.dir, 'first-five.jsonl');
  nextFive = join(tmp.dir, 'next-five.jsonl');
  const refs = new Set(withSource.slice(0, 10).map((r) => r.reference));
  const picked = lines.filter((l) => refs.has((JSON.parse(l) as { reference: string }).reference));
  writeFileSync(firstFive, `${picked.slice(0, 5).join('\n')}\n`);
  writeFileSync(nextFive, `${picked.slice(5, 10).join('\n')}\n`);
  // Two desks with the same passphrase, each with its own ring and sealed sources.
  for (const desk of [deskA, deskB]) {
    const core = await openCore(desk);
    await importJsonl(core, firstFive, { userId: null, name: 'test' });
    core.close();
  }
  ringA = readFileSync(keyringPath(deskA));
  ringB = readFileSync(keyringPath(deskB));
});
afterAll(() => tmp.cleanup());

describe("a store refuses a key ring that is not the one that sealed it", () => {
  it('records the ring that sealed it when the ring is created', () => {
    const db = new Database(join(deskA, STORE_FILE), { readonly: true });
    try {
      const record = readRingRecord(db);
      expect(record?.keyId).toBe((JSON.parse(ringA.toString('utf8')) as { keyId: string }).keyId);
      expect(record?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      db.close();
    }
  });

  it("refuses desk B's ring on desk A with the same passphrase, says which ring it expects, and changes nothing", async () => {
    writeFileSync(keyringPath(deskA), ringB);
    const before = counts(deskA);
    const expected = readRingRecord(new Database(join(deskA, STORE_FILE), { readonly: true }))?.keyId as string;
    const err = await Core.openUnlocked(deskA, { kind: 'passphrase', passphrase: TEST_PASSPHRASE }).catch((e: unknown) => e as Error & { kind?: string });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ kind: 'wrong_ring' });
    expect((err as Error).message).toContain(`sealed under key ring ${expected}`);
    expect((err as Error).message).toMatch(/Nothing was changed/);
    // The five-record import of the finding: refused at unlock, nothing imported, no data key made under B's ring.
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'import', nextFive, '--profile', deskA], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain(`sealed under key ring ${expected}`);
    expect(counts(deskA)).toEqual(before);
  });

  it('opens again, every source readable, once its own ring is back', async () => {
    writeFileSync(keyringPath(deskA), ringA);
    const core = await openCore(deskA);
    try {
      await importJsonl(core, nextFive, { userId: null, name: 'test' });
      for (const r of withSource.slice(0, 10)) {
        const id = findAllegationId(core.store.db, { reference: r.reference }) as string;
        expect(readSourceForCore(core.store.db, core.vault, id)?.name).toBe(r.source?.name);
      }
    } finally {
      core.close();
    }
  });

  it('checks a store from before rings were recorded against the ring its data keys name, then records it', async () => {
    const dropRecord = () => {
      const db = new Database(join(deskA, STORE_FILE));
      db.prepare("DELETE FROM meta WHERE key = 'vault_ring'").run();
      db.close();
    };
    dropRecord();
    writeFileSync(keyringPath(deskA), ringB);
    await expect(Core.openUnlocked(deskA, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({ kind: 'wrong_ring', message: expect.stringMatching(/wraps none of its \d+ data keys.*Nothing was changed/) });
    expect(readRingRecord(new Database(join(deskA, STORE_FILE), { readonly: true }))).toBeNull();
    writeFileSync(keyringPath(deskA), ringA);
    const core = await openCore(deskA);
    core.close();
    expect(readRingRecord(new Database(join(deskA, STORE_FILE), { readonly: true }))?.keyId).toBe((JSON.parse(ringA.toString('utf8')) as { keyId: string }).keyId);
  });

  it('a missing ring is reported with the ring the store expects, and a new one is not made in its place', async () => {
    const path = keyringPath(deskA);
    copyFileSync(path, `${path}.away`);
    const { rmSync } = await import('node:fs');
    rmSync(path);
    await expect(Core.openUnlocked(deskA, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({ kind: 'missing', message: expect.stringMatching(/sealed under key ring mk-.*Nothing was changed/) });
    copyFileSync(`${path}.away`, path);
  });

  it('rotation moves the record to the new ring in the same transaction; the old ring is then refused', async () => {
    const old = readFileSync(keyringPath(deskA));
    const core = await openCore(deskA);
    const { keyId } = await core.vault.rotate({ kind: 'passphrase', passphrase: TEST_PASSPHRASE });
    expect(readRingRecord(core.store.db)?.keyId).toBe(keyId);
    core.close();
    const rotated = readFileSync(keyringPath(deskA));
    writeFileSync(keyringPath(deskA), old);
    await expect(Core.openUnlocked(deskA, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({ kind: 'wrong_ring' });
    writeFileSync(keyringPath(deskA), rotated);
    (await openCore(deskA)).close();
  });
});
