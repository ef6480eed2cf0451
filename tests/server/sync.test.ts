// The sync protocol as desks live it, on both databases: push, pull within scope, national references, merge per
// field and by union, state changes judged by the server, conflicts, reallocation and allocation moving records
// between desks, the initial snapshot, the live nudge, and every kind of bad message refused with nothing changed.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { eachDatabase, type Harness, type TestDesk } from './harness.ts';
import { formatHlc, parseHlc } from '../../shared/sync/hlc.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';

interface People {
  sifter: { id: string; username: string };
  a: { id: string; username: string };
  b: { id: string; username: string };
  c: { id: string; username: string };
  d: { id: string; username: string };
  e: { id: string; username: string };
}

async function row(h: Harness, entity: string, id: string): Promise<Record<string, unknown> | undefined> {
  const [r] = await h.server.ctx.db.query<{ data: Record<string, unknown> }>('SELECT data FROM entity_rows WHERE entity = $1 AND id = $2', [entity, id]);
  return r?.data;
}

const logCount = (h: Harness) => h.count('SELECT count(*)::int AS n FROM change_log');

eachDatabase('sync between desks', (h) => {
  let p: People;
  let nat: TestDesk;
  let wmid1: TestDesk;
  let wmid2: TestDesk;
  let emid: TestDesk;
  let letter: string;
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    p = {
      sifter: await h.addUser('n.sifter', 'sifter', 'NAT'),
      a: await h.addUser('w.analyst.a', 'analyst', 'WMID'),
      b: await h.addUser('w.analyst.b', 'analyst', 'WMID'),
      c: await h.addUser('w.compliance', 'compliance_officer', 'WMID'),
      d: await h.addUser('w.duty', 'duty_manager', 'WMID'),
      e: await h.addUser('e.analyst', 'analyst', 'EMID'),
    };
    nat = await h.desk('NAT post room', 'NAT', [p.sifter]);
    wmid1 = await h.desk('West Midlands 1', 'WMID', [p.a, p.c]);
    wmid2 = await h.desk('West Midlands 2', 'WMID', [p.b, p.d]);
    emid = await h.desk('East Midlands', 'EMID', [p.e]);
    for (const d of [nat, wmid1, wmid2, emid]) await d.pullAll();
  });

  it('brings a letter keyed by the NAT sifter to the West Midlands desks, numbered nationally, and nowhere else', async () => {
    let subject = '';
    const changes = nat.mutation(p.sifter.id, (m) => {
      letter = m.allegation({ unit_code: 'WMID', channel: 'letter', free_text: 'Employs people with no papers at the car wash on Soho Road.' });
      subject = randomUUID();
      m.insert('subject', subject, { allegation_id: letter, ordinal: 0, role: 'main', forename: 'Akrem', surname: 'Haddad' }, letter);
    });
    const provisional = changes[0]?.fields.reference?.to as string;
    const r = await nat.push(changes);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => x.status)).toEqual(['accepted', 'accepted']);
    expect(r.body.nextSeq).toBe(3);
    const [given] = r.body.references;
    expect(given?.provisional).toBe(provisional);
    expect(given?.reference).toMatch(/^IMS-\d{4}-\d{6}$/);

    const w = await wmid1.pullAll();
    expect(w.changes.filter((c) => c.allegationId === letter).map((c) => [c.entity, c.op])).toEqual([
      ['allegation', 'insert'],
      ['subject', 'insert'],
      ['allegation', 'update'],
    ]);
    const numbered = w.changes.find((c) => c.entity === 'allegation' && c.op === 'update');
    expect(numbered).toMatchObject({ deskId: null, userId: null, fields: { reference: { from: provisional, to: given?.reference } } });
    expect((await emid.pullAll()).changes.filter((c) => c.allegationId === letter)).toEqual([]);
    // The desk that made it gets only what it did not make: the national number.
    expect((await nat.pullAll()).changes.filter((c) => c.allegationId === letter).map((c) => c.deskId)).toEqual([null]);
    await wmid2.pullAll();

    // The provisional reference stays an alias on the server.
    const byAlias = await h.request<{ allegationId: string; reference: string; aliases: string[] }>('GET', `/v1/references/${provisional}`, { desk: emid.token });
    expect(byAlias.body).toMatchObject({ allegationId: letter, reference: given?.reference, aliases: [provisional] });
  });

  it('answers a replayed batch as it did the first time and changes nothing', async () => {
    const changes = wmid1.mutation(p.a.id, (m) => m.insert('note', randomUUID(), { allegation_id: letter, note_date: '2026-03-02', author_name: 'A', author_user_id: p.a.id, text: 'Visited the site.', amends_note_id: null, created_at: now() }, letter));
    const first = await wmid1.push(changes);
    expect(first.body.results[0]?.status).toBe('accepted');
    const before = await logCount(h);
    const again = await wmid1.push(changes);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await logCount(h)).toBe(before);
    // The answer was lost and the desk sends it again with what it wrote since: the old part is answered, the new judged.
    const more = wmid1.mutation(p.a.id, (m) => m.insert('note', randomUUID(), { allegation_id: letter, note_date: '2026-03-02', author_name: 'A', author_user_id: p.a.id, text: 'Second visit.', amends_note_id: null, created_at: now() }, letter));
    const mixed = await wmid1.push([...changes, ...more]);
    expect(mixed.body.results[0]).toEqual(first.body.results[0]);
    expect(mixed.body.results[1]?.status).toBe('accepted');
    expect(await logCount(h)).toBe(before + 1);
  });

  it('refuses a change number reused with other content, a reordered batch, a gap and a forged clock, changing nothing', async () => {
    const before = await logCount(h);
    const [sent] = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { free_text: ['Employs people with no papers at the car wash on Soho Road.', 'Amended once.'] }, letter));
    expect((await wmid1.push([sent as ChangeRow])).body.results[0]?.status).toBe('accepted');
    const forged = { ...(sent as ChangeRow), fields: { free_text: { from: 'Amended once.', to: 'Something else entirely' } } };
    const reused = await wmid1.push([forged]);
    expect(reused.status).toBe(409);
    expect(reused.body.message).toMatch(/pushed before with different content/);

    const [x, y] = wmid1.mutation(p.a.id, (m) => {
      m.update('allegation', letter, { channel: ['letter', 'fax'] }, letter);
      m.update('allegation', letter, { reporter_type: ['public', 'staff'] }, letter);
    });
    const reordered = await wmid1.push([y as ChangeRow, x as ChangeRow]);
    expect(reordered.status).toBe(400);
    expect(reordered.body.message).toMatch(/in the desk's order/);
    const gap = await wmid1.push([y as ChangeRow]);
    expect(gap.status).toBe(409);
    expect(gap.body.message).toMatch(/expected change \d+ from this desk next/);

    const t = parseHlc((x as ChangeRow).hlc);
    const otherNode = await wmid1.push([{ ...(x as ChangeRow), hlc: formatHlc({ ...t, node: nat.node }) }]);
    expect(otherNode.status).toBe(400);
    expect(otherNode.body.message).toMatch(/carries the clock of/);
    const ahead = await wmid1.push([{ ...(x as ChangeRow), hlc: formatHlc({ ...t, wall: Date.now() + 3 * 3_600_000 }) }]);
    expect(ahead.status).toBe(400);
    expect(ahead.body.message).toMatch(/clock is 3 h 0 min ahead of the server's.*correct the computer's date and time/);
    expect(await logCount(h)).toBe(before + 1);
    // The desk goes on where the server said.
    expect((await wmid1.push([x as ChangeRow, y as ChangeRow])).body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('refuses malformed and mis-shaped messages with a clear reason', async () => {
    const before = await logCount(h);
    const bad = await h.request<{ code: string; message: string }>('POST', '/v1/sync/push', { desk: wmid1.token, raw: '{"changes": [' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
    const shape = await h.request<{ message: string; fields: Record<string, string> }>('POST', '/v1/sync/push', {
      desk: wmid1.token,
      body: { changes: [{ seq: 1, entity: 'note', id: 'x', allegationId: null, op: 'append', fields: {}, userId: null }] },
    });
    expect(shape.status).toBe(400);
    expect(shape.body.fields['changes.0.hlc']).toBeDefined();
    const extra = await h.request('POST', '/v1/sync/push', { desk: wmid1.token, body: { changes: [], sneaky: true } });
    expect(extra.status).toBe(400);
    const pull = await h.request<{ message: string }>('GET', '/v1/sync/pull?cursor=-4', { desk: wmid1.token });
    expect(pull.status).toBe(400);
    expect(await logCount(h)).toBe(before);
  });

  it('rejects forged changes: an unknown person, one who never signed in at the desk, one outside the unit, a role that may not', async () => {
    const stranger = wmid1.mutation(randomUUID(), (m) => m.update('allegation', letter, { channel: ['fax', 'email'] }, letter));
    const notHere = wmid1.mutation(p.b.id, (m) => m.update('allegation', letter, { channel: ['fax', 'email'] }, letter));
    const outsider = emid.mutation(p.e.id, (m) => m.update('allegation', letter, { channel: ['fax', 'email'] }, letter));
    const account = wmid1.mutation(p.a.id, (m) => m.update('user', p.a.id, { role: ['analyst', 'admin'] }));
    const r1 = await wmid1.push([...stranger, ...notHere, ...account]);
    expect(r1.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', expect.stringMatching(/not known to the server/)],
      ['rejected', expect.stringMatching(/w.analyst.b has never signed in at this desk/)],
      ['rejected', expect.stringMatching(/accounts are managed on the server/)],
    ]);
    const r2 = await emid.push(outsider);
    // Well formed as JSON, but not a change the registry knows: stored as rejected, with the registry's reason.
    const unknown = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { favourite_colour: ['red', 'blue'] }, letter));
    expect((await wmid1.push(unknown)).body.results[0]?.reason).toBe('favourite_colour is not a synced field of allegation');
    const partial = wmid1.mutation(p.a.id, (m) => m.update('subject', randomUUID(), { surname: [null, 'Haddad'] }, letter)).map((c) => ({ ...c, op: 'insert' as const }));
    expect((await wmid1.push(partial)).body.results[0]?.reason).toMatch(/^a new subject must give every field; missing allegation_id/);
    expect(r2.body.results[0]?.reason).toMatch(/e.analyst \(RIU analyst\) does not work this allegation: it belongs to West Midlands/);
    expect((await row(h, 'allegation', letter))?.channel).toBe('fax');
  });

  it('merges amendments to different fields from two desks, and lets the later clock win a field both changed', async () => {
    const one = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { free_text: ['Amended once.', 'Seen at the car wash by the analyst A.'] }, letter));
    const two = wmid2.mutation(p.b.id, (m) => m.update('allegation', letter, { scan_missing_reason: [null, 'The letter was handed back to the sender.'] }, letter));
    expect((await wmid1.push(one)).body.results[0]?.status).toBe('accepted');
    expect((await wmid2.push(two)).body.results[0]?.status).toBe('accepted');
    const merged = await row(h, 'allegation', letter);
    expect(merged).toMatchObject({ free_text: 'Seen at the car wash by the analyst A.', scan_missing_reason: 'The letter was handed back to the sender.' });
    expect((await wmid2.pullAll()).changes.some((c) => c.fields.free_text?.to === 'Seen at the car wash by the analyst A.')).toBe(true);
    expect((await wmid1.pullAll()).changes.some((c) => c.fields.scan_missing_reason)).toBe(true);

    // Both change one field; desk 2's clock is later although its push arrives first.
    const later = wmid2.mutation(p.b.id, (m) => m.update('allegation', letter, { free_text: ['Seen at the car wash by the analyst A.', 'B: the car wash closed in March.'] }, letter));
    const earlierHlc = formatHlc({ ...parseHlc((later[0] as ChangeRow).hlc), wall: parseHlc((later[0] as ChangeRow).hlc).wall - 60_000, node: wmid1.node });
    const earlier = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { free_text: ['Seen at the car wash by the analyst A.', 'A: still trading.'] }, letter)).map((c) => ({ ...c, hlc: earlierHlc }));
    expect((await wmid2.push(later)).body.results[0]?.status).toBe('accepted');
    const lost = await wmid1.push(earlier);
    expect(lost.body.results[0]).toMatchObject({ status: 'accepted', stale: ['free_text'] });
    expect((await row(h, 'allegation', letter))?.free_text).toBe('B: the car wash closed in March.');
    await wmid1.pullAll();
    await wmid2.pullAll();
  });

  it('judges state changes: an outcome needs its decision, nobody signs off their own, and an outcome on a case closed elsewhere is a conflict for its author', async () => {
    const t = now();
    const assess = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { status: ['new', 'triaged'], risk_rating: [null, 'forty_eight_hours'], assessed_at: [null, t] }, letter));
    expect((await wmid1.push(assess)).body.results[0]?.status).toBe('accepted');
    await wmid2.pullAll(); // desk 2 sees "triaged", then goes offline

    const bare = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { status: ['triaged', 'actioned'], outcome: [null, 'actioned'], outcome_at: [null, t], outcome_by: [null, 'A'] }, letter));
    expect((await wmid1.push(bare)).body.results[0]?.reason).toMatch(/recorded with its decision/);

    const decision = randomUUID();
    const outcome = wmid1.mutation(p.a.id, (m) => {
      m.insert('outcome_decision', decision, { allegation_id: letter, outcome: 'actioned', rationale: 'Strong, specific and current: tasked to ICE.', checks: '{}', decided_by: 'A', user_id: p.a.id, decided_at: t }, letter);
      m.insert('outcome_action', randomUUID(), { allegation_id: letter, action: 'tasked_ice', detail: 'Birmingham ICE', at: t, by_user: 'A', decision_id: decision }, letter);
      m.update('allegation', letter, { status: ['triaged', 'actioned'], outcome: [null, 'actioned'], outcome_at: [null, t], outcome_by: [null, 'A'] }, letter);
    });
    expect((await wmid1.push(outcome)).body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    const signoff = (user: string) =>
      wmid1.mutation(user, (m) => {
        m.insert('compliance_signoff', randomUUID(), { allegation_id: letter, decision_id: decision, decision: 'approved', evidence: '[]', note: '', decided_by: 'C', user_id: user, decided_at: t }, letter);
        m.update('allegation', letter, { status: ['actioned', 'closed'], closed_at: [null, t], closed_by: [null, 'C'] }, letter);
      });
    const byAnalyst = await wmid1.push(signoff(p.a.id));
    expect(byAnalyst.body.results[0]?.reason).toMatch(/may not sign off an outcome/);
    expect(byAnalyst.body.results[1]?.reason).toMatch(/rejected with the rest of its mutation/);
    expect((await wmid1.push(signoff(p.c.id))).body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect((await row(h, 'allegation', letter))?.status).toBe('closed');

    // Desk 2, offline since "triaged", records NFA: the server refuses the whole mutation and keeps it as a conflict.
    const nfaDecision = randomUUID();
    const late = wmid2.mutation(p.b.id, (m) => {
      m.insert('outcome_decision', nfaDecision, { allegation_id: letter, outcome: 'nfa_actionable', rationale: 'Enough to act on, but low priority.', checks: '{}', decided_by: 'B', user_id: p.b.id, decided_at: now() }, letter);
      m.update('allegation', letter, { status: ['triaged', 'nfa'], outcome: [null, 'nfa_actionable'], outcome_at: [null, now()], outcome_by: [null, 'B'] }, letter);
    });
    const r = await wmid2.push(late);
    expect(r.body.results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(r.body.results[0]?.reason).toMatch(/closed/);
    expect(await row(h, 'outcome_decision', nfaDecision)).toBeUndefined();
    expect((await row(h, 'allegation', letter))?.outcome).toBe('actioned');

    const open = await h.request<{ conflicts: Array<{ id: number; userId: string; entity: string; reason: string; change: ChangeRow }> }>('GET', '/v1/sync/conflicts', { desk: wmid2.token });
    expect(open.body.conflicts.map((c) => [c.entity, c.userId])).toEqual([
      ['outcome_decision', p.b.id],
      ['allegation', p.b.id],
    ]);
    expect(open.body.conflicts[0]?.change.fields.outcome?.to).toBe('nfa_actionable');
    // Someone else on the desk may not resolve B's conflict; B resolves it.
    const [first, second] = open.body.conflicts;
    const byOther = await h.request('POST', `/v1/sync/conflicts/${first?.id}/resolve`, { desk: wmid2.token, token: wmid2.sessions.get('w.duty'), body: { resolution: 'discarded', note: 'Closed already' } });
    expect(byOther.status).toBe(200); // a duty manager may resolve for their people
    const byB = await h.request<{ resolution: string; resolvedBy: string }>('POST', `/v1/sync/conflicts/${second?.id}/resolve`, { desk: wmid2.token, token: wmid2.sessions.get('w.analyst.b'), body: { resolution: 'discarded', note: '' } });
    expect(byB.body).toMatchObject({ resolution: 'discarded', resolvedBy: p.b.id });
    const again = await h.request('POST', `/v1/sync/conflicts/${second?.id}/resolve`, { desk: wmid2.token, token: wmid2.sessions.get('w.analyst.b'), body: { resolution: 'reapplied' } });
    expect(again.status).toBe(409);
    expect((await h.request<{ conflicts: unknown[] }>('GET', '/v1/sync/conflicts', { desk: wmid2.token })).body.conflicts).toEqual([]);
    // A note may still be added to the closed case; an amendment may not.
    const note = wmid1.mutation(p.a.id, (m) => m.insert('note', randomUUID(), { allegation_id: letter, note_date: '2026-03-03', author_name: 'A', author_user_id: p.a.id, text: 'ICE visit done.', amends_note_id: null, created_at: now() }, letter));
    expect((await wmid1.push(note)).body.results[0]?.status).toBe('accepted');
    const amend = wmid1.mutation(p.a.id, (m) => m.update('allegation', letter, { channel: ['fax', 'email'] }, letter));
    expect((await wmid1.push(amend)).body.results[0]?.reason).toMatch(/closed/);
  });

  it('moves a reallocated case into the new unit’s desks whole, and tells the old desks it moved', async () => {
    let moving = '';
    const make = nat.mutation(p.sifter.id, (m) => {
      moving = m.allegation({ unit_code: 'WMID' });
      m.insert('phone', randomUUID(), { allegation_id: moving, ordinal: 0, number_raw: '07700 900123', e164: '+447700900123', national: '07700900123' }, moving);
    });
    expect((await nat.push(make)).body.results.every((r) => r.status === 'accepted')).toBe(true);
    await wmid1.pullAll();
    await emid.pullAll();

    const nowhere = wmid1.mutation(p.a.id, (m) => m.update('allegation', moving, { unit_code: ['WMID', 'ATLANTIS'] }, moving));
    expect((await wmid1.push(nowhere)).body.results[0]?.reason).toMatch(/unknown unit "ATLANTIS"/);
    const move = wmid1.mutation(p.a.id, (m) => {
      m.update('allegation', moving, { unit_code: ['WMID', 'EMID'], routed_by: ['postcode area B', 'reallocated: lives in Leicester'] }, moving);
      m.insert('unit_history', randomUUID(), { allegation_id: moving, from_unit: 'WMID', to_unit: 'EMID', reason: 'lives in Leicester', at: now(), by_user: 'A' }, moving);
    });
    const moved = await wmid1.push(move);
    expect(moved.body.results.map((r) => [r.status, r.reason])).toEqual([['accepted', null], ['accepted', null]]);

    const e = await emid.pullAll();
    const whole = e.snapshots.filter((s) => s.data.allegation_id === moving || s.id === moving).map((s) => s.entity).sort();
    expect(whole).toEqual(['allegation', 'phone', 'unit_history']);
    expect(e.snapshots.find((s) => s.id === moving)?.clocks.unit_code).toBeDefined();
    const w2 = await wmid2.pullAll();
    expect(w2.moved).toEqual([{ allegationId: moving, unit: 'EMID', serverSeq: expect.any(Number) }]);
    // After the move, West Midlands no longer works it.
    const stale = wmid2.mutation(p.b.id, (m) => m.update('allegation', moving, { free_text: ['He works at the car wash every day with no papers.', 'B was too late.'] }, moving));
    expect((await wmid2.push(stale)).body.results[0]?.reason).toMatch(/does not work this allegation/);
  });

  it('allocates only as the role allows, and brings an allocated case to the allocated person’s desk', async () => {
    let job = '';
    const make = nat.mutation(p.sifter.id, (m) => {
      job = m.allegation({ unit_code: 'WMID' });
    });
    await nat.push(make);
    const allocation = (user: string, to: string) => wmid2.mutation(user, (m) => m.insert('allocation', randomUUID(), { allegation_id: job, user_id: to, allocated_at: now(), allocated_by: 'someone', ended_at: null }, job));
    const byAnalyst = await wmid2.push(allocation(p.b.id, p.e.id));
    expect(byAnalyst.body.results[0]?.reason).toMatch(/may not allocate work to someone else/);
    const ghost = await wmid2.push(allocation(p.d.id, randomUUID()));
    expect(ghost.body.results[0]?.reason).toMatch(/has no active account/);
    await emid.pullAll();
    expect((await wmid2.push(allocation(p.d.id, p.e.id))).body.results[0]?.status).toBe('accepted');
    const e = await emid.pullAll();
    expect(e.snapshots.some((s) => s.entity === 'allegation' && s.id === job)).toBe(true);
    // Allocated, the East Midlands analyst now works the West Midlands case.
    const work = emid.mutation(p.e.id, (m) => m.update('allegation', job, { free_text: ['He works at the car wash every day with no papers.', 'E looked into it.'] }, job));
    expect((await emid.push(work)).body.results[0]?.status).toBe('accepted');
  });

  it('brings a case already allocated to someone to the first desk they sign in at', async () => {
    const visitor = await h.addUser('k.visitor', 'analyst', 'KSX');
    let job = '';
    await nat.push(nat.mutation(p.sifter.id, (m) => {
      job = m.allegation({ unit_code: 'WMID' });
    }));
    const allocate = wmid2.mutation(p.d.id, (m) => m.insert('allocation', randomUUID(), { allegation_id: job, user_id: visitor.id, allocated_at: now(), allocated_by: 'duty', ended_at: null }, job));
    expect((await wmid2.push(allocate)).body.results[0]?.status).toBe('accepted');
    // The visitor's own desk, registered later, is filled at its first pull although no change names it.
    const ksx = await h.desk('Kent and Sussex', 'KSX', [visitor]);
    const got = await ksx.pullAll();
    expect(got.snapshots.filter((s) => s.entity === 'allegation').map((s) => s.id)).toEqual([job]);
    expect(got.snapshots.find((s) => s.entity === 'allocation')?.data.user_id).toBe(visitor.id);
    expect((await ksx.pullAll()).snapshots).toEqual([]);
  });

  it('fills a new desk from a snapshot in pages, then pulls from the cursor it gave', async () => {
    const fresh = await h.desk('West Midlands 3', 'WMID', [p.a]);
    const rows: Array<{ entity: string; id: string }> = [];
    let after: string | null | undefined;
    let cursor = -1;
    let pages = 0;
    do {
      const r = await h.request<{ cursor: number; rows: Array<{ entity: string; id: string }>; next: string | null }>('GET', `/v1/sync/snapshot?limit=1${after ? `&after=${after}` : ''}`, { desk: fresh.token });
      expect(r.status).toBe(200);
      if (cursor < 0) cursor = r.body.cursor;
      rows.push(...r.body.rows);
      after = r.body.next;
      pages++;
    } while (after);
    const allegations = rows.filter((r) => r.entity === 'allegation').map((r) => r.id);
    const [{ n }] = (await h.server.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM allegation_scope WHERE unit_code = 'WMID'")) as [{ n: number }];
    expect(allegations.length).toBe(n);
    expect(pages).toBe(n);
    expect(allegations).toContain(letter);
    expect(rows.some((r) => r.entity === 'user')).toBe(true);
    expect(rows.some((r) => r.entity === 'allegation' && !allegations.includes(r.id))).toBe(false);
    fresh.cursor = cursor;
    expect((await fresh.pullAll()).changes.length).toBe(0);
  });

  it('nudges a listening desk when something in its scope is waiting', async () => {
    const controller = new AbortController();
    const res = await fetch(`${h.url}/v1/sync/events`, { headers: { 'x-desk-token': wmid1.token }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return pattern.test(text);
    };
    expect(await until(/event: hello/)).toBe(true);
    const pushedAt = Date.now();
    await nat.push(nat.mutation(p.sifter.id, (m) => m.allegation({ unit_code: 'WMID' })));
    expect(await until(/event: waiting\ndata: \{"type":"waiting","latestSeq":\d+\}/)).toBe(true);
    expect(Date.now() - pushedAt).toBeLessThan(5_000);
    controller.abort();
    const refused = await h.request('GET', '/v1/sync/events', { desk: 'nope' });
    expect(refused.status).toBe(401);
  });
});
