// Management information over the national record (issue 20): desks of two units key and work allegations and sync
// them; the server's figures are those the shared MI code computes over the union of the desks' own facts, a unit's
// figures on its desk equal the server's for that unit, the facts catch up with later changes, the records behind
// a figure are the allegations the figure counts, and the desk's access rules hold on the server too.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { readMiSource } from '../../electron/mi/facts-index.ts';
import { computeMi, inFigure, miNow } from '../../shared/mi/compute.ts';
import { miFact, type MiFact } from '../../shared/mi/facts.ts';
import type { MiNationalRecords, MiReportView } from '../../shared/api/mi.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { signIn, tempDir } from '../helpers.ts';
import { closeAsActioned, joinDesk, readyForOutcome, syncOk } from '../sync/fixtures.ts';
import { eachDatabase } from './harness.ts';

const DAY = 86_400_000;
type Caller = Awaited<ReturnType<typeof signIn>>;

const PEOPLE = [
  ['Akrem', 'Haddad', '140 Soho Road', 'Birmingham', 'B21 9LP'],
  ['Maria', 'Kowalska', '12 Stratford Road', 'Birmingham', 'B11 1AA'],
  ['Tomasz', 'Nowak', '7 Dudley Road', 'Wolverhampton', 'WV2 3AB'],
  ['Li', 'Wei', '88 Broad Street', 'Coventry', 'CV1 2HF'],
  ['Oleg', 'Petrov', '5 Hagley Road', 'Birmingham', 'B16 8TP'],
  ['Ana', 'Silva', '3 Holloway Road', 'London', 'N7 8JG'],
  ['Kwame', 'Mensah', '41 Seven Sisters Road', 'London', 'N4 3NX'],
  ['Ivan', 'Horvat', '9 Green Lanes', 'London', 'N16 9BS'],
  ['Sara', 'Ahmed', '22 Camden High Street', 'London', 'NW1 0JH'],
] as const;
let keyed = 0;

