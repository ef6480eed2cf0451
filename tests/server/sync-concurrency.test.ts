// Pushes from several desks run at the same time on the server: each reads, judges and writes under locks on the
// allegations it touches, numbers its changes by its transaction as it writes them, and commits when it is done
// (server/sync/numbering.ts). What a desk relies on must still hold while they do: a puller's cursor never passes a
// change that commits later with a lower number, two desks amending one case keep both amendments (per field, last
// writer by clock), every national reference is given once, and the audit chain has one head.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { eachDatabase, type Harness, type PushReply, type Reply, type TestDesk } from './harness.ts';

const PUSHERS = 4;
/** The field of the shared case each desk amends, round after round. */
const FIELDS = ['free_text', 'routed_by', 'updated_at', 'scan_missing_reason'];
const ROUNDS = 10;

eachDatabase('pushes at the same time', (h: Harness) => {
  let pushers: Array<{ desk: TestDesk; user: string }>;
  let puller: TestDesk;
  let shared = '';

  beforeAll(async () => {
    pushers = [];
    for (let i = 0; i < PUSHERS; i++) {
      const user = await h.addUser(`w.concurrent.${i}`, 'analyst', 'WMID');
      pushers.push({ desk: await h.desk(`West Midlands ${i}`, 'WMID', [user]), user: user.id });
    }
    const reader = await h.addUser('w.reader', 'analyst', 'WMID');
    puller = await h.desk('West Midlands reader', 'WMID', [reader]);
    const first = pushers[0] as { desk: TestDesk; user: string };
    const made = await first.desk.push(first.desk.mutation(first.user, (m) => {
      shared = m.allegation({ unit_code: 'WMID', free_text: 'Works at the car wash.' });
    }));
    expect(made.body.results.map((r) => r.status)).toEqual(['accepted']);
    for (const d of [...pushers.map((p) => p.desk), puller]) await d.pullAll();
  }, 120_000);

  it('never lets a puller pass a change that commits later with a lower number, and loses no amendment of a case two desks share', async () => {
    const replies: Array<Reply<PushReply>> = [];
    let pushing = true;
    // Each desk pushes round after round: a new case with its subject, a note and an amendment of the shared case.
    const work = pushers.map(async ({ desk, user }, d) => {
      for (let round = 0; round < ROUNDS; round++) {
        const changes = desk.mutation(user, (m) => {
          const id = m.allegation({ unit_code: 'WMID' });
          m.insert('subject', randomUUID(), { allegation_id: id, ordinal: 0, role: 'main', forename: 'Name', surname: `Desk${d}Round${round}` }, id);
        });
        changes.push(
          ...desk.mutation(user, (m) =>
            m.insert('note', randomUUID(), { allegation_id: shared, note_date: '2026-03-02', author_name: 'Test', author_user_id: user, text: `Desk ${d}, round ${round}`, amends_note_id: null, created_at: new Date().toISOString() }, shared),
          ),
        );
        const field = FIELDS[d] as string;
        changes.push(...desk.mutation(user, (m) => m.update('allegation', shared, { [field]: [round ? `Desk ${d}, round ${round - 1}` : null, `Desk ${d}, round ${round}`] }, shared)));
        replies.push(await desk.push(changes));
      }
    });
    // The reader pulls in small windows all the while, as fast as it can.
    const seen: number[] = [];
    const reading = (async () => {
      while (pushing) {
        const r = await puller.pull(7);
        expect(r.status).toBe(200);
        seen.push(...r.body.changes.map((c) => c.serverSeq));
      }
    })();
    await Promise.all(work);
    pushing = false;
    await reading;
    seen.push(...(await puller.pullAll()).changes.map((c) => c.serverSeq));

    for (const r of replies) expect(r.body.results.every((x) => x.status === 'accepted'), JSON.stringify(r.body)).toBe(true);
    // Everything the server accepted reached the reader once, in the national order.
    const accepted = await h.server.ctx.db.query<{ seq: number }>("SELECT seq FROM change_log WHERE status = 'accepted' AND seq > $1 ORDER BY seq", [Math.min(...seen) - 1]);
    expect(seen).toEqual(accepted.map((a) => a.seq));
    expect(replies.flatMap((r) => r.body.results.map((x) => x.serverSeq)).every((s) => seen.includes(s))).toBe(true);

    // The shared case holds every note, and each desk's last amendment of its field: none was written over by a
    // push that had read the case before it.
    const notes = await h.count("SELECT count(*)::int AS n FROM entity_rows WHERE entity = 'note' AND allegation_ids[1] = $1", [shared]);
    expect(notes).toBe(PUSHERS * ROUNDS);
    const [row] = await h.server.ctx.db.query<{ data: Record<string, unknown> }>("SELECT data FROM entity_rows WHERE entity = 'allegation' AND id = $1", [shared]);
    expect(FIELDS.map((f) => row?.data[f])).toEqual(FIELDS.map((_, d) => `Desk ${d}, round ${ROUNDS - 1}`));

    // Each new case has its own national reference, the year's numbers given without a gap (no push failed), as the
    // log records them; and the audit chain verifies, one entry per push.
    const references = replies.flatMap((r) => r.body.references.map((x) => x.reference));
    expect(references).toHaveLength(PUSHERS * ROUNDS);
    expect(new Set(references).size).toBe(references.length);
    const given = await h.server.ctx.db.query<{ reference: string }>(
      "SELECT fields -> 'reference' ->> 'to' AS reference FROM change_log WHERE desk_id IS NULL AND entity = 'allegation' AND fields ? 'reference' ORDER BY seq",
    );
    const logged = new Set(given.map((g) => g.reference));
    expect(references.filter((r) => !logged.has(r))).toEqual([]);
    const numbers = references.map((r) => Number(r.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] as number) + i));
    expect(await h.count("SELECT count(*)::int AS n FROM server_audit WHERE action = 'sync.push'")).toBeGreaterThanOrEqual(PUSHERS * ROUNDS);
    expect(await h.count('SELECT count(*)::int AS n FROM server_audit_queue')).toBe(0);
    const audit = await h.request<{ verified: boolean }>('GET', '/v1/admin/audit?limit=1000', { token: h.adminToken });
    expect(audit.body.verified).toBe(true);
  }, 180_000);
});
