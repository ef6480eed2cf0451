// Finding 5 of issue 16, each gap as the attacker found it:
// - `ims users add --role nsu` (or admin) succeeded with no credential and no passphrase;
// - a NAT sifter or a manager could allocate a case to themselves and then open its source pane;
// - sign-in had no lockout or back-off: 100 wrong passwords, then the right one accepted;
// - `nsu reveal` by a non-NSU user, and wrong CLI passwords, left nothing in the audit trail.
// (The launch cookie sent to other loopback ports is tests/integration/web-host.test.ts: the key is a header now.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { dispatch } from '../../electron/api/dispatch.ts';
import { SIGN_IN_POLICY } from '../../electron/core/sign-in.ts';
import { addUser, CORPUS_1K, openCore, ROOT, signIn, tempDir, TEST_PASSPHRASE, TEST_PASSWORD } from '../helpers.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
let tmp: ReturnType<typeof tempDir>;
let profile: string;
let core: Core;
let clock = Date.parse('2026-12-01T09:00:00Z');
let natCase: { id: string; unit_code: string };
let unitCase: { id: string; unit_code: string };

function ims(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE, IMS_PASSWORD: '', IMS_NEW_PASSWORD: 'a long new password', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const auditOf = (action: string) =>
  (core.store.db.prepare('SELECT actor, details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as Array<{ actor: string; details: string }>).map((r) => ({ actor: r.actor, ...(JSON.parse(r.details) as Record<string, unknown>) }));

beforeAll(async () => {
  tmp = tempDir();
  profile = join(tmp.dir, 'profile');
  core = await openCore(profile, { now: () => clock });
  const file = join(tmp.dir, 'forty.jsonl');
  writeFileSync(file, `${readFileSync(CORPUS_1K, 'utf8').trim().split('\n').slice(0, 40).join('\n')}\n`);
  await importJsonl(core, file, { userId: null, name: 'test' });
  unitCase = core.store.db.prepare("SELECT id, unit_code FROM allegations WHERE has_source = 1 AND unit_code <> 'NAT' LIMIT 1").get() as typeof unitCase;
  core.store.db.prepare("UPDATE allegations SET unit_code = 'NAT' WHERE id = (SELECT id FROM allegations WHERE has_source = 1 AND id <> ? LIMIT 1)").run(unitCase.id);
  natCase = core.store.db.prepare("SELECT id, unit_code FROM allegations WHERE unit_code = 'NAT' AND has_source = 1 LIMIT 1").get() as typeof natCase;
  await addUser(core, 'the.admin', 'admin', null);
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'a.manager', 'manager', null);
  await addUser(core, 'unit.analyst', 'analyst', unitCase.unit_code);
  await addUser(core, 'unit.dm', 'duty_manager', unitCase.unit_code);
  await addUser(core, 'locked.out', 'analyst', unitCase.unit_code);
}, 240_000);
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('allocation by role: nobody allocates themselves into a source pane they should not see', () => {
  it('refuses a NAT sifter taking a NAT case, and the pane stays shut', async () => {
    const sifter = await signIn(core, 'nat.sifter');
    await expect(sifter.call('allegations.allocate', { id: natCase.id })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/cannot allocate a case to themselves: being allocated opens its source pane/) });
    await expect(sifter.call('source.open', { allegationId: natCase.id, reason: 'Curious about the writer' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses a manager taking any case, while letting them allocate it to the unit analyst', async () => {
    const manager = await signIn(core, 'a.manager');
    await expect(manager.call('allegations.allocate', { id: unitCase.id })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/manager cannot allocate a case to themselves/) });
    await expect(manager.call('source.open', { allegationId: unitCase.id, reason: 'Curious about the writer' })).rejects.toMatchObject({ code: 'forbidden' });
    const analystId = (core.store.db.prepare("SELECT id FROM users WHERE username = 'unit.analyst'").get() as { id: string }).id;
    await manager.call('allegations.allocate', { id: unitCase.id, userId: analystId });
    const analyst = await signIn(core, 'unit.analyst');
    expect((await analyst.call('source.open', { allegationId: unitCase.id, reason: 'Recontact about the van' })).details.name).toBeTruthy();
  });

  it('refuses allocating to a sifter, whom being allocated would give the source pane', async () => {
    const dm = await signIn(core, 'unit.dm');
    const sifterId = (core.store.db.prepare("SELECT id FROM users WHERE username = 'nat.sifter'").get() as { id: string }).id;
    await expect(dm.call('allegations.allocate', { id: unitCase.id, userId: sifterId })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/cases are allocated to analysts and duty managers/) });
  });
});

