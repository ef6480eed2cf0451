// `kill -9` of the server in the middle of pushes loses nothing it accepted, and keeps no half of a batch: after a
// restart every acknowledged change is in the log, each desk's next expected change follows exactly what was
// stored, the desk's retry of the batch in flight is answered, and the audit chain verifies. On both databases.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, MutationBuilder, PASSWORD, POSTGRES_URL, type DbKind } from './harness.ts';
import { HybridClock } from '../../shared/sync/hlc.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

interface Running {
  child: ChildProcess;
  url: string;
}

async function startChild(dataDir: string, databaseUrl: string | null, port: number): Promise<Running> {
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(NODE, [join(ROOT, 'server', 'main.ts'), '--data', dataDir, '--port', String(port), '--quiet'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start: ${stderr}`);
}

async function call<T>(url: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

function batches(node: string, userId: string, count: number, size: number): ChangeRow[][] {
  const clock = new HybridClock(node);
  let seq = 0;
  const out: ChangeRow[][] = [];
  for (let b = 0; b < count; b++) {
    const batch: ChangeRow[] = [];
    while (batch.length < size) {
      new MutationBuilder(clock.tick(), userId, batch, () => ++seq).allegation({ unit_code: 'WMID' });
      const id = (batch.at(-1) as ChangeRow).id;
      new MutationBuilder(clock.tick(), userId, batch, () => ++seq).insert('note', randomUUID(), { allegation_id: id, note_date: '2026-03-01', author_name: 'X', author_user_id: userId, text: 'A note.', amends_note_id: null, created_at: new Date().toISOString() }, id);
    }
    out.push(batch);
  }
  return out;
}

for (const kind of ['PGlite', 'PostgreSQL'] as DbKind[]) {
  describe(`kill -9 mid-push [${kind}]`, () => {
    if (kind === 'PostgreSQL' && !POSTGRES_URL) {
      it.skip('skipped: no PostgreSQL was given (set IMS_TEST_POSTGRES_URL to a cluster; .ci/run starts one)', () => undefined);
      return;
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-server-crash-'));
    let server: Running | null = null;
    let dropDb: () => Promise<void> = async () => undefined;
    afterAll(async () => {
      server?.child.kill('SIGKILL');
      await dropDb();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('loses no acknowledged change and keeps no half batch', async () => {
      const db = await freshDatabaseUrl(kind);
      dropDb = db.drop;
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      server = await startChild(dataDir, db.url, port);
      const token = readFileSync(join(dataDir, 'bootstrap-token'), 'utf8').trim();
      const admin = await call<{ sessionToken: string }>(server.url, 'POST', '/v1/bootstrap', { token, username: 'admin', displayName: 'Admin', password: PASSWORD });
      const auth = { authorization: `Bearer ${admin.body.sessionToken}` };
      const desks: Array<{ id: string; node: string; token: string; batches: ChangeRow[][]; acked: number; inFlight: number }> = [];
      for (const n of [1, 2]) {
        const user = await call<{ id: string }>(server.url, 'POST', '/v1/admin/users', { username: `crash.${n}`, displayName: `Crash ${n}`, role: 'analyst', unit: 'WMID', password: PASSWORD }, auth);
        const session = await call<{ sessionToken: string }>(server.url, 'POST', '/v1/auth/sign-in', { username: `crash.${n}`, password: PASSWORD });
        const node = `crash${n}${randomUUID().slice(0, 8)}`;
        const desk = await call<{ desk: { id: string }; deskToken: string }>(server.url, 'POST', '/v1/desks', { node, name: `Crash desk ${n}`, unit: 'WMID' }, { authorization: `Bearer ${session.body.sessionToken}` });
        await call(server.url, 'POST', `/v1/admin/desks/${desk.body.desk.id}/decision`, { decision: 'approve' }, auth);
        await call(server.url, 'POST', '/v1/auth/sign-in', { username: `crash.${n}`, password: PASSWORD }, { 'x-desk-token': desk.body.deskToken });
        desks.push({ id: desk.body.desk.id, node, token: desk.body.deskToken, batches: batches(node, user.body.id, 40, 200), acked: 0, inFlight: -1 });
      }

      // Both desks push batch after batch; the server is killed while they are at it.
      const running = server;
      let killed = false;
      const pushing = desks.map(async (d) => {
        for (let i = 0; i < d.batches.length; i++) {
          d.inFlight = i;
          try {
            const r = await call<{ results: unknown[] }>(running.url, 'POST', '/v1/sync/push', { changes: d.batches[i] }, { 'x-desk-token': d.token });
            if (r.status !== 200) throw new Error(`push refused: ${JSON.stringify(r.body)}`);
            d.acked = i + 1;
          } catch (error) {
            if (!killed) throw error;
            return;
          }
        }
      });
      await new Promise((r) => setTimeout(r, 2_500));
      killed = true;
      running.child.kill('SIGKILL');
      await Promise.all(pushing);
      await new Promise((r) => (running.child.exitCode !== null || running.child.signalCode !== null ? r(null) : running.child.once('exit', r)));
      expect(desks.every((d) => d.acked < d.batches.length)).toBe(true);

      server = await startChild(dataDir, db.url, port + 1);
      const restarted = server;
      for (const d of desks) {
        const me = await call<{ nextSeq: number }>(restarted.url, 'GET', '/v1/desks/me', undefined, { 'x-desk-token': d.token });
        const ackedSeq = d.batches.slice(0, d.acked).flat().length;
        const inFlightSeq = d.batches.slice(0, d.acked + 1).flat().length;
        // Exactly what was acknowledged, or that plus the whole batch in flight (committed, answer lost): never half.
        expect([ackedSeq + 1, inFlightSeq + 1]).toContain(me.body.nextSeq);
        // The desk retries the batch in flight and goes on; a retry of a committed batch is answered from the log.
        for (let i = Math.max(0, d.acked - 1); i < Math.min(d.acked + 2, d.batches.length); i++) {
          const r = await call<{ results: Array<{ status: string }>; nextSeq: number }>(restarted.url, 'POST', '/v1/sync/push', { changes: d.batches[i] }, { 'x-desk-token': d.token });
          expect(r.status).toBe(200);
          expect(r.body.results.every((x) => x.status === 'accepted')).toBe(true);
        }
        const done = d.batches.slice(0, Math.min(d.acked + 2, d.batches.length)).flat();
        const stored = await call<{ nextSeq: number }>(restarted.url, 'GET', '/v1/desks/me', undefined, { 'x-desk-token': d.token });
        expect(stored.body.nextSeq).toBe(done.length + 1);
      }
      const audit = await call<{ verified: boolean; problem: string | null }>(restarted.url, 'GET', '/v1/admin/audit?limit=1', undefined, {
        authorization: `Bearer ${(await call<{ sessionToken: string }>(restarted.url, 'POST', '/v1/auth/sign-in', { username: 'admin', password: PASSWORD })).body.sessionToken}`,
      });
      expect(audit.body).toMatchObject({ verified: true, problem: null });
      restarted.child.kill('SIGTERM');
      await new Promise((r) => restarted.child.once('exit', r));
      server = null;
    }, 600_000);
  });
}
