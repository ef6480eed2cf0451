// Change numbers and commits in different orders (server/sync/numbering.ts). Pushes number their changes as they
// write them and commit whenever they finish, so a change with a lower number can commit after one with a higher
// number. A pull must never pass the lower one while it is still to commit (its desk would never receive it), and
// the live nudge must not send a desk to pull a change it cannot have yet (it would pull, find nothing, and hear no
// more). Here a push is held between its write and its COMMIT (a transaction of the test's own holds the row its last
// insert needs) while a later push commits; a desk pulls and listens meanwhile. Only PostgreSQL runs transactions
// side by side: PGlite runs one at a time, so there numbers are committed in their order.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, POSTGRES_URL, type TestDesk } from './harness.ts';

const HELD_REFERENCE = 'IMS-2026-000123-DESKHOLD';

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

if (!POSTGRES_URL) {
  describe('change numbers committed out of order [PostgreSQL]', () => {
    it.skip('skipped: no PostgreSQL was given (set IMS_TEST_POSTGRES_URL to a cluster; .ci/run starts one)', () => undefined);
  });
} else {
  describe('change numbers committed out of order [PostgreSQL]', () => {
    const h = new Harness('PostgreSQL');
    let held: pg.Client;
    let a: { desk: TestDesk; user: string };
    let b: { desk: TestDesk; user: string };
    let reader: TestDesk;

    beforeAll(async () => {
      await h.start();
      const ua = await h.addUser('w.order.a', 'analyst', 'WMID');
      const ub = await h.addUser('w.order.b', 'analyst', 'WMID');
      const ur = await h.addUser('w.order.reader', 'analyst', 'WMID');
      a = { desk: await h.desk('West Midlands A', 'WMID', [ua]), user: ua.id };
      b = { desk: await h.desk('West Midlands B', 'WMID', [ub]), user: ub.id };
      reader = await h.desk('West Midlands reader', 'WMID', [ur]);
      await reader.pullAll();
      held = new pg.Client({ connectionString: h.databaseUrl as string });
      await held.connect();
    }, 120_000);
    afterAll(async () => {
      await held?.end();
      await h.stop();
    }, 60_000);

    it('never lets a pull pass a change that commits after a change with a higher number, nor nudges before the change can be pulled', async () => {
      const controller = new AbortController();
      const events = await fetch(`${h.url}/v1/sync/events`, { headers: { 'x-desk-token': reader.token }, signal: controller.signal });
      const stream = (events.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const listening = (async () => {
        const decoder = new TextDecoder();
        try {
          for (;;) {
            const { value, done } = await stream.read();
            if (done) return;
            text += decoder.decode(value);
          }
        } catch {
          // aborted at the end
        }
      })();
      await waitFor('the hello event', async () => text.includes('event: hello'));

      // The test's transaction takes the alias that push A's new allegation will be given: A's write waits for it
      // after A's transaction has begun to write, holding A's change numbers, uncommitted.
      await held.query('BEGIN');
      await held.query("INSERT INTO reference_aliases (alias, allegation_id, created_at) VALUES ($1, 'held', now())", [HELD_REFERENCE]);
      const pushA = a.desk.push(a.desk.mutation(a.user, (m) => void m.allegation({ unit_code: 'WMID', reference: HELD_REFERENCE })));
      await waitFor('push A to wait for the held alias', async () => {
        const r = await held.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'transactionid' AND pid <> pg_backend_pid()");
        return (r.rows[0] as { n: number }).n > 0;
      });

      // Push B starts after A has its numbers, so B's are higher; B commits while A waits.
      const replyB = await b.desk.push(b.desk.mutation(b.user, (m) => void m.allegation({ unit_code: 'WMID' })));
      expect(replyB.status).toBe(200);
      const seqB = Math.min(...replyB.body.results.map((r) => r.serverSeq));

      // The reader pulls while A is still to commit: it may not receive B yet, and its cursor stays below A.
      const during = await reader.pull(1000);
      expect(during.status).toBe(200);
      expect(during.body.changes.map((c) => c.serverSeq)).not.toContain(seqB);
      expect(during.body.cursor).toBeLessThan(seqB);
      // B's nudge is held: pulling on it now would give nothing.
      await new Promise((r) => setTimeout(r, 300));
      expect(text).not.toContain('event: waiting');

      // The test's transaction gives way; A writes its alias and commits, with numbers lower than B's.
      await held.query('ROLLBACK');
      const replyA = await pushA;
      expect(replyA.status).toBe(200);
      const allegationA = replyA.body.references[0]?.allegationId as string;
      const seqsA = (await h.server.ctx.db.query<{ seq: number }>("SELECT seq FROM change_log WHERE entity = 'allegation' AND entity_id = $1", [allegationA])).map((r) => r.seq);
      expect(seqsA).toHaveLength(2); // the desk's insert and the server's reference
      expect(Math.max(...seqsA)).toBeLessThan(seqB);
      expect(replyA.body.references).toEqual([{ allegationId: expect.any(String), reference: expect.stringMatching(/^IMS-\d{4}-\d{6}$/), provisional: HELD_REFERENCE }]);

      // Now the nudge goes out, and the pull it prompts gives both, A's first: nothing was skipped.
      await waitFor('the nudge', async () => text.includes('event: waiting'));
      const after = await reader.pullAll();
      const got = after.changes.map((c) => c.serverSeq);
      for (const s of [...seqsA, seqB]) expect(got).toContain(s);
      expect(got).toEqual([...got].sort((x, y) => x - y));
      expect(got.indexOf(Math.max(...seqsA))).toBeLessThan(got.indexOf(seqB));
      controller.abort();
      await listening;
    }, 60_000);
  });
}
