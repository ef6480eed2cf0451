// The server's key service (issue 16): an allegation's data key is kept wrapped by the server's key encryption key
// and released only to a person allocated to the allegation now, or to NSU, with the server's audit entry written
// before the key leaves; refusals are audited; reallocation revokes the next release.
import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eachDatabase } from './harness.ts';
import { LocalKeyFile } from '../../server/keys/key-service.ts';

describe('the local key file', () => {
  it('wraps a data key bound to its allegation, and refuses another allegation or another key', async () => {
    const kek = new LocalKeyFile(randomBytes(32));
    const dataKey = randomBytes(32);
    const wrapped = await kek.wrap(dataKey, 'allegation-a');
    expect(wrapped.includes(dataKey)).toBe(false);
    expect((await kek.unwrap(wrapped, 'allegation-a')).equals(dataKey)).toBe(true);
    await expect(kek.unwrap(wrapped, 'allegation-b')).rejects.toThrow(/does not unwrap under local:/);
    await expect(new LocalKeyFile(randomBytes(32)).unwrap(wrapped, 'allegation-a')).rejects.toThrow(/wrapped by another key, or altered/);
  });
});

eachDatabase('releasing data keys', (h) => {
  const allegationId = randomUUID();
  let analyst: { id: string };
  let other: { id: string };
  const release = (token: string, id = allegationId) => h.request<{ dataKey: string; auditSeq: number; expiresAt: string; message?: string }>('POST', '/v1/keys/release', { token, body: { allegationId: id, reason: 'Recontact the reporter' } });
  const audit = (action: string) => h.server.ctx.db.query<{ seq: number; user_id: string; details: { allegationId: string } }>('SELECT seq, user_id, details FROM server_audit WHERE action = $1 ORDER BY seq', [action]);

  it('releases to the allocated analyst, after writing its audit entry, the same key every time', async () => {
    analyst = await h.addUser('wm.analyst', 'analyst', 'WMID');
    other = await h.addUser('wm.other', 'analyst', 'WMID');
    await h.server.ctx.db.query("INSERT INTO allegation_scope (allegation_id, unit_code, status, reference, allocated_users) VALUES ($1, 'WMID', 'in_research', 'IMS-2026-000777', $2)", [allegationId, [analyst.id]]);
    const token = await h.signIn('wm.analyst');
    const first = await release(token);
    expect(first.status).toBe(200);
    expect(Buffer.from(first.body.dataKey, 'base64')).toHaveLength(32);
    expect(Date.parse(first.body.expiresAt)).toBeGreaterThan(Date.now());
    const entries = await audit('key.release');
    expect(entries.map((e) => [e.seq, e.user_id, e.details.allegationId])).toEqual([[first.body.auditSeq, analyst.id, allegationId]]);
    const again = await release(token);
    expect(again.body.dataKey).toBe(first.body.dataKey);
    // Stored wrapped only.
    const [row] = await h.server.ctx.db.query<{ wrapped: string }>('SELECT wrapped FROM data_keys WHERE allegation_id = $1', [allegationId]);
    expect(Buffer.from(row?.wrapped ?? '', 'base64').includes(Buffer.from(first.body.dataKey, 'base64'))).toBe(false);
    const kekFile = join(h.dataDir, 'keys', 'kek.key');
    expect(statSync(kekFile).mode & 0o077).toBe(0);
    expect(readFileSync(kekFile, 'utf8')).not.toContain(first.body.dataKey);
  });

  it('refuses an analyst of the same unit who is not allocated, a sifter and a manager, and audits each refusal', async () => {
    await h.addUser('nat.sifter', 'sifter', 'NAT');
    await h.addUser('a.manager', 'manager', null);
    for (const who of ['wm.other', 'nat.sifter', 'a.manager']) {
      const r = await release(await h.signIn(who));
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(/released only to staff allocated to it and to the National Source Unit/);
    }
    expect((await audit('key.release_refused')).map((e) => e.details.allegationId)).toEqual([allegationId, allegationId, allegationId]);
    expect((await release(await h.signIn('wm.other'), randomUUID())).status).toBe(404);
  });

  it('releases to NSU anywhere', async () => {
    await h.addUser('nsu.officer', 'nsu', null);
    const r = await release(await h.signIn('nsu.officer'));
    expect(r.status).toBe(200);
  });

  it('revokes on reallocation: the analyst whose allocation ended is refused, the new one is released to', async () => {
    await h.server.ctx.db.query('UPDATE allegation_scope SET allocated_users = $2 WHERE allegation_id = $1', [allegationId, [other.id]]);
    expect((await release(await h.signIn('wm.analyst'))).status).toBe(403);
    expect((await release(await h.signIn('wm.other'))).status).toBe(200);
  });

  it('answers a malformed request clearly and releases nothing', async () => {
    const token = await h.signIn('wm.other');
    const r = await h.request<{ message: string }>('POST', '/v1/keys/release', { token, body: { allegationId: 'not-a-uuid', reason: 'x' } });
    expect(r.status).toBe(400);
    expect((await h.request('POST', '/v1/keys/release', { body: { allegationId, reason: 'Recontact the reporter' } })).status).toBe(401);
  });
});
