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
let cookie: string;

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
  return http(`/api/call/${name}`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer', ...extra }, body: JSON.stringify({ input }) });
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

  it('turns the launch link into a cookie and refuses everything without it', async () => {
    expect((await http('/')).status).toBe(403);
    expect((await http('/?token=wrong')).status).toBe(403);
    const opened = await http('/?token=launch-token-for-tests');
    expect(opened.status).toBe(302);
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    cookie = setCookie.split(';')[0] as string;
    const page = await http('/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('IMS Desk');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    expect((await http('/', { headers: { Cookie: cookie, Host: 'evil.example:80' } })).status).toBe(421);
  });

  it('needs the client header on API calls, so a cross-site form cannot post', async () => {
    const r = await http('/api/call/auth.status', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{}' });
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
    const bad = await http('/api/call/auth.status', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer' }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { message: 'The request body is not valid JSON' } });
    const huge = await http('/api/call/auth.status', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer' }, body: `{"input":"${'x'.repeat(5 * 1024 * 1024)}"}` });
    expect(huge.status).toBe(413);
    expect(JSON.parse((await api('no.such', {})).body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('serves the renderer and never a file outside it', async () => {
    expect((await http('/assets/app.js', { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await http('/../secret.txt', { headers: { Cookie: cookie } })).body).not.toContain('outside the renderer');
    expect((await http('/assets/..%2f..%2fsecret.txt', { headers: { Cookie: cookie } })).status).toBe(403);
    expect((await http('/assets/missing.js', { headers: { Cookie: cookie } })).status).toBe(404);
    // Client-side routes fall back to the app shell.
    expect((await http('/queue', { headers: { Cookie: cookie } })).body).toContain('IMS Desk');
  });

  it('streams core events to the page', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `127.0.0.1:${host.port}`, Cookie: cookie, 'X-IMS-Client': 'renderer' } }, (res) => {
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
