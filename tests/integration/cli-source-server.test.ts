// `ims source` on a desk that syncs with a central server. The NAT post room keys two letters naming their writers
// (sealed under the NAT desk's keys); the West Midlands analyst takes both on their desk. From the command line on
// that desk's profile, the analyst (password from IMS_PASSWORD, a reason given) is signed in against the server as
// the desk's screens do: the server audits and releases the key, the desk keeps it sealed to the analyst's sign-in,
// and the pane opens. A wrong password, a case reallocated away and a server that cannot be reached are each said
// specifically; the key kept from an earlier release opens offline until its expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { ROOT, signIn, tempDir, TEST_PASSPHRASE, TEST_PASSWORD } from '../helpers.ts';
import { bakeryLetter, birminghamLetter, allocateOnArrival, joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
let s: TestServer;
let serverStopped = false;
const dirs = { nat: tempDir('ims-cli-nat-'), wm: tempDir('ims-cli-wm-') };
let nat: Core;
let wm: Core | null;
const refs: string[] = [];
const writers = [
  { name: 'Garfield Clarke', address: '53 Tottenham High Road, London N15 4RX', phone: '07813 382035', email: 'clarkeg@example.org', relationship: 'neighbour', organisation: '' },
  { name: 'Rebecca White', address: '14 Orchard Road, Leeds LS6 2AB', phone: '0113 496 0123', email: 'rwhite@example.org', relationship: 'former colleague', organisation: '' },
];

/** The command line as a person runs it, asynchronously: the server it talks to answers from this process. */
function ims(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [IMS, ...args, '--profile', dirs.wm.dir], { env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE, IMS_PASSWORD: TEST_PASSWORD, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const serverAudit = (action: string) => s.server.ctx.db.query<{ user_id: string; details: { allegationId: string; reason?: string } }>('SELECT user_id, details FROM server_audit WHERE action = $1 ORDER BY seq', [action]);

const openSessions = async () => {
  const [r] = await s.server.ctx.db.query<{ open: number; all: number }>(
    "SELECT count(*) FILTER (WHERE s.ended_at IS NULL)::int AS open, count(*)::int AS all FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'wm.analyst'",
  );
  if (!r) throw new Error('no count of sessions');
  return r;
};

beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('a.manager', 'manager', null);
  nat = await joinDesk(s, dirs.nat.dir, 'NAT post room', 'NAT', 'nat.sifter');
  wm = await joinDesk(s, dirs.wm.dir, 'West Midlands 1', 'WMID', 'wm.analyst');
  const sifter = await signIn(nat, 'nat.sifter');
  const ids = [(await sifter.call('allegations.create', { form: { ...birminghamLetter(), source: writers[0] } })).id];
  ids.push((await sifter.call('allegations.create', { form: { ...bakeryLetter(), source: writers[1] } })).id);
  await syncOk(nat);
  await allocateOnArrival(wm, 'wm.analyst', ids, [nat]);
  for (const id of ids) refs.push((wm.store.db.prepare('SELECT reference FROM allegations WHERE id = ?').get(id) as { reference: string }).reference);
  // The desk app is closed; the command line opens its profile.
  wm.close();
  wm = null;
}, 240_000);

afterAll(async () => {
  nat?.close();
  wm?.close();
  if (!serverStopped) await s?.stop();
  for (const d of Object.values(dirs)) d.cleanup();
});

describe('ims source on a desk of a central server', () => {
  it('signs the analyst in at the server, which audits and releases the key, and prints the pane', async () => {
    const sessionsBefore = await openSessions();
    for (const [i, ref] of refs.entries()) {
      const r = await ims({}, 'source', ref, '--as', 'wm.analyst', '--reason', 'Recontact the writer about the rota', '--json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const pane = JSON.parse(r.stdout) as { reference: string; details: { name: string; phone: string } };
      expect(pane).toMatchObject({ reference: ref, details: { name: writers[i]?.name, phone: writers[i]?.phone } });
    }
    const releases = await serverAudit('key.release');
    expect(releases).toHaveLength(2);
    expect(releases.every((e) => e.details.reason === 'Recontact the writer about the rota')).toBe(true);
    // Each run signed in at the server, and its session ended with the command.
    expect(await openSessions()).toEqual({ open: sessionsBefore.open, all: sessionsBefore.all + 2 });
  });

  it('refuses a wrong password, said as the server said it, and releases nothing', async () => {
    const before = (await serverAudit('key.release')).length;
    const r = await ims({ IMS_PASSWORD: 'not the password' }, 'source', refs[0] as string, '--as', 'wm.analyst', '--reason', 'Recontact the writer');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ims source: signing in to the server at http:\/\/127\.0\.0\.1:\d+ as wm\.analyst: The username or password is not right/);
    expect(r.stdout).toBe('');
    expect((await serverAudit('key.release')).length).toBe(before);
  });

  it('says the server refused once the case has been reallocated away', async () => {
    const manager = await signIn(nat, 'a.manager');
    const id = (nat.store.db.prepare('SELECT id FROM allegations WHERE reference = ?').get(refs[0]) as { id: string }).id;
    await manager.call('allegations.reallocate', { id, unit: 'NEAST', reason: 'The subject moved to Newcastle' });
    await syncOk(nat);
    const r = await ims({}, 'source', refs[0] as string, '--as', 'wm.analyst', '--reason', 'One more look');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ims source: The server refused to release the key to the sealed details of ${refs[0]}: .*released only to staff allocated to it and to the National Source Unit.*The refusal is recorded on the server`));
    expect(r.stdout).toBe('');
  });

  it('opens offline from the key kept at the earlier release, saying it signed in offline', async () => {
    await s.stop();
    serverStopped = true;
    const r = await ims({}, 'source', refs[1] as string, '--as', 'wm.analyst', '--reason', 'Second look while the server is down', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Signed in offline: the server cannot be reached/);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference: refs[1], details: { name: writers[1]?.name } });
  });
});
