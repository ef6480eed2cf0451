import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { startWebHost, type WebHost } from '../../electron/host/web.ts';
import { addUser, tempDir, TEST_PASSWORD, openCore } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let host: WebHost;
const LAUNCH = { 'X-IMS-Launch': 'launch-token-for-tests' };

/** Raw HTTP, so the test controls every header (fetch would add its own Host and Origin). */
function http(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

function api(name: string, input: unknown, extra: Record<string, string> = {}) {
  return http(`/api/call/${name}`, { method: 'POST', headers: { ...LAUNCH, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer', ...extra }, body: JSON.stringify({ input }) });
}

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(join(tmp.dir, 'profile'));
  await addUser(core, 'web.user', 'analyst', 'WMID');
  const rendererDir = join(tmp.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>IMS Desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'outside the renderer');
  host = await startWebHost({ core, rendererDir, token: 'launch-token-for-tests' });
});
afterAll(async () => {
  await host.close();
  core.close();
  tmp.cleanup();
});

describe('the browser host', () => {
  it('listens on the loopback address only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('carries the launch key in a header only, never a cookie, so another loopback port cannot be handed it', async () => {
    // The printed link holds the key in its fragment, which the browser never sends to a server.
    const link = new URL(host.launchUrl);
    expect(link.search).toBe('');
    expect(link.hash).toBe('#launch=launch-token-for-tests');
    const page = await http('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('IMS Desk');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const call = (headers: Record<string, string>) => http('/api/call/auth.status', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(403);
    expect((await call({ 'X-IMS-Launch': 'wrong' })).status).toBe(403);
    // The cookie the finding found sent to other ports is no longer a key at all.
    expect((await call({ Cookie: 'ims_launch=launch-token-for-tests' })).status).toBe(403);
    expect(JSON.parse((await call({ Cookie: 'ims_launch=launch-token-for-tests' })).body)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/link it printed/) } });
    expect((await call(LAUNCH)).status).toBe(200);
    expect((await http('/api/events', { headers: { 'X-IMS-Client': 'renderer' } })).status).toBe(403);
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    expect((await http('/', { headers: { Host: 'evil.example:80' } })).status).toBe(421);
    expect((await http('/api/call/auth.status', { method: 'POST', headers: { ...LAUNCH, Host: 'evil.example:80' } })).status).toBe(421);
  });

  it('needs the client header on API calls, so a cross-site form cannot post', async () => {
    const r = await http('/api/call/auth.status', { method: 'POST', headers: { ...LAUNCH, 'Content-Type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(403);
  });

  it('carries the API: sign in, then call with the session', async () => {
    const signIn = JSON.parse((await api('auth.signIn', { username: 'web.user', password: TEST_PASSWORD })).body);
    expect(signIn).toMatchObject({ ok: true, value: { user: { username: 'web.user' } } });
    const me = JSON.parse((await api('auth.me', {}, { 'X-IMS-Session': signIn.value.sessionToken })).body);
    expect(me).toMatchObject({ ok: true, value: { role: 'analyst' } });
    const noSession = JSON.parse((await api('auth.me', {})).body);
    expect(noSession).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('answers malformed requests with clear errors', async () => {
    const bad = await http('/api/call/auth.status', { method: 'POST', headers: { ...LAUNCH, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer' }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { message: 'The request body is not valid JSON' } });
    const huge = await http('/api/call/auth.status', { method: 'POST', headers: { ...LAUNCH, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer' }, body: `{"input":"${'x'.repeat(5 * 1024 * 1024)}"}` });
    expect(huge.status).toBe(413);
    expect(JSON.parse((await api('no.such', {})).body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('serves the renderer and never a file outside it', async () => {
    expect((await http('/assets/app.js', {})).status).toBe(200);
    expect((await http('/../secret.txt', {})).body).not.toContain('outside the renderer');
    expect((await http('/assets/..%2f..%2fsecret.txt', {})).status).toBe(403);
    expect((await http('/assets/missing.js', {})).status).toBe(404);
    // Client-side routes fall back to the app shell.
    expect((await http('/queue', {})).body).toContain('IMS Desk');
  });

  it('streams core events to the page', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `127.0.0.1:${host.port}`, ...LAUNCH, 'X-IMS-Client': 'renderer' } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (chunk.includes('allegation.changed')) {
            resolve(chunk);
            req.destroy();
          } else core.emit({ type: 'allegation.changed', allegationId: 'a', reference: 'IMS-2026-000001' });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(await received).toMatch(/"reference":"IMS-2026-000001"/);
  });
});
