// A push's entry in the server's audit chain is queued in the push's own transaction and chained after its commit
// (server/store/audit-queue.ts), so pushes never wait for the chain's head. The desk hears back only once the entry
// is in the chain; an entry left in the queue by a server that died between the commit and the chaining is chained
// by the next run, in order, and the chain still verifies.
import { beforeAll, expect, it } from 'vitest';
import { eachDatabase, type Harness, type TestDesk } from './harness.ts';

eachDatabase('the audit chain of pushes', (h: Harness) => {
  let desk: TestDesk;
  let user = '';

  beforeAll(async () => {
    const u = await h.addUser('w.audit.queue', 'analyst', 'WMID');
    user = u.id;
    desk = await h.desk('West Midlands audit', 'WMID', [u]);
  }, 120_000);

  it('has a push’s entry in the chain, countersigned head and all, when the desk hears back', async () => {
    const head = { seq: 7, hash: 'a'.repeat(64) };
    const r = await h.request<{ auditHead: { seq: number; hash: string; serverAuditSeq: number; countersign: unknown } | null }>('POST', '/v1/sync/push', {
      desk: desk.token,
      body: { changes: desk.mutation(user, (m) => void m.allegation({ unit_code: 'WMID' })), auditHead: head },
    });
    expect(r.status).toBe(200);
    const seq = r.body.auditHead?.serverAuditSeq as number;
    const [entry] = await h.server.ctx.db.query<{ action: string; desk_id: string; head: { seq: number; hash: string } }>("SELECT action, desk_id, details -> 'deskAuditHead' AS head FROM server_audit WHERE seq = $1", [seq]);
    expect(entry).toEqual({ action: 'sync.push', desk_id: desk.id, head });
    expect(await h.count('SELECT count(*)::int AS n FROM server_audit_queue')).toBe(0);
  });

  it('chains an entry a dead server left queued, before the next push’s, and the chain verifies', async () => {
    await h.server.ctx.db.query(
      "INSERT INTO server_audit_queue (at, user_id, desk_id, action, details) VALUES ($1, NULL, $2, 'sync.push', $3::jsonb)",
      [new Date(), desk.id, JSON.stringify({ from: 999, to: 999, accepted: 1, rejected: 0, rejections: [], references: 0 })],
    );
    const before = await h.count('SELECT count(*)::int AS n FROM server_audit');
    const r = await desk.push(desk.mutation(user, (m) => void m.allegation({ unit_code: 'WMID' })));
    expect(r.status).toBe(200);
    const added = await h.server.ctx.db.query<{ seq: number; from: number }>("SELECT seq, (details ->> 'from')::int AS from FROM server_audit WHERE seq > $1 ORDER BY seq", [before]);
    expect(added.map((a) => a.from)).toEqual([999, expect.any(Number)]);
    expect(await h.count('SELECT count(*)::int AS n FROM server_audit_queue')).toBe(0);
    const audit = await h.request<{ verified: boolean }>('GET', '/v1/admin/audit?limit=1000', { token: h.adminToken });
    expect(audit.body.verified).toBe(true);
  });
});