/** A letter about someone new each time (the desk would otherwise rightly ask whether it is a duplicate). */
function form(daysAgo: number, overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  const [forename, surname, line1, town, postcode] = PEOPLE[keyed++ % PEOPLE.length] as (typeof PEOPLE)[number];
  return {
    ...emptyForm(new Date(Date.now() - daysAgo * DAY), 'letter'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: 'The car wash employs men with no papers and pays them cash in hand every Friday.',
    subjects: [{ role: 'main', forename, surname, dob: `19${70 + keyed}-02-11`, gender: 'M', nationality: 'Tunisian' }],
    addresses: [{ type: 'offence_location', line1, line2: '', town, postcode }],
    scanMissingReason: 'Letter scanned at the post room',
    ...overrides,
  };
}

/** The figures of a report without what depends on the moment of answering. */
const figures = (r: Pick<MiReportView, 'total' | 'groups' | 'breakdown'>) => ({ total: r.total, groups: r.groups, breakdown: r.breakdown });

/** Every allegation a desk holds, as the desk's own reader and the shared fact function see it. */
function deskFacts(core: Core): MiFact[] {
  const ids = core.store.db.prepare('SELECT id FROM allegations ORDER BY id').pluck().all() as string[];
  return ids.map((id) => miFact(readMiSource(core.store.db, id) as NonNullable<ReturnType<typeof readMiSource>>));
}

eachDatabase('national management information', (h) => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  let wm: Core;
  let ln: Core;
  let wmAnalyst: Caller;
  let lnAnalyst: Caller;
  let wmCompliance: Caller;
  let manager: string;
  const server = { get url() { return h.url; }, approve: async (id: string) => {
    const r = await h.request('POST', `/v1/admin/desks/${id}/decision`, { token: h.adminToken, body: { decision: 'approve' } });
    if (r.status !== 200) throw new Error(`approving ${id} failed: ${JSON.stringify(r.body)}`);
  } };

  const report = (token: string, body: unknown) => h.request<MiReportView & { code?: string; message?: string }>('POST', '/v1/mi/report', { token, body });
  const records = (token: string, body: unknown) => h.request<MiNationalRecords & { code?: string; message?: string }>('POST', '/v1/mi/records', { token, body });
  const wholeYear = { from: new Date(Date.now() - 400 * DAY).toISOString().slice(0, 10), to: new Date(Date.now() + DAY).toISOString().slice(0, 10) };

  beforeAll(async () => {
    await h.addUser('wm.analyst', 'analyst', 'WMID');
    await h.addUser('wm.compliance', 'compliance_officer', 'WMID');
    await h.addUser('ln.analyst', 'analyst', 'LACAT');
    await h.addUser('ln.compliance', 'compliance_officer', 'LACAT');
    await h.addUser('national.manager', 'manager', null);
    const open = async (name: string, unit: string, user: string) => {
      const d = tempDir('ims-mi-desk-');
      dirs.push(d);
      return joinDesk(server, d.dir, name, unit, user);
    };
    wm = await open('West Midlands desk', 'WMID', 'wm.analyst');
    ln = await open('London desk', 'LACAT', 'ln.analyst');
    wmAnalyst = await signIn(wm, 'wm.analyst');
    lnAnalyst = await signIn(ln, 'ln.analyst');
    wmCompliance = await signIn(wm, 'wm.compliance');
    const lnCompliance = await signIn(ln, 'ln.compliance');
    manager = await h.signIn('national.manager');

    // West Midlands: received 1 to 20 days ago, some assessed (timeliness buckets), one graded, tasked and closed.
    const wmIds: string[] = [];
    for (const [i, daysAgo] of [1, 4, 7, 12, 20].entries()) {
      const { id } = await wmAnalyst.call('allegations.create', { form: form(daysAgo, i === 3 ? { channel: 'online_form', reporterType: 'other_agency', scanMissingReason: '' } : {}) });
      wmIds.push(id);
    }
    await wmAnalyst.call('allegations.assess', { id: wmIds[1] as string, riskRating: 'forty_eight_hours' });
    await wmAnalyst.call('allegations.assess', { id: wmIds[3] as string, riskRating: 'thirty_days' });
    await readyForOutcome(wmAnalyst, wmIds[4] as string);
    await closeAsActioned(wmAnalyst, wmCompliance, wmIds[4] as string);
    // North London: three letters, one with no account or subject (an incomplete form), one assessed.
    const lnIds: string[] = [];
    for (const [i, daysAgo] of [2, 9, 30].entries()) {
      const { id } = await lnAnalyst.call('allegations.create', { form: form(daysAgo, i === 0 ? { subjects: [], freeText: 'Cash' } : {}) });
      lnIds.push(id);
    }
    await lnAnalyst.call('allegations.assess', { id: lnIds[2] as string, riskRating: 'thirty_days' });
    await readyForOutcome(lnAnalyst, lnIds[1] as string);
    await closeAsActioned(lnAnalyst, lnCompliance, lnIds[1] as string);
    await syncOk(wm);
    await syncOk(ln);
  }, 600_000);

  afterAll(() => {
    wm?.close();
    ln?.close();
    for (const d of dirs) d.cleanup();
  });

  it('computes every national figure as the shared code does over the union of the desks’ own facts', async () => {
    const r = await report(manager, { level: 'national', by: 'unit', ...wholeYear });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.scope).toMatchObject({ level: 'national', label: 'National' });
    expect(r.body.total).toBe(8);
    expect(r.body.caughtUp).toBe(8);
    const union = [...deskFacts(wm), ...deskFacts(ln)];
    expect(figures(r.body)).toEqual(figures(computeMi(union, miNow(new Date(r.body.asOf)), 'unit')));
    // Figures that the work above makes certain, so that equality is not of two empty reports.
    expect(r.body.groups['outcomes.category']?.actioned).toBe(2);
    expect(r.body.groups['assurance.closure']?.signed_off).toBe(2);
    expect(r.body.groups['dataQuality.form']?.incomplete).toBeGreaterThanOrEqual(1);
    expect(r.body.breakdown.map((b) => [b.key, b.total])).toEqual([
      ['LACAT', 3],
      ['WMID', 5],
    ]);
    // A second request has nothing to catch up.
    const again = await report(manager, { level: 'national', by: 'region', ...wholeYear });
    expect(again.body.caughtUp).toBe(0);
    expect(figures(again.body)).toEqual(figures(computeMi(union, miNow(new Date(again.body.asOf)), 'region')));
  });

  it('holds, for every allegation, the fact the desk holding it computes', async () => {
    const stored = await h.server.ctx.db.query<{ allegation_id: string; fact: MiFact }>('SELECT allegation_id, fact FROM mi_facts ORDER BY allegation_id');
    const union = [...deskFacts(wm), ...deskFacts(ln)].sort((a, b) => a.allegationId.localeCompare(b.allegationId));
    expect(stored.map((s) => s.fact)).toEqual(union);
  });

  it('gives a unit’s compliance officer the same figures for their unit as their desk does', async () => {
    const onDesk = await wmCompliance.call('mi.report', { level: 'unit', unit: 'WMID', by: 'month', ...wholeYear });
    const token = await h.signIn('wm.compliance');
    const onServer = await report(token, { level: 'unit', unit: 'WMID', by: 'month', ...wholeYear });
    expect(onServer.status, JSON.stringify(onServer.body)).toBe(200);
    expect(onServer.body.scope).toEqual(onDesk.scope);
    expect(figures(onServer.body)).toEqual(figures(onDesk));
    expect(onServer.body.total).toBe(5);
    // Their default is their own unit, as on the desk.
    const byDefault = await report(token, {});
    expect(byDefault.body.scope).toMatchObject({ level: 'unit', unit: 'WMID' });
  });

  it('answers a desk that asks for national figures for the person signed in there, with the server’s rules', async () => {
    const viaDesk = await wmCompliance.call('mi.national', { level: 'unit', unit: 'WMID', by: 'unit', ...wholeYear });
    expect(viaDesk.available).toBe(true);
    const token = await h.signIn('wm.compliance');
    const direct = await report(token, { level: 'unit', unit: 'WMID', by: 'unit', ...wholeYear });
    if (!viaDesk.available) throw new Error(viaDesk.reason);
    expect(viaDesk.server).toBe(h.url);
    expect(figures(viaDesk.report)).toEqual(figures(direct.body));
    // The server refuses a unit's compliance officer the national figures, as their desk does.
    const refused = await wmCompliance.raw('mi.national', { level: 'national' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'forbidden' });
    const behind = await wmCompliance.call('mi.nationalRecords', { scope: { level: 'unit', unit: 'WMID', ...wholeYear }, target: { group: 'outcomes.category', key: 'actioned' } });
    expect(behind.records.map((r) => r.unit)).toEqual(['WMID']);
  });

  it('catches up with changes synced after, working out only the allegations they touched', async () => {
    const { id } = await lnAnalyst.call('allegations.create', { form: form(3) });
    const held = ln.store.db.prepare("SELECT id FROM allegations WHERE assessed_at IS NULL AND id <> ? ORDER BY received_at LIMIT 1").pluck().get(id) as string;
    await lnAnalyst.call('allegations.assess', { id: held, riskRating: 'forty_eight_hours' });
    await syncOk(ln);
    // Two requests at once: one brings the two facts up to date, the other waits for it and finds nothing to do.
    const [a, b] = await Promise.all([report(manager, { level: 'region', region: 'london', ...wholeYear }), report(manager, { level: 'region', region: 'london', ...wholeYear })]);
    expect([a.body.caughtUp, b.body.caughtUp].sort()).toEqual([0, 2]);
    expect(a.body.total).toBe(4);
    const london = deskFacts(ln);
    expect(figures(a.body)).toEqual(figures(computeMi(london, miNow(new Date(a.body.asOf)), 'unit')));
  });

  it('opens the allegations behind a national figure, with their references', async () => {
    const target = { group: 'outcomes.category', key: 'actioned' };
    const r = await records(manager, { scope: { level: 'national', ...wholeYear }, target });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.total).toBe(2);
    expect(r.body.title).toMatch(/^Outcomes/);
    const now = miNow(new Date());
    const expected = [...deskFacts(wm), ...deskFacts(ln)].filter((f) => inFigure(f, target, now));
    expect(r.body.records.map((x) => x.allegationId).sort()).toEqual(expected.map((f) => f.allegationId).sort());
    for (const rec of r.body.records) {
      const core = rec.unit === 'WMID' ? wm : ln;
      const ref = core.store.db.prepare('SELECT reference FROM allegations WHERE id = ?').pluck().get(rec.allegationId);
      expect(rec.reference).toBe(ref);
      expect(rec.reference).toMatch(/^IMS-\d{4}-\d{6}$/);
    }
    // One breakdown row's records only.
    const row = await records(manager, { scope: { level: 'national', ...wholeYear }, target: { ...target, row: { by: 'unit', key: 'LACAT' } } });
    expect(row.body.total).toBe(1);
    expect(row.body.records[0]?.unit).toBe('LACAT');
    const unknown = await records(manager, { scope: { level: 'national' }, target: { group: 'outcomes.category', key: 'nonsense' } });
    expect(unknown.status).toBe(400);
  });

  it('refuses what the desk refuses: other units’ figures to a unit’s staff, MI to analysts, and anyone not signed in', async () => {
    const compliance = await h.signIn('wm.compliance');
    const region = await report(compliance, { level: 'region', region: 'central' });
    expect(region.status).toBe(403);
    expect(region.body.message).toMatch(/own unit/);
    expect((await report(compliance, { level: 'unit', unit: 'LACAT' })).status).toBe(403);
    expect((await report(compliance, { level: 'national' })).status).toBe(403);
    expect((await records(compliance, { scope: { level: 'unit', unit: 'LACAT' }, target: { group: 'total', key: 'all' } })).status).toBe(403);
    const analyst = await h.signIn('wm.analyst');
    const refused = await report(analyst, { level: 'unit', unit: 'WMID' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await h.request('POST', '/v1/mi/report', { body: {} })).status).toBe(401);
    const bad = await report(manager, { region: 'london', unit: 'WMID' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/region or a unit/);
  });

  it('audits each report and each opening of the records behind a figure', async () => {
    const rows = await h.server.ctx.db.query<{ action: string; user_id: string; details: Record<string, unknown> }>("SELECT action, user_id, details FROM server_audit WHERE action LIKE 'mi.%' ORDER BY seq");
    const mine = rows.filter((r) => r.action === 'mi.records');
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.some((r) => r.details.scope === 'National' && r.details.figure === 'outcomes.category:actioned' && r.details.total === 2)).toBe(true);
    // Asked through a desk: the entry names the desk as well as the person.
    const throughDesk = await h.server.ctx.db.query<{ desk_id: string | null }>("SELECT desk_id FROM server_audit WHERE action = 'mi.records' AND details->>'scope' = 'West Midlands RIU (Solihull)'");
    expect(throughDesk.map((r) => r.desk_id)).toEqual([wm.sync.config?.deskId]);
    expect(rows.some((r) => r.action === 'mi.report' && r.details.scope === 'West Midlands RIU (Solihull)')).toBe(true);
    const verify = await h.request<{ verified: boolean }>('GET', '/v1/admin/audit?after=0&limit=10', { token: h.adminToken });
    expect(verify.body.verified).toBe(true);
  });
});
