// Reallocation to another unit ends every allocation of the case that is open on the server, not only those the
// reallocating desk had heard of. A duty manager's desk that has not yet pulled an analyst's allocation (made on
// another desk and already pushed) moves the case away: the server ends that allocation itself, as a change of its
// own that reaches the analyst's desk (which then lets the case go) and the old unit's desks, and the key service
// no longer releases the case's data key to the analyst. Nothing is removed: the allocation is ended.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { PER_TRANSACTION } from '../../server/sync/numbering.ts';
import { eachDatabase, type TestDesk } from './harness.ts';

const now = () => new Date().toISOString();

eachDatabase('reallocation by a desk that has not pulled every allocation', (h) => {
  let sifter: { id: string; username: string };
  let analyst: { id: string; username: string };
  let colleague: { id: string; username: string };
  let duty: { id: string; username: string };
  let eastern: { id: string; username: string };
  let nat: TestDesk;
  let wmid1: TestDesk;
  let wmid2: TestDesk;
  let emid: TestDesk;

  const allocationRow = async (id: string) => {
    const [r] = await h.server.ctx.db.query<{ user_id: string; ended_at: string | null }>('SELECT user_id, ended_at FROM allocations WHERE id = $1', [id]);
    return r;
  };
  const allocated = async (allegationId: string) => {
    const [r] = await h.server.ctx.db.query<{ allocated_users: string[]; unit_code: string }>('SELECT allocated_users, unit_code FROM allegation_scope WHERE allegation_id = $1', [allegationId]);
    return r;
  };
  const release = async (username: string, allegationId: string) =>
    h.request<{ message?: string }>('POST', '/v1/keys/release', { token: await h.signIn(username), body: { allegationId, reason: 'Recontact the writer' } });
  const newCase = async () => {
    let id = '';
    const r = await nat.push(nat.mutation(sifter.id, (m) => {
      id = m.allegation({ unit_code: 'WMID' });
    }));
    expect(r.body.results.every((x) => x.status === 'accepted')).toBe(true);
    return id;
  };
  const allocate = (desk: TestDesk, by: string, allegationId: string, to: string) => {
    const id = randomUUID();
    return { id, changes: desk.mutation(by, (m) => m.insert('allocation', id, { allegation_id: allegationId, user_id: to, allocated_at: now(), allocated_by: 'someone', ended_at: null }, allegationId)) };
  };
  /** A reallocation as the desk writes it: the unit, its history, and the end of each allocation the desk knows of. */
  const reallocate = (desk: TestDesk, by: string, allegationId: string, to: string, known: string[] = []) =>
    desk.mutation(by, (m) => {
      const at = now();
      m.update('allegation', allegationId, { unit_code: ['WMID', to], routed_by: ['postcode area B', 'reallocated: moved house'], updated_at: [null, at] }, allegationId);
      m.insert('unit_history', randomUUID(), { allegation_id: allegationId, from_unit: 'WMID', to_unit: to, reason: 'moved house', at, by_user: 'Duty' }, allegationId);
      for (const id of known) m.update('allocation', id, { ended_at: [null, at] }, allegationId);
    });

  beforeAll(async () => {
    sifter = await h.addUser('n.sifter', 'sifter', 'NAT');
    analyst = await h.addUser('w.analyst', 'analyst', 'WMID');
    colleague = await h.addUser('w.colleague', 'analyst', 'WMID');
    duty = await h.addUser('w.duty', 'duty_manager', 'WMID');
    eastern = await h.addUser('e.analyst', 'analyst', 'EMID');
    nat = await h.desk('NAT post room', 'NAT', [sifter]);
    wmid1 = await h.desk('West Midlands 1', 'WMID', [analyst, colleague]);
    wmid2 = await h.desk('West Midlands 2', 'WMID', [duty]);
    emid = await h.desk('East Midlands', 'EMID', [eastern]);
    for (const d of [nat, wmid1, wmid2, emid]) await d.pullAll();
  });

  it('ends the allocation the reallocating desk had not pulled, and stops releasing the key to its analyst', async () => {
    const job = await newCase();
    for (const d of [wmid1, wmid2, emid]) await d.pullAll();
    const mine = allocate(wmid1, analyst.id, job, analyst.id);
    expect((await wmid1.push(mine.changes)).body.results[0]?.status).toBe('accepted');
    expect((await release('w.analyst', job)).status).toBe(200);

    // West Midlands 2 has not pulled the allocation; its duty manager moves the case to East Midlands.
    const moved = await wmid2.push(reallocate(wmid2, duty.id, job, 'EMID'));
    expect(moved.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    expect(await allocated(job)).toEqual({ allocated_users: [], unit_code: 'EMID' });
    const ended = await allocationRow(mine.id);
    expect(ended?.user_id).toBe(analyst.id);
    expect(ended?.ended_at).not.toBeNull();
    const [row] = await h.server.ctx.db.query<{ data: { ended_at: string | null; user_id: string } }>("SELECT data FROM entity_rows WHERE entity = 'allocation' AND id = $1", [mine.id]);
    expect(row?.data).toMatchObject({ user_id: analyst.id, ended_at: ended?.ended_at });
    // Kept, not removed: the allocation's row and its first change are still there.
    expect(await h.count("SELECT count(*)::int AS n FROM change_log WHERE entity = 'allocation' AND entity_id = $1 AND op = 'insert'", [mine.id])).toBe(1);

    const refused = await release('w.analyst', job);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/released only to staff allocated to it and to the National Source Unit/);
  });

  it('tells the analyst’s desk and the old unit’s desks at pull that the allocation ended, as the server’s own change', async () => {
    const job = await newCase();
    for (const d of [wmid1, wmid2, emid]) await d.pullAll();
    const mine = allocate(wmid1, analyst.id, job, analyst.id);
    await wmid1.push(mine.changes);
    await wmid2.push(reallocate(wmid2, duty.id, job, 'EMID'));

    const w1 = await wmid1.pullAll();
    const ending = w1.changes.filter((c) => c.entity === 'allocation' && c.id === mine.id);
    expect(ending).toHaveLength(1);
    expect(ending[0]).toMatchObject({ deskId: null, userId: null, op: 'update', allegationId: job, fields: { ended_at: { from: null, to: expect.any(String) } } });
    // The case left West Midlands and nobody on this desk is allocated to it now: it has moved.
    expect(w1.moved).toEqual([{ allegationId: job, unit: 'EMID', serverSeq: expect.any(Number) }]);

    // The reallocating desk learns of the allocation it had not heard of, and that it has ended.
    const w2 = await wmid2.pullAll();
    const seen = w2.changes.filter((c) => c.entity === 'allocation' && c.id === mine.id).map((c) => c.op);
    expect(seen).toEqual(['insert', 'update']);

    // The new unit receives the case whole, with the allocation already ended.
    const e = await emid.pullAll();
    expect(e.snapshots.find((s) => s.entity === 'allocation' && s.id === mine.id)?.data).toMatchObject({ user_id: analyst.id, ended_at: expect.any(String) });
  });

  it('ends each allocation once: those the desk ended itself are not ended again by the server', async () => {
    const job = await newCase();
    for (const d of [wmid1, wmid2, emid]) await d.pullAll();
    const known = allocate(wmid2, duty.id, job, colleague.id);
    expect((await wmid2.push(known.changes)).body.results[0]?.status).toBe('accepted');
    const unknown = allocate(wmid1, analyst.id, job, analyst.id);
    expect((await wmid1.push(unknown.changes)).body.results[0]?.status).toBe('accepted');

    // West Midlands 2 knows of the colleague's allocation (it made it), not of the analyst's.
    expect((await wmid2.push(reallocate(wmid2, duty.id, job, 'EMID', [known.id]))).body.results.every((r) => r.status === 'accepted')).toBe(true);
    expect((await allocated(job))?.allocated_users).toEqual([]);
    const endings = await h.server.ctx.db.query<{ entity_id: string; desk_id: string | null }>(
      "SELECT entity_id, desk_id FROM change_log WHERE entity = 'allocation' AND allegation_id = $1 AND op = 'update' AND status = 'accepted' ORDER BY seq",
      [job],
    );
    expect(endings).toEqual([
      { entity_id: known.id, desk_id: wmid2.id },
      { entity_id: unknown.id, desk_id: null },
    ]);
    expect((await release('w.colleague', job)).status).toBe(403);
    expect((await release('w.analyst', job)).status).toBe(403);
  });

  it('keeps an allocation made in the same act as the reallocation', async () => {
    const job = await newCase();
    for (const d of [wmid1, wmid2, emid]) await d.pullAll();
    const old = allocate(wmid1, analyst.id, job, analyst.id);
    await wmid1.push(old.changes);
    const fresh = randomUUID();
    const changes = wmid2.mutation(duty.id, (m) => {
      m.update('allegation', job, { unit_code: ['WMID', 'EMID'] }, job);
      m.insert('allocation', fresh, { allegation_id: job, user_id: eastern.id, allocated_at: now(), allocated_by: 'Duty', ended_at: null }, job);
    });
    expect((await wmid2.push(changes)).body.results.every((r) => r.status === 'accepted')).toBe(true);
    expect((await allocated(job))?.allocated_users).toEqual([eastern.id]);
    expect((await allocationRow(fresh))?.ended_at).toBeNull();
    expect((await allocationRow(old.id))?.ended_at).not.toBeNull();
  });

  it('numbers the server’s endings in the moving push’s own transaction, right after the move, so a pull meets them in that order', async () => {
    const job = await newCase();
    for (const d of [wmid1, wmid2, emid]) await d.pullAll();
    const first = allocate(wmid1, analyst.id, job, analyst.id);
    const second = allocate(wmid1, colleague.id, job, colleague.id);
    for (const a of [first, second]) expect((await wmid1.push(a.changes)).body.results[0]?.status).toBe('accepted');

    const moved = await wmid2.push(reallocate(wmid2, duty.id, job, 'EMID'));
    const moveSeqs = moved.body.results.map((r) => r.serverSeq as number);
    expect(moveSeqs).toHaveLength(2);
    const endings = await h.server.ctx.db.query<{ seq: string; entity_id: string }>(
      "SELECT seq::text AS seq, entity_id FROM change_log WHERE entity = 'allocation' AND allegation_id = $1 AND op = 'update' AND desk_id IS NULL ORDER BY seq",
      [job],
    );
    expect(endings.map((e) => e.entity_id).sort()).toEqual([first.id, second.id].sort());
    // One transaction numbers its changes in a row (server/sync/numbering.ts): the move's two, then the server's two.
    const last = Math.max(...moveSeqs);
    expect(endings.map((e) => Number(e.seq))).toEqual([last + 1, last + 2]);
    for (const seq of [...moveSeqs, ...endings.map((e) => Number(e.seq))]) expect(Math.floor(seq / PER_TRANSACTION)).toBe(Math.floor(last / PER_TRANSACTION));

    // The analyst's desk pulls the move (the case's new unit and its history) and then each ending, in the log's order.
    const pulled = (await wmid1.pullAll()).changes.filter((c) => c.allegationId === job);
    const order = pulled.map((c) => `${c.entity}:${c.op}`);
    expect(order.slice(-4)).toEqual(['allegation:update', 'unit_history:append', 'allocation:update', 'allocation:update']);
    expect(pulled.map((c) => c.serverSeq)).toEqual([...pulled.map((c) => c.serverSeq)].sort((a, b) => a - b));
  });
});
