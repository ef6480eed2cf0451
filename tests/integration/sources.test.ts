// The restricted source pane: who may open it (API and CLI), the audit entry written first, the key ring's
// failure modes, rotation, and tamper-evidence of the audit chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { Core as CoreClass } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { findAllegationId } from '../../electron/store/allegations.ts';
import { keyringPath } from '../../electron/vault/keyring.ts';
import { STORE_FILE } from '../../electron/store/db.ts';
import { addUser, CORPUS_1K, openCore, ROOT, signIn, tempDir, TEST_PASSPHRASE, TEST_PASSWORD } from '../helpers.ts';

const lines = readFileSync(CORPUS_1K, 'utf8').trim().split('\n');
const first = JSON.parse(lines[0] as string) as { reference: string; source: { name: string; phone: string; email: string } };

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let profile: string;
let allegationId: string;
let allocated: Awaited<ReturnType<typeof signIn>>;
let other: Awaited<ReturnType<typeof signIn>>;
let nsu: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
  core = await openCore(profile);
  await importJsonl(core, CORPUS_1K, { userId: null, name: 'test' });
  await addUser(core, 'allocated.analyst', 'analyst', 'LACAT');
  await addUser(core, 'other.analyst', 'analyst', 'LACAT');
  await addUser(core, 'nsu.officer', 'nsu', null);
  await addUser(core, 'sacu.officer', 'sacu', null);
  allocated = await signIn(core, 'allocated.analyst');
  other = await signIn(core, 'other.analyst');
  nsu = await signIn(core, 'nsu.officer');
  allegationId = findAllegationId(core.store.db, { reference: first.reference }) as string;
  await allocated.call('allegations.allocate', { id: allegationId });
});
afterAll(() => {
  core?.close();
  tmp.cleanup();
});

const sourceOpenings = () => (core.store.db.prepare("SELECT seq, user_id FROM audit_log WHERE action = 'source.open' AND allegation_id = ? ORDER BY seq").all(allegationId) as Array<{ seq: number; user_id: string }>);

describe('who may open the restricted source pane', () => {
  it('an analyst not allocated to the case learns a source exists and whom to ask, never the details', async () => {
    const status = await other.call('source.status', { allegationId });
    expect(status).toMatchObject({ exists: true, canOpen: false, askWho: [expect.stringContaining('allocated to this case'), 'the National Source Unit'] });
    const r = await other.raw('source.open', { allegationId, reason: 'curious about this one' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(r)).not.toContain(first.source.name);
    expect(sourceOpenings()).toEqual([]);
    // The refusal is itself recorded for SACU.
    expect(core.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'source.open_refused' AND allegation_id = ?").get(allegationId)).toEqual({ n: 1 });
  });

  it('an allocated analyst can, and exactly one audit entry is written, before the details', async () => {
    const before = (core.store.db.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number }).s;
    const pane = await allocated.call('source.open', { allegationId, reason: 'Need to recontact the reporter' });
    expect(pane.details).toMatchObject({ name: first.source.name, phone: first.source.phone, email: first.source.email });
    const entries = sourceOpenings();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.seq).toBe(before + 1);
    expect(pane.auditEntry).toBe(before + 1);
    const details = JSON.parse((core.store.db.prepare('SELECT details FROM audit_log WHERE seq = ?').get(before + 1) as { details: string }).details);
    expect(details).toEqual({ reference: first.reference, reason: 'Need to recontact the reporter', role: 'analyst' });
    expect(JSON.stringify(details)).not.toContain(first.source.name);
  });

  it('NSU can open any pane; SACU sees every opening with who, when and why', async () => {
    await nsu.call('source.open', { allegationId, reason: 'Repeat referrer review' });
    const sacu = await signIn(core, 'sacu.officer');
    const log = await sacu.call('audit.sourceAccess', { reference: first.reference });
    expect(log.map((e) => [e.action, e.reason])).toEqual([
      ['source.open', 'Repeat referrer review'],
      ['source.open', 'Need to recontact the reporter'],
      ['source.open_refused', null],
    ]);
    await expect(other.call('audit.sourceAccess', {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('logs contact with the source, sealed, and flags staff tasking the source', async () => {
    const pane = await allocated.call('source.addContact', { allegationId, method: 'telephone', direction: 'to_source', summary: 'Asked: can you find out where he works now and let us know?' });
    expect(pane.contacts.at(-1)).toMatchObject({ tasking: true, summary: expect.stringContaining('can you find out') });
    const row = core.store.db.prepare('SELECT payload, tasking FROM source_contacts WHERE allegation_id = ?').get(allegationId) as { payload: Buffer; tasking: number };
    expect(row.tasking).toBe(1);
    expect(row.payload.toString('latin1')).not.toContain('find out');
  });

  it('refuses the CLI to an unallocated analyst and opens it, audited, for an allocated one', () => {
    const run = (user: string) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'source', first.reference, '--as', user, '--reason', 'CLI check of the pane', '--json', '--profile', profile], {
        encoding: 'utf8',
        env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE, IMS_PASSWORD: TEST_PASSWORD },
      });
    core.close();
    const refused = run('other.analyst');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/open only to staff allocated to the case and to the National Source Unit/);
    expect(refused.stdout).not.toContain(first.source.name);
    const opened = run('allocated.analyst');
    expect(opened.status).toBe(0);
    expect(JSON.parse(opened.stdout).details.name).toBe(first.source.name);
    const wrongPassword = spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'source', first.reference, '--as', 'allocated.analyst', '--reason', 'x y z w v', '--profile', profile], {
      encoding: 'utf8',
      env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE, IMS_PASSWORD: 'not it at all' },
    });
    expect(wrongPassword.stderr).toMatch(/username or password is not right/);
  });
});

