// Desks syncing with a real central server over HTTP (PGlite in memory, on loopback): a letter keyed at NAT
// reaches the West Midlands desks numbered nationally (its provisional reference kept as an alias), amendments of
// different fields made offline on two desks both survive, an outcome on a case closed elsewhere comes back to its
// author as a conflict, and a desk refuses plain HTTP to another machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { dispatch } from '../../electron/api/dispatch.ts';
import { signIn } from '../helpers.ts';
import { birminghamLetter, closeAsActioned, natAndWestMidlands, readyForOutcome, recordLateOutcome, syncOk, type TestServer } from '../sync/fixtures.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;

describe('desks syncing with a central server', () => {
  let desks: Awaited<ReturnType<typeof natAndWestMidlands>>;
  let s: TestServer;
  let nat: Core;
  let wm1: Core;
  let wm2: Core;
  let sifter: Caller;
  let analyst: Caller;
  let analyst2: Caller;
  let letterId: string;

  beforeAll(async () => {
    desks = await natAndWestMidlands({ users: [['wm.compliance', 'compliance_officer', 'WMID']] });
    ({ s, nat, wm1, wm2, sifter, analyst, analyst2 } = desks);
  }, 600_000);
  afterAll(async () => {
    await desks?.close();
  });

  it('brings a Birmingham letter keyed at NAT into the West Midlands analyst’s queue, numbered nationally', async () => {
    const created = await sifter.call('allegations.create', { form: birminghamLetter() });
    letterId = created.id;
    const provisional = (await sifter.call('allegations.get', { id: letterId })).reference;
    expect((await sifter.call('sync.status', {})).waiting).toBeGreaterThan(0);
    await syncOk(nat);
    const status = await sifter.call('sync.status', {});
    expect(status).toMatchObject({ waiting: 0, connection: 'online', registration: 'approved', conflicts: 0 });
    expect(status.lastSyncAt).not.toBeNull();
    const national = (await sifter.call('allegations.get', { id: letterId })).reference;
    expect(national).toMatch(/^IMS-\d{4}-\d{6}$/);
    expect(national).not.toBe(provisional);
    // The provisional reference still finds the allegation.
    const alias = nat.store.db.prepare('SELECT allegation_id FROM reference_aliases WHERE alias = ?').get(provisional) as { allegation_id: string } | undefined;
    expect(alias?.allegation_id).toBe(letterId);
    expect((await sifter.call('allegations.get', { reference: provisional })).id).toBe(letterId);

    await syncOk(wm1);
    const queue = await analyst.call('queue.list', {});
    const row = JSON.stringify(queue);
    expect(row).toContain(letterId);
    expect((await analyst.call('allegations.get', { id: letterId })).reference).toBe(national);
  });

  it('keeps both amendments when two desks change different fields offline', async () => {
    await syncOk(wm2);
    const f1 = (await analyst.call('allegations.form', { id: letterId })).form;
    const f2 = (await analyst2.call('allegations.form', { id: letterId })).form;
    await analyst.call('allegations.update', { id: letterId, form: { ...f1, vehicles: [{ vrm: 'BW16 VTO', description: 'white Transit' }] } });
    await analyst2.call('allegations.update', { id: letterId, form: { ...f2, freeText: `${f2.freeText} Open every day from 8am.` } });
    await syncOk(wm1);
    await syncOk(wm2);
    await syncOk(wm1);
    for (const who of [analyst, analyst2]) {
      const form = (await who.call('allegations.form', { id: letterId })).form;
      expect(form.vehicles.map((v) => v.vrm)).toEqual(['BW16 VTO']);
      expect(form.freeText).toContain('Open every day from 8am.');
    }
  });

  it('sends an outcome recorded on a case closed elsewhere back to its author as a conflict, which they resolve', async () => {
    await readyForOutcome(analyst, letterId);
    await syncOk(wm1);
    await syncOk(wm2);
    // West Midlands 1 closes the case while West Midlands 2 is offline and records another outcome.
    const compliance = await signIn(wm1, 'wm.compliance');
    await closeAsActioned(analyst, compliance, letterId);
    await syncOk(wm1);
    await recordLateOutcome(analyst2, letterId);
    await syncOk(wm2);

    const status = await analyst2.call('sync.status', {});
    expect(status).toMatchObject({ conflicts: 1, myConflicts: 1, waiting: 0 });
    expect((await analyst.call('sync.status', {})).myConflicts).toBe(0);
    const { conflicts } = await analyst2.call('sync.conflicts', { state: 'open' });
    expect(conflicts).toHaveLength(1);
    const conflict = conflicts[0]!;
    expect(conflict).toMatchObject({ allegationId: letterId, mayResolve: true, resolution: null });
    expect(conflict.reason).toMatch(/the allegation is closed/);
    // The desk shows the national record (closed, actioned); the rejected outcome stays in the conflict.
    const held = await analyst2.call('allegations.get', { id: letterId });
    expect(held.status).toBe('closed');
    // Shown as the form words it: the outcome, and the reason, not their codes.
    const fields = conflict.changes.flatMap((c) => c.fields);
    expect(fields.find((f) => f.field === 'outcome')?.yours).toBe('NFA — non-actionable');
    expect(fields.find((f) => f.field === 'nfa_reason')).toMatchObject({ label: 'NFA reason', yours: 'Insufficient information' });
    expect(conflict.redoProblem).toMatch(/closed/);

    const resolved = await analyst2.call('sync.resolve', { key: conflict.key, resolution: 'discarded', note: 'Closed by West Midlands 1: fine' });
    expect(resolved).toMatchObject({ resolution: 'discarded', note: 'Closed by West Midlands 1: fine' });
    await syncOk(wm2);
    expect((await analyst2.call('sync.status', {})).conflicts).toBe(0);
    expect((await analyst2.call('sync.conflicts', { state: 'open' })).conflicts).toHaveLength(0);
    const onServer = await s.request<{ conflicts: Array<{ resolution: string | null }> }>('GET', '/v1/sync/conflicts?state=all', undefined, undefined);
    expect(onServer.status).toBeGreaterThanOrEqual(400); // a desk's credential is needed
    const told = await s.server.ctx.db.query<{ resolution: string | null }>('SELECT resolution FROM conflicts');
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((c) => c.resolution === 'discarded')).toBe(true);
  });

  it('stops syncing a desk whose clock is hours behind the server’s, saying so, and loses nothing', async () => {
    const core = await desks.openDesk('slow-clock', { now: () => Date.now() - 3 * 3_600_000 });
    await s.addUser('wm.late', 'analyst', 'WMID');
    expect((await dispatch(core, 'sync.configure', { url: s.url, deskName: 'Slow clock', unit: 'WMID' }, null)).ok).toBe(true);
    const late = await signIn(core, 'wm.late');
    await s.approve(core.sync.config?.deskId as string);
    const result = await core.sync.cycle();
    expect(result.failed).not.toBeNull();
    const status = await late.call('sync.status', {});
    expect(status.problem?.kind).toBe('clock');
    expect(status.problem?.message).toMatch(/This computer's clock is 3 h 0 min behind the server's.*correct the computer's date and time/);
    expect(core.store.db.prepare('SELECT count(*) AS n FROM allegations').get()).toEqual({ n: 0 });
  });

  it('refuses plain http to another machine, and an unknown unit, changing nothing', async () => {
    const core = await desks.openDesk('somewhere');
    const r = await dispatch(core, 'sync.configure', { url: 'http://ims.example.gov.uk', deskName: 'Somewhere', unit: 'WMID' }, null);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/Refusing plain http to ims\.example\.gov\.uk/);
    expect(core.sync.config).toBeNull();
    const ok = await dispatch(core, 'sync.configure', { url: 'https://ims.example.gov.uk/', deskName: 'Somewhere', unit: 'WMID' }, null);
    expect(ok.ok).toBe(true);
  });
});
