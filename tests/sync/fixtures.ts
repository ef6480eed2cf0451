// A central server and desks that sync with it, for the desk-side sync tests: the real server (PGlite in memory)
// listening on loopback, and real desk cores that reach it over HTTP through their own sync client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/server.ts';
import type { Core, CoreOptions } from '../../electron/core/core.ts';
import { dispatch } from '../../electron/api/dispatch.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { openCore, signIn, TEST_PASSWORD } from '../helpers.ts';

export interface TestServer {
  server: RunningServer;
  url: string;
  adminToken: string;
  request<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  addUser(username: string, role: Role, unit: string | null): Promise<{ id: string; username: string }>;
  approve(deskId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestServer(options: { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ims-sync-server-'));
  const server = await startServer({ dataDir, inMemory: !options.dataDir, pollSeconds: 30 });
  const request = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const boot = await request<{ sessionToken: string }>('POST', '/v1/bootstrap', { token: server.bootstrapToken, username: 'admin', displayName: 'First Admin', password: TEST_PASSWORD });
  if (boot.status !== 201) throw new Error(`bootstrap failed: ${JSON.stringify(boot.body)}`);
  const adminToken = boot.body.sessionToken;
  return {
    server,
    url: server.url,
    adminToken,
    request,
    async addUser(username, role, unit) {
      const r = await request<{ id: string; username: string }>('POST', '/v1/admin/users', { username, displayName: username.replace(/\./g, ' '), role, unit, password: TEST_PASSWORD }, adminToken);
      if (r.status !== 201) throw new Error(`adding ${username} failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async approve(deskId) {
      const r = await request('POST', `/v1/admin/desks/${deskId}/decision`, { decision: 'approve' }, adminToken);
      if (r.status !== 200) throw new Error(`approving ${deskId} failed: ${JSON.stringify(r.body)}`);
    },
    async stop() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new desk pointed at the server, registered by its first person's sign-in and approved by the administrator. */
export async function joinDesk(s: TestServer, dir: string, name: string, unit: string, firstUser: string, options: CoreOptions = {}): Promise<Core> {
  const core = await openCore(dir, options);
  const r = await dispatch(core, 'sync.configure', { url: s.url, deskName: name, unit }, null);
  if (!r.ok) throw new Error(`configure failed: ${r.error.message}`);
  await signIn(core, firstUser);
  const deskId = core.sync.config?.deskId;
  if (!deskId) throw new Error('the desk did not register');
  await s.approve(deskId);
  await syncOk(core);
  return core;
}

/** One sync cycle that must succeed. */
export async function syncOk(core: Core): Promise<void> {
  const r = await core.sync.cycle();
  if (r.failed) throw r.failed;
}