describe('sign-in back-off and lockout', () => {
  it('answers 100 wrong passwords at six a second with a growing wait, then refuses the right one', async () => {
    const attempt = (password: string) => dispatch(core, 'auth.signIn', { username: 'locked.out', password }, null);
    const messages: string[] = [];
    for (let i = 0; i < 100; i++) {
      clock += 170; // six a second, as in the finding
      const r = await attempt(`wrong password ${i}`);
      expect(r.ok).toBe(false);
      if (!r.ok) messages.push(r.error.message);
    }
    expect(messages[SIGN_IN_POLICY.backoffAfter - 1]).toMatch(/Wait 1 second before trying again/);
    expect(messages.filter((m) => /Too many failed sign-ins for this account: try again in/.test(m)).length).toBeGreaterThan(90);
    // The right password straight after is refused: the account is waiting out its back-off.
    clock += 170;
    expect(await attempt(TEST_PASSWORD)).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/try again in/) } });
    // Only the attempts actually checked are audited one by one; the refused ones are counted into them.
    const failed = auditOf('auth.sign_in_failed').filter((e) => e.actor === 'locked.out');
    expect(failed.length).toBeLessThan(SIGN_IN_POLICY.lockAfter);
  });

  it('locks the account after ten failures however patiently they are spaced, until an administrator unlocks it', async () => {
    const attempt = (password: string) => dispatch(core, 'auth.signIn', { username: 'locked.out', password }, null);
    for (let guard = 0; guard < 50 && auditOf('auth.locked').length === 0; guard++) {
      clock += SIGN_IN_POLICY.maxDelayMs + 1_000;
      await attempt(`patient guess ${guard}`);
    }
    expect(auditOf('auth.locked')).toEqual([expect.objectContaining({ actor: 'locked.out', failures: SIGN_IN_POLICY.lockAfter })]);
    clock += 20 * 60_000;
    expect(await attempt(TEST_PASSWORD)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/locked after \d+ failed sign-ins: an administrator can unlock it/) } });
    const admin = await signIn(core, 'the.admin');
    const id = (core.store.db.prepare("SELECT id FROM users WHERE username = 'locked.out'").get() as { id: string }).id;
    expect(await admin.call('users.unlock', { id })).toEqual({ locked: false, failedSignIns: 0 });
    expect(await attempt(TEST_PASSWORD)).toMatchObject({ ok: true });
    expect(auditOf('auth.unlocked')).toHaveLength(1);
  });
});

describe('the command line', () => {
  beforeAll(() => core.close(), 30_000);
  afterAll(async () => {
    core = await openCore(profile, { now: () => clock });
  }, 60_000);

  it('refuses adding an NSU officer or an administrator without an administrator credential', () => {
    const none = ims({}, 'users', 'add', '--username', 'rogue.nsu', '--name', 'Rogue', '--role', 'nsu');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/managing accounts needs an administrator: --as/);
    const asAnalyst = ims({ IMS_PASSWORD: TEST_PASSWORD }, 'users', 'add', '--username', 'rogue.admin', '--name', 'Rogue', '--role', 'admin', '--as', 'unit.analyst');
    expect(asAnalyst.code).not.toBe(0);
    expect(asAnalyst.stderr).toMatch(/unit.analyst is not an administrator/);
    const wrong = ims({ IMS_PASSWORD: 'not the password' }, 'users', 'add', '--username', 'rogue.nsu', '--name', 'Rogue', '--role', 'nsu', '--as', 'the.admin');
    expect(wrong.code).not.toBe(0);
    expect(JSON.parse(ims({}, 'users', 'list', '--json').stdout).map((u: { username: string }) => u.username)).not.toContain('rogue.nsu');
    const ok = ims({ IMS_PASSWORD: TEST_PASSWORD }, 'users', 'add', '--username', 'real.nsu', '--name', 'Real NSU', '--role', 'nsu', '--as', 'the.admin');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('audits a refused reveal by a non-NSU user and a wrong password, with the command that asked', async () => {
    const reveal = ims({ IMS_PASSWORD: TEST_PASSWORD }, 'nsu', 'reveal', 'phone:0000', '--as', 'unit.analyst', '--reason', 'Looking for my neighbour');
    expect(reveal.code).not.toBe(0);
    expect(reveal.stderr).toMatch(/Only the National Source Unit may reveal/);
    const wrong = ims({ IMS_PASSWORD: 'not it at all' }, 'source', 'IMS-2020-000001', '--as', 'unit.dm', '--reason', 'Curious about the writer');
    expect(wrong.code).not.toBe(0);
    core = await openCore(profile, { now: () => clock });
    expect(auditOf('nsu.reveal_refused')).toEqual([expect.objectContaining({ actor: expect.stringContaining('unit.analyst'), reason: 'Looking for my neighbour', role: 'analyst' })]);
    expect(auditOf('user.admin_refused')).toEqual([expect.objectContaining({ via: 'cli', command: 'users add', wantedRole: 'admin' })]);
    const failed = auditOf('auth.sign_in_failed');
    expect(failed).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'unit.dm', via: 'cli', command: 'source', reason: 'wrong password' }), expect.objectContaining({ actor: 'the.admin', via: 'cli', command: 'users add' })]));
    core.close();
  });
});
