// Key release through the server (issue 16): a server on PGlite in a data folder, one allocated analyst signed in,
// N releases of one allegation's data key over HTTP (audit entry written before each), and N first releases of
// distinct allegations (the key generated, wrapped and stored too).
// Then as the desk sees it (--desk-n, 0 to skip): a NAT desk seals a letter's source and deposits its key; a West
// Midlands desk whose analyst is allocated opens the source pane through its API: each opening asks the server to
// release the keys (the server's audit entry first), keeps them sealed to the analyst's sign-in, writes the desk's
// own audit entry and decrypts; and the same opening offline, from the kept key.
//   npm run bench -- keys [--n 200] [--desk-n 100]
// Prints one JSON line: median and p95 milliseconds of each, end to end at the client; and the load average.
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { startServer } from '../server/server.ts';
import { dispatch } from '../electron/api/dispatch.ts';
import { emptyForm } from '../shared/schemas/form.ts';
import { signIn } from '../tests/helpers.ts';
import { joinDesk, startTestServer, syncOk } from '../tests/sync/fixtures.ts';
import { SimNetwork } from '../tests/sync/sim-network.ts';

const PASSWORD = 'correct horse battery';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 100) / 100;
}

/** Openings of another desk's sealed details on a desk: online (released each time) and offline (kept key). */
async function deskOpenings(n: number): Promise<{ onlineMs: { median: number; p95: number }; offlineMs: { median: number; p95: number } }> {
  const s = await startTestServer();
  const dirs = [mkdtempSync(join(tmpdir(), 'ims-bench-keys-nat-')), mkdtempSync(join(tmpdir(), 'ims-bench-keys-wm-'))];
  const net = new SimNetwork();
  const cores: Array<{ close(): void }> = [];
  try {
    await s.addUser('nat.sifter', 'sifter', 'NAT');
    await s.addUser('wm.analyst', 'analyst', 'WMID');
    const nat = await joinDesk(s, dirs[0] as string, 'NAT post room', 'NAT', 'nat.sifter');
    cores.push(nat);
    const wm = await joinDesk(s, dirs[1] as string, 'West Midlands 1', 'WMID', 'wm.analyst', { sync: { transport: (url: string) => net.transport('wm', url) } });
    cores.push(wm);
    const sifter = await signIn(nat, 'nat.sifter');
    const form = {
      ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'),
      reporterType: 'public' as const,
      offenceTypes: ['illegal_working' as const],
      freeText: 'Akrem Haddad works at the car wash on Soho Road and is paid cash.',
      subjects: [{ role: 'main' as const, forename: 'Akrem', surname: 'Haddad', dob: '1985-02-11', gender: 'M' as const, nationality: 'Tunisian' }],
      addresses: [{ type: 'offence_location' as const, line1: '140 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9LP' }],
      scanMissingReason: 'Letter scanned at the post room',
      source: { name: 'Garfield Clarke', address: '53 Tottenham High Road, London N15 4RX', phone: '07813 382035', email: '', relationship: 'neighbour', organisation: '' },
    };
    const { id } = await sifter.call('allegations.create', { form });
    await syncOk(nat);
    await syncOk(wm);
    const analyst = await signIn(wm, 'wm.analyst');
    await analyst.call('allegations.allocate', { id });
    await syncOk(wm);
    const time = async () => {
      const t = performance.now();
      const r = await dispatch(wm, 'source.open', { allegationId: id, reason: 'Recontact the reporter' }, analyst.token);
      if (!r.ok) throw new Error(r.error.message);
      return performance.now() - t;
    };
    await time();
    const online: number[] = [];
    for (let i = 0; i < n; i++) online.push(await time());
    net.partition('wm', true);
    const offline: number[] = [];
    for (let i = 0; i < n; i++) offline.push(await time());
    return { onlineMs: { median: percentile(online, 50), p95: percentile(online, 95) }, offlineMs: { median: percentile(offline, 50), p95: percentile(offline, 95) } };
  } finally {
    for (const c of cores) c.close();
    await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, options: { n: { type: 'string', default: '200' }, 'desk-n': { type: 'string', default: '100' } } });
  const n = Number(values.n);
  const deskN = Number(values['desk-n']);
  const dir = mkdtempSync(join(tmpdir(), 'ims-bench-keys-'));
  const server = await startServer({ dataDir: dir });
  try {
    const call = async (method: string, path: string, body: unknown, token?: string) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const admin = (await call('POST', '/v1/bootstrap', { token: server.bootstrapToken, username: 'admin', displayName: 'Admin', password: PASSWORD })).sessionToken as string;
    const analyst = (await call('POST', '/v1/admin/users', { username: 'wm.analyst', displayName: 'WM Analyst', role: 'analyst', unit: 'WMID', password: PASSWORD }, admin)).id as string;
    const token = (await call('POST', '/v1/auth/sign-in', { username: 'wm.analyst', password: PASSWORD })).sessionToken as string;
    const ids = Array.from({ length: n + 1 }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await server.ctx.db.query("INSERT INTO allegation_scope (allegation_id, unit_code, status, reference, allocated_users) VALUES ($1, 'WMID', 'in_research', $2, $3)", [id, `IMS-2026-${String(i).padStart(6, '0')}`, [analyst]]);
    }
    const time = async (id: string) => {
      const t = performance.now();
      await call('POST', '/v1/keys/release', { allegationId: id, reason: 'Recontact the reporter' }, token);
      return performance.now() - t;
    };
    const first: number[] = [];
    for (const id of ids.slice(1)) first.push(await time(id));
    const repeat: number[] = [];
    for (let i = 0; i < n; i++) repeat.push(await time(ids[0] as string));
    const desk = deskN > 0 ? await deskOpenings(deskN) : null;
    return {
      bench: 'keys',
      database: 'PGlite (data folder)',
      releases: n,
      firstReleaseMs: { median: percentile(first, 50), p95: percentile(first, 95) },
      repeatReleaseMs: { median: percentile(repeat, 50), p95: percentile(repeat, 95) },
      ...(desk ? { deskOpenings: deskN, deskOpenOnlineMs: desk.onlineMs, deskOpenOfflineMs: desk.offlineMs } : {}),
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
