// Accounts, sign-in, sessions, desks and the server's audit chain, on both databases.
import { describe, expect, it } from 'vitest';
import { eachDatabase, PASSWORD } from './harness.ts';
import { listenProblem, isLoopback, SERVER_NODE_FLAGS } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('where the server may listen', () => {
  it('listens on loopback without TLS, and anywhere else only with TLS', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('10.1.2.3')).toBe(false);
    expect(listenProblem('127.0.0.1', false)).toBeNull();
    expect(listenProblem('0.0.0.0', true)).toBeNull();
    expect(listenProblem('0.0.0.0', false)).toMatch(/Refusing to listen on 0\.0\.0\.0 without TLS.*--tls-cert FILE and --tls-key FILE/);
  });

  it('is started by `npm run server` with the Node flags the benchmark measures it with', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.server).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} server/main.ts`);
  });

  it('refuses to start on a non-loopback address without TLS, before opening anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-server-listen-'));
    try {
      await expect(startServer({ dataDir: dir, host: '0.0.0.0', inMemory: true })).rejects.toThrow(/without TLS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('listens on any address with a certificate and key, and speaks only TLS there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-server-tls-'));
    const tls = join(import.meta.dirname, '..', 'fixtures', 'tls');
    const server = await startServer({ dataDir: dir, host: '0.0.0.0', inMemory: true, tls: { certFile: join(tls, 'localhost.crt'), keyFile: join(tls, 'localhost.key') } });
    try {
      expect(server.url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
      const port = new URL(server.url).port;
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port, path: '/v1/health', ca: readFileSync(join(tls, 'localhost.crt')), servername: 'localhost' }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body)).toMatchObject({ ok: true, needsBootstrap: true });
      await expect(fetch(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

eachDatabase('accounts, sessions and desks', (h) => {
  it('creates the first administrator only with the bootstrap token, once', async () => {
    const again = await h.request('POST', '/v1/bootstrap', { body: { token: 'x'.repeat(32), username: 'intruder', displayName: 'Intruder', password: PASSWORD } });
    expect(again.status).toBe(403);
    expect((again.body as { message: string }).message).toMatch(/already has an administrator/);
    const health = await h.request<{ needsBootstrap: boolean; database: string }>('GET', '/v1/health');
    expect(health.body.needsBootstrap).toBe(false);
    expect(health.body.database).toBe(h.kind === 'PGlite' ? 'pglite' : 'postgres');
  });

  it('signs in with the right password only, and says nothing about which part was wrong', async () => {
    await h.addUser('s.okafor', 'analyst', 'WMID');
    const wrong = await h.request('POST', '/v1/auth/sign-in', { body: { username: 's.okafor', password: 'not the password' } });
    const unknown = await h.request('POST', '/v1/auth/sign-in', { body: { username: 'nobody', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const ok = await h.request<{ sessionToken: string; user: { role: string; unit: string }; offline: Record<string, unknown> }>('POST', '/v1/auth/sign-in', { body: { username: 'S.Okafor', password: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ role: 'analyst', unit: 'WMID' });
    // What the desk needs for offline sign-in: parameters to make its own verifier, never the server's hash.
    expect(ok.body.offline).toMatchObject({ scheme: 'scrypt', N: 32768, r: 8, p: 1, keyLength: 32 });
    expect(JSON.stringify(ok.body)).not.toMatch(/scrypt\$/);
    const me = await h.request<{ user: { username: string } }>('GET', '/v1/auth/me', { token: ok.body.sessionToken });
    expect(me.body.user.username).toBe('s.okafor');
  });

  it('holds off guessing: after five wrong passwords an account waits out fifteen minutes', async () => {
    await h.addUser('t.guessed', 'analyst', 'WMID');
    for (let i = 0; i < 5; i++) expect((await h.request('POST', '/v1/auth/sign-in', { body: { username: 't.guessed', password: `guess number ${i}` } })).status).toBe(401);
    const held = await h.request<{ message: string }>('POST', '/v1/auth/sign-in', { body: { username: 'T.Guessed', password: PASSWORD } });
    expect(held.status).toBe(403);
    expect(held.body.message).toMatch(/Too many failed sign-ins for T.Guessed: try again in 15 min/);
    h.offsetMs = 16 * 60_000;
    try {
      expect((await h.request('POST', '/v1/auth/sign-in', { body: { username: 't.guessed', password: PASSWORD } })).status).toBe(200);
    } finally {
      h.offsetMs = 0;
    }
  });

  it('ends sessions on sign-out, after the idle limit and after the absolute limit', async () => {
    const token = await h.signIn('admin');
    expect((await h.request('GET', '/v1/auth/me', { token })).status).toBe(200);
    expect((await h.request('POST', '/v1/auth/sign-out', { token, body: {} })).status).toBe(200);
    const after = await h.request<{ message: string }>('GET', '/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/ended/);

    const idle = await h.signIn('admin');
    h.offsetMs = 9 * 3_600_000;
    try {
      const r = await h.request<{ message: string }>('GET', '/v1/auth/me', { token: idle });
      expect(r.status).toBe(401);
      expect(r.body.message).toMatch(/expired/);
    } finally {
      h.offsetMs = 0;
    }
    const busy = await h.signIn('admin');
    for (const hours of [4, 8, 11.5]) {
      h.offsetMs = hours * 3_600_000;
      expect((await h.request('GET', '/v1/auth/me', { token: busy })).status).toBe(200);
    }
    h.offsetMs = 12.5 * 3_600_000;
    try {
      expect((await h.request('GET', '/v1/auth/me', { token: busy })).status).toBe(401);
    } finally {
      h.offsetMs = 0;
    }
    h.adminToken = await h.signIn('admin');
  });

  it('lets only administrators add and change accounts, with a valid role and unit', async () => {
    const analyst = await h.signIn('s.okafor');
    const refused = await h.request('POST', '/v1/admin/users', { token: analyst, body: { username: 'x.y', displayName: 'X', role: 'admin', unit: null, password: PASSWORD } });
    expect(refused.status).toBe(403);
    const noUnit = await h.request<{ message: string }>('POST', '/v1/admin/users', { token: h.adminToken, body: { username: 'x.y', displayName: 'X', role: 'analyst', unit: null, password: PASSWORD } });
    expect(noUnit.status).toBe(400);
    expect(noUnit.body.message).toMatch(/must belong to a unit/);
    const badUnit = await h.request('POST', '/v1/admin/users', { token: h.adminToken, body: { username: 'x.y', displayName: 'X', role: 'analyst', unit: 'ATLANTIS', password: PASSWORD } });
    expect(badUnit.status).toBe(400);
    const short = await h.request<{ fields: Record<string, string> }>('POST', '/v1/admin/users', { token: h.adminToken, body: { username: 'x.y', displayName: 'X', role: 'analyst', unit: 'EMID', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.fields.password).toMatch(/at least 10/);
    const dup = await h.request('POST', '/v1/admin/users', { token: h.adminToken, body: { username: 'S.OKAFOR', displayName: 'X', role: 'analyst', unit: 'EMID', password: PASSWORD } });
    expect(dup.status).toBe(409);

    const user = await h.addUser('j.patel', 'analyst', 'EMID');
    const token = await h.signIn('j.patel');
    const off = await h.request<{ active: boolean }>('PATCH', `/v1/admin/users/${user.id}`, { token: h.adminToken, body: { active: false } });
    expect(off.body.active).toBe(false);
    // Deactivation ends the person's sessions and stops new ones.
    expect((await h.request('GET', '/v1/auth/me', { token })).status).toBe(401);
    const again = await h.request<{ message: string }>('POST', '/v1/auth/sign-in', { body: { username: 'j.patel', password: PASSWORD } });
    expect(again.status).toBe(403);
    expect(again.body.message).toMatch(/not active/);
  });

  it('keeps the last active administrator', async () => {
    const [admin] = (await h.request<{ users: Array<{ id: string; username: string }> }>('GET', '/v1/admin/users', { token: h.adminToken })).body.users.filter((u) => u.username === 'admin');
    const r = await h.request<{ message: string }>('PATCH', `/v1/admin/users/${admin?.id}`, { token: h.adminToken, body: { role: 'manager' } });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/last active administrator/);
  });

  it('syncs only desks an administrator approved', async () => {
    const person = await h.addUser('d.mensah', 'analyst', 'NWEST');
    const desk = await h.desk('North West desk 1', 'NWEST', [person], { approve: false });
    const me = await h.request<{ status: string }>('GET', '/v1/desks/me', { desk: desk.token });
    expect(me.body.status).toBe('pending');
    const changes = desk.mutation(person.id, (m) => m.allegation({ unit_code: 'NWEST' }));
    const pending = await desk.push(changes);
    expect(pending.status).toBe(403);
    expect(pending.body.message).toMatch(/waiting for an administrator to approve it/);
    expect((await desk.pull()).status).toBe(403);
    expect((await h.request('GET', '/v1/sync/pull?cursor=0', { desk: 'not-a-desk-token' })).status).toBe(401);
    expect((await h.request('GET', '/v1/sync/pull?cursor=0')).status).toBe(401);

    const analyst = await h.signIn('s.okafor');
    const byAnalyst = await h.request('POST', `/v1/admin/desks/${desk.id}/decision`, { token: analyst, body: { decision: 'approve' } });
    expect(byAnalyst.status).toBe(403);
    const approved = await h.request<{ status: string }>('POST', `/v1/admin/desks/${desk.id}/decision`, { token: h.adminToken, body: { decision: 'approve' } });
    expect(approved.body.status).toBe('approved');
    const pushed = await desk.push(changes);
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.map((r) => r.status)).toEqual(['accepted']);

    await h.request('POST', `/v1/admin/desks/${desk.id}/decision`, { token: h.adminToken, body: { decision: 'revoke', note: 'laptop lost' } });
    const revoked = await desk.pull();
    expect(revoked.status).toBe(403);
    expect(JSON.stringify(revoked.body)).toMatch(/revoked/);
  });

  it('sends accounts to desks as synced rows, without any password material', async () => {
    const person = await h.addUser('k.owusu', 'manager', null);
    const desk = await h.desk('Managers desk', 'WMID', [person]);
    const got = await desk.pullAll();
    const users = got.changes.filter((c) => c.entity === 'user');
    expect(users.map((u) => u.fields.username?.to)).toEqual(expect.arrayContaining(['admin', 's.okafor', 'k.owusu']));
    expect(users.every((u) => u.deskId === null && u.userId === null)).toBe(true);
    expect(JSON.stringify(users)).not.toMatch(/password|scrypt/);
    const deactivated = users.find((u) => u.fields.active?.to === 0);
    expect(deactivated?.fields.active?.from).toBe(1);
  });

  it('keeps an audit chain of sign-ins, refusals, desks and accounts that detects tampering', async () => {
    const r = await h.request<{ entries: Array<{ action: string; details: Record<string, unknown> }>; verified: boolean }>('GET', '/v1/admin/audit?limit=1000', { token: h.adminToken });
    expect(r.body.verified).toBe(true);
    const actions = new Set(r.body.entries.map((e) => e.action));
    for (const a of ['user.bootstrap', 'user.create', 'user.update', 'auth.sign_in', 'auth.refused', 'desk.register', 'desk.approve', 'desk.revoke', 'sync.push']) expect(actions).toContain(a);
    expect(r.body.entries.find((e) => e.action === 'auth.refused')?.details).toMatchObject({ username: 's.okafor' });

    // The chain refuses edits; someone who disables the guard and edits a row is caught.
    await expect(h.server.ctx.db.query("UPDATE server_audit SET action = 'nothing' WHERE seq = 2")).rejects.toThrow(/append-only/);
    await h.server.ctx.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE server_audit DISABLE TRIGGER server_audit_refuse');
      await tx.query("UPDATE server_audit SET details = jsonb_set(details, '{username}', '\"someone else\"') WHERE seq = 3");
      await tx.query('ALTER TABLE server_audit ENABLE TRIGGER server_audit_refuse');
    });
    const after = await h.request<{ verified: boolean; problem: string }>('GET', '/v1/admin/audit', { token: h.adminToken });
    expect(after.body.verified).toBe(false);
    expect(after.body.problem).toMatch(/entry 3 was altered/);
  });
});