describe('key material failures are clear and lose nothing', () => {
  it('a wrong passphrase is refused and nothing is decrypted', async () => {
    await expect(CoreClass.openUnlocked(profile, { kind: 'passphrase', passphrase: 'definitely not the passphrase' })).rejects.toThrow('The vault passphrase is not right');
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'nsu', 'referrers', '--json', '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: 'definitely not the passphrase' } });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toMatch(/The vault passphrase is not right/);
  });

  it('a missing or corrupted key ring is reported, and the data is intact once it is restored', async () => {
    const path = keyringPath(profile);
    const saved = readFileSync(path);
    renameSync(path, `${path}.away`);
    await expect(CoreClass.openUnlocked(profile, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toThrow(/key ring is missing.*sealed records exist/);
    writeFileSync(path, saved.subarray(0, 100));
    await expect(CoreClass.openUnlocked(profile, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toThrow(/damaged/);
    writeFileSync(path, saved);
    core = await openCore(profile);
    const again = await signIn(core, 'allocated.analyst');
    expect((await again.call('source.open', { allegationId, reason: 'After restoring the keys' })).details.name).toBe(first.source.name);
  });

  it('rotating the master key re-wraps every data key; sealed data still opens, with the new passphrase only', async () => {
    const dataKeys = (core.store.db.prepare('SELECT count(*) AS n FROM data_keys').get() as { n: number }).n;
    const sealedBefore = core.store.db.prepare('SELECT payload FROM source_details WHERE allegation_id = ?').get(allegationId) as { payload: Buffer };
    const result = await core.vault.rotate({ kind: 'passphrase', passphrase: 'a brand new desk passphrase' });
    expect(result.rewrapped).toBe(dataKeys);
    expect((core.store.db.prepare('SELECT payload FROM source_details WHERE allegation_id = ?').get(allegationId) as { payload: Buffer }).payload.equals(sealedBefore.payload)).toBe(true);
    core.close();
    await expect(CoreClass.openUnlocked(profile, { kind: 'passphrase', passphrase: TEST_PASSPHRASE })).rejects.toThrow('not right');
    core = await CoreClass.openUnlocked(profile, { kind: 'passphrase', passphrase: 'a brand new desk passphrase' });
    const session = await signIn(core, 'allocated.analyst');
    expect((await session.call('source.open', { allegationId, reason: 'After rotation' })).details.name).toBe(first.source.name);
  });
});

describe('the audit chain shows any tampering', () => {
  const tamper = (sql: string) => {
    core.close();
    const db = new Database(join(profile, STORE_FILE));
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    db.exec(sql);
    db.close();
  };
  const verify = () =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'ims.js'), 'audit', 'verify', '--json', '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: 'a brand new desk passphrase' } });

  it('is intact before anyone touches it', () => {
    core.close();
    const r = verify();
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  it('detects an edited entry, a deleted one, a reordering and entries cut from the end', () => {
    const original = readFileSync(join(profile, STORE_FILE));
    const restore = () => writeFileSync(join(profile, STORE_FILE), original);
    const cases: Array<[string, RegExp]> = [
      ["UPDATE audit_log SET details = '{\"reference\":\"IMS-0000-000000\"}' WHERE seq = 5", /entry 5: its content does not match its MAC/],
      ['DELETE FROM audit_log WHERE seq = 7', /entry 7 is missing/],
      ['UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -1;', /entry 3: does not follow the entry before it/],
      ['DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)', /entries were removed from the end/],
    ];
    for (const [sql, problem] of cases) {
      core.close();
      // Fold the WAL into the file first, so the copy and the edit see the same database.
      const db = new Database(join(profile, STORE_FILE));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      tamper(sql);
      const r = verify();
      expect(r.status, sql).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`, sql).toMatch(problem);
      restore();
    }
  });
});

describe('sanitised output', () => {
  it('an intelligence report gives the reference to ask through, never the source, even for text written after intake', async () => {
    core.close();
    core = await CoreClass.openUnlocked(profile, { kind: 'passphrase', passphrase: 'a brand new desk passphrase' });
    allocated = await signIn(core, 'allocated.analyst');
    const created = await allocated.call('allegations.create', {
      form: {
        channel: 'telephone',
        reporterType: 'public',
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
        offenceTypes: ['illegal_working'],
        freeText: 'Caller reports cash-in-hand work at a car wash on Green Lane.',
        subjects: [{ surname: 'Petrov', forename: 'Ivan' }],
        addresses: [{ type: 'offence_location', line1: '1 Green Lane', postcode: 'N4 1AA' }],
        source: { name: 'Anna Brown', phone: '07700 900111', email: '', address: '', relationship: 'neighbour', organisation: '' },
      },
    });
    // A later note records a new number before anyone knew it was the caller's…
    await allocated.call('allegations.allocate', { id: created.id });
    await allocated.call('notes.add', { allegationId: created.id, text: 'Called back from 07700 900555 with more detail.' });
    // …then the source pane is updated with it.
    await allocated.call('source.update', { allegationId: created.id, details: { name: 'Anna Brown', phone: '07700 900555', email: '', address: '', relationship: 'neighbour', organisation: '' }, reason: 'New number from the caller' });
    const report = await allocated.call('allegations.report', { id: created.id });
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/Anna Brown|07700 900555|07700 900111/);
    expect(text).toContain(`quoting ${created.reference}`);
    expect(report.sections.find((s) => s.heading === 'Notes')?.lines[0]).toContain('[source withheld]');
  });
});
