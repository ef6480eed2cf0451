// Key release through the server (issue 16): a server on PGlite in a data folder, one allocated analyst signed in,
// N releases of one allegation's data key over HTTP (audit entry written before each), and N first releases of
// distinct allegations (the key generated, wrapped and stored too).
//   npm run bench -- keys [--n 200]
// Prints one JSON line: median and p95 milliseconds of each, end to end at the client.
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startServer } from '../server/server.ts';

const PASSWORD = 'correct horse battery';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 100) / 100;
}

export async function run(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, options: { n: { type: 'string', default: '200' } } });
  const n = Number(values.n);
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
      await server.ctx.db.query("INSERT INTO allegation_scope (allegation_id, unit_code, status, reference, allocated_users, updated_seq) VALUES ($1, 'WMID', 'in_research', $2, $3, 0)", [id, `IMS-2026-${String(i).padStart(6, '0')}`, [analyst]]);
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
    return {
      bench: 'keys',
      database: 'PGlite (data folder)',
      releases: n,
      firstReleaseMs: { median: percentile(first, 50), p95: percentile(first, 95) },
      repeatReleaseMs: { median: percentile(repeat, 50), p95: percentile(repeat, 95) },
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
