// Reallocation revokes, also when the desk that reallocates never heard of the allocation (issues 15 and 16). The
// NAT post room keys two letters that name their writers; the West Midlands analyst takes both on their desk, opens
// their source panes (the server releases the keys, the desk keeps them) and syncs. The unit's duty manager, on
// another desk that has not pulled since, moves both cases to the North East. The server ends the analyst's
// allocations with the move: it refuses the next release, and the analyst's desk drops its kept keys at its next
// pull, with its own record of the allocation ended (nothing removed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { signIn, tempDir } from '../helpers.ts';
import { bakeryLetter, birminghamLetter, allocateOnArrival, joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';

let s: TestServer;
const dirs = { nat: tempDir('ims-realloc-nat-'), wm: tempDir('ims-realloc-wm-'), duty: tempDir('ims-realloc-duty-') };
let nat: Core;
let wm: Core;
let duty: Core;
let analystId = '';
const ids: string[] = [];
const writers = [
  { name: 'Garfield Clarke', address: '53 Tottenham High Road, London N15 4RX', phone: '07813 382035', email: 'clarkeg@example.org', relationship: 'neighbour', organisation: '' },
  { name: 'Rebecca White', address: '14 Orchard Road, Leeds LS6 2AB', phone: '0113 496 0123', email: 'rwhite@example.org', relationship: 'former colleague', organisation: '' },
];

const held = (allegationId: string) => wm.store.db.prepare('SELECT sealed, dropped_why FROM released_keys WHERE allegation_id = ?').get(allegationId) as { sealed: Buffer | null; dropped_why: string | null } | undefined;
const allocationsOn = (core: Core, allegationId: string) =>
  core.store.db.prepare('SELECT user_id, ended_at FROM allocations WHERE allegation_id = ? ORDER BY allocated_at').all(allegationId) as Array<{ user_id: string; ended_at: string | null }>;
const serverAllocated = async (allegationId: string) =>
  (await s.server.ctx.db.query<{ allocated_users: string[] }>('SELECT allocated_users FROM allegation_scope WHERE allegation_id = $1', [allegationId]))[0]?.allocated_users;


beforeAll(async () => {
  s = await startTestServer();
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  analystId = (await s.addUser('wm.analyst', 'analyst', 'WMID')).id;
  await s.addUser('wm.duty', 'duty_manager', 'WMID');
  nat = await joinDesk(s, dirs.nat.dir, 'NAT post room', 'NAT', 'nat.sifter');
  wm = await joinDesk(s, dirs.wm.dir, 'West Midlands 1', 'WMID', 'wm.analyst');
  duty = await joinDesk(s, dirs.duty.dir, 'West Midlands duty desk', 'WMID', 'wm.duty');
  const sifter = await signIn(nat, 'nat.sifter');
  ids.push((await sifter.call('allegations.create', { form: { ...birminghamLetter(), source: writers[0] } })).id);
  ids.push((await sifter.call('allegations.create', { form: { ...bakeryLetter(), source: writers[1] } })).id);
  await syncOk(nat);
  await syncOk(duty);
  const analyst = await allocateOnArrival(wm, 'wm.analyst', ids);
  for (const [i, id] of ids.entries()) {
    const pane = await analyst.call('source.open', { allegationId: id, reason: 'Recontact the writer about the rota' });
    expect(pane.details.name).toBe(writers[i]?.name);
    expect(held(id)?.sealed).toBeInstanceOf(Buffer);
  }
}, 240_000);

afterAll(async () => {
  for (const c of [nat, wm, duty]) c?.close();
  await s?.stop();
  for (const d of Object.values(dirs)) d.cleanup();
});

describe('reallocation by a desk that had not pulled the allocation', () => {
  it('ends the analyst’s allocation on the server, which then refuses to release the key to them', async () => {
    const manager = await signIn(duty, 'wm.duty');
    for (const id of ids) {
      await manager.call('allegations.reallocate', { id, unit: 'NEAST', reason: 'The subject moved to Newcastle' });
      // The duty manager's desk had not pulled the analyst's allocation: its reallocation ended none.
      expect(allocationsOn(duty, id)).toEqual([]);
    }
    await syncOk(duty);
    for (const id of ids) expect(await serverAllocated(id)).toEqual([]);
    // The analyst's desk has not pulled: its own record still says allocated, so it asks; the server says no.
    const analyst = await signIn(wm, 'wm.analyst');
    const r = await analyst.raw('source.open', { allegationId: ids[0], reason: 'One more look' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('forbidden');
    expect(!r.ok && r.error.message).toMatch(/^The server refused to release the key to the sealed details of .*released only to staff allocated to it and to the National Source Unit/);
    expect(held(ids[0] as string)).toMatchObject({ sealed: null, dropped_why: 'refused by the server' });
  });

  it('tells the analyst’s desk at its next pull, which ends its own allocation and drops the kept key', async () => {
    expect(held(ids[1] as string)?.sealed).toBeInstanceOf(Buffer);
    await syncOk(wm);
    const row = held(ids[1] as string);
    expect(row?.sealed).toBeNull();
    expect(row?.dropped_why).toMatch(/moved to another unit|no longer allocated/);
    const dropped = wm.store.db.prepare("SELECT details FROM audit_log WHERE action = 'key.release_dropped' AND allegation_id = ?").all(ids[1]) as Array<{ details: string }>;
    expect(dropped.map((d) => JSON.parse(d.details))).toEqual([expect.objectContaining({ userId: analystId })]);
    // Ended, not removed, on the analyst's desk and on the desk that moved the case.
    expect(allocationsOn(wm, ids[1] as string)).toEqual([{ user_id: analystId, ended_at: expect.any(String) }]);
    await syncOk(duty);
    for (const id of ids) expect(allocationsOn(duty, id)).toEqual([{ user_id: analystId, ended_at: expect.any(String) }]);
    const analyst = await signIn(wm, 'wm.analyst');
    const r = await analyst.raw('source.open', { allegationId: ids[1], reason: 'One more look' });
    expect(r.ok).toBe(false);
  });
});
