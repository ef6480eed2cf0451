// From assessment to result through the API (issue 20): grading refused until consistent, audited and in the
// history; a report cannot leave ungraded, and what leaves is sanitised, graded and kept as sent; another
// department needs the legal basis and the agreement; the follow-up date follows the rule; a result needs its
// reason, closes the follow-up and shows on the allegation and in MI; debriefs attach as such; managers' samples
// are drawn once, at random, and each check is recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { addWorkingDays, ukDate } from '../../shared/domain/clock.ts';
import { addUser, signIn, tempDir, openCore } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
type Caller = Awaited<ReturnType<typeof signIn>>;
let analyst: Caller;
let compliance: Caller;
let manager: Caller;
let ldnAnalyst: Caller;

// A Monday morning; the clock moves when the test says.
let clock = Date.parse('2026-03-02T09:00:00Z');
const tick = (ms = 60_000) => (clock += ms);

const PEOPLE = [
  ['Tomasz', 'Nowak', '12 Coventry Road', 'B10 0RX'],
  ['Ioana', 'Marin', '4 Rose Lane', 'B27 6AA'],
  ['Rui', 'Costa', '9 Broad Street', 'B1 2HF'],
  ['Chen', 'Wei', '31 Soho Road', 'B21 9SN'],
  ['Amina', 'Yusuf', '7 Ladypool Road', 'B12 8JY'],
] as const;
let people = 0;

/** A form about someone not yet reported (each call a different person, so no intake warning). */
function form(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  const [forename, surname, line1, postcode] = PEOPLE[people++ % PEOPLE.length] as readonly [string, string, string, string];
  return {
    ...emptyForm(new Date(clock - 3_600_000), 'online_form'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: `${forename} ${surname} works at the car wash on ${line1} every day for cash and has no visa.`,
    subjects: [{ role: 'main', forename, surname }],
    addresses: [{ type: 'work', line1, line2: '', town: 'Birmingham', postcode }],
    ...overrides,
  };
}

async function assessed(f: AllegationFormInput = form()) {
  tick();
  const r = await analyst.call('allegations.create', { form: f });
  await analyst.call('allegations.assess', { id: r.id, riskRating: 'thirty_days' });
  return r;
}

const fact = (id: string) => {
  core.mi.catchUp();
  return core.mi.factOf(id) as NonNullable<ReturnType<Core['mi']['factOf']>>;
};
const day = (d: string) => Number(d.replaceAll('-', ''));
const audit = (id: string, action: string) =>
  (core.store.db.prepare('SELECT details FROM audit_log WHERE allegation_id = ? AND action = ? ORDER BY seq').all(id, action) as Array<{ details: string }>).map((r) => JSON.parse(r.details) as Record<string, unknown>);

beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(tmp.dir, { now: () => clock });
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  await addUser(core, 'wm.compliance', 'compliance_officer', 'WMID');
  await addUser(core, 'wm.manager', 'manager', 'WMID');
  await addUser(core, 'ldn.analyst', 'analyst', 'LACAT');
  await signInAll();
});

/** Sessions end after a while on the injected clock: after moving it on by weeks, everyone signs in again. */
async function signInAll() {
  analyst = await signIn(core, 'wm.analyst');
  compliance = await signIn(core, 'wm.compliance');
  manager = await signIn(core, 'wm.manager');
  ldnAnalyst = await signIn(core, 'ldn.analyst');
}
afterAll(() => {
  core?.close();
  tmp?.cleanup();
});

describe('grading (3x5x2 and harm)', () => {
  it('is refused until complete and consistent, audited, and kept in the history with what it replaced', async () => {
    const a = await assessed();
    await expect(analyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'C', handling: 'C', harm: 'low' })).rejects.toMatchObject({ fields: { conditions: expect.stringContaining('conditions') } });
    await expect(analyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'C', handling: 'P', conditions: 'Police only', harm: 'low' })).rejects.toMatchObject({ fields: { conditions: expect.any(String) } });
    await expect(ldnAnalyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'C', handling: 'P', harm: 'low' })).rejects.toMatchObject({ code: 'forbidden' });
    const graded = await analyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'C', handling: 'P', harm: 'low' });
    expect(graded.grading).toMatchObject({ source: '2', intelligence: 'C', handling: 'P', conditions: '', harm: 'low', gradedBy: expect.stringContaining('wm.analyst') });
    tick();
    const regraded = await analyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'B', handling: 'C', conditions: 'Not to be shared outside law enforcement', harm: 'medium' });
    expect(regraded.grading).toMatchObject({ intelligence: 'B', handling: 'C', conditions: 'Not to be shared outside law enforcement' });
    expect(audit(a.id, 'allegation.regrade')).toEqual([expect.objectContaining({ grading: '2/B/C', was: '2/C/P', wasHarm: 'low', harm: 'medium' })]);
    const history = await analyst.call('allegations.history', { allegationId: a.id });
    expect(history.map((h) => h.label)).toEqual(expect.arrayContaining(['Created', 'Initial assessment', 'Graded', 'Regraded']));
    expect(history.find((h) => h.label === 'Regraded')?.summary).toBe('2/C/P (low harm) → 2/B/C (medium harm); conditions: Not to be shared outside law enforcement');
    // The change log carries the grading before and after.
    const change = core.store.db.prepare("SELECT data FROM changes WHERE entity = 'allegation' AND entity_id = ? AND data LIKE '%grading_intelligence%' ORDER BY seq DESC LIMIT 1").get(a.id) as { data: string };
    expect(JSON.parse(change.data)).toMatchObject({ grading_intelligence: { from: 'C', to: 'B' }, grading_handling: { from: 'P', to: 'C' }, harm: { from: 'low', to: 'medium' } });
    // The report shows it.
    const report = await analyst.call('allegations.report', { id: a.id });
    expect(report.grading).toBe('2/B/C');
    expect(report.sections.find((s) => s.heading === 'Grading and handling')?.lines.join(' ')).toContain('only on these conditions: Not to be shared outside law enforcement');
    expect(fact(a.id).graded).toBe(1);
  });
});

describe('actions tracked to their result', () => {
  it('a report cannot leave ungraded; what leaves is sanitised, graded and kept as sent, with a follow-up date by rule', async () => {
    const a = await assessed(form({ source: { name: 'Marek Zielinski', phone: '07700 900123', email: '', address: '', relationship: 'neighbour', organisation: '' } }));
    const ice = { allegationId: a.id, action: 'tasked_ice' as const, recipientType: 'ice_team' as const, recipient: 'ICE Birmingham' };
    await expect(analyst.call('actions.record', ice)).rejects.toMatchObject({ code: 'conflict', fields: { grading: expect.stringContaining('cannot leave ungraded') } });
    // A marker on a system sends no report: it needs no grading.
    const marker = await analyst.call('actions.record', { allegationId: a.id, action: 'flagged_cid', recipientType: 'system_marker', recipient: 'CID' });
    expect(marker).toMatchObject({ reportText: '', grading: null, followUpDue: addWorkingDays(ukDate(new Date(clock)), 2, 'england-wales') });
    await analyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'C', handling: 'P', harm: 'medium' });
    await expect(analyst.call('actions.record', { ...ice, recipientType: 'crime_team' })).rejects.toMatchObject({ fields: { recipientType: expect.any(String) } });
    const sent = await analyst.call('actions.record', ice);
    expect(sent).toMatchObject({ recipient: 'ICE Birmingham', grading: { code: '2/C/P' }, sentBy: expect.stringContaining('wm.analyst'), result: null, overdue: false });
    expect(sent.followUpDue).toBe(addWorkingDays(ukDate(new Date(clock)), 20, 'england-wales'));
    expect(sent.followUpRule).toContain('20 working days');
    expect(sent.reportText).toContain('Sent to: ICE Birmingham');
    expect(sent.reportText).toContain('Grading (3x5x2): 2/C/P');
    expect(sent.reportText).not.toMatch(/Zielinski|07700/);
    expect(sent.reportHash).toMatch(/^[0-9a-f]{64}$/);
    // Another department: the legal basis and the agreement, or it does not go.
    const external = { allegationId: a.id, action: 'disseminated_external' as const, recipientType: 'other_department' as const, recipient: 'West Midlands Police' };
    await expect(analyst.call('actions.record', external)).rejects.toMatchObject({ fields: { legalBasis: expect.any(String), agreementRef: expect.any(String) } });
    const police = await analyst.call('actions.record', { ...external, legalBasis: 'Immigration and Asylum Act 1999 s.20', agreementRef: 'MoU HO-WMP-2019-04' });
    expect(police.reportText).toContain('Legal basis: Immigration and Asylum Act 1999 s.20');
    expect(police).toMatchObject({ legalBasis: 'Immigration and Asylum Act 1999 s.20', agreementRef: 'MoU HO-WMP-2019-04' });
    expect(fact(a.id)).toMatchObject({ actions: 0b0011001, awaitingResults: 3, graded: 1 });
  });

  it('the outcome is actioned only with a recorded action; results need their reason, close the follow-up and show in MI', async () => {
    const a = await assessed();
    await analyst.call('links.review', { allegationId: a.id });
    await analyst.call('checks.add', { allegationId: a.id, system: 'cid_atlas', finding: 'no_trace', result: 'No trace' });
    await expect(analyst.call('allegations.outcome', { id: a.id, outcome: 'actioned', rationale: 'Live illegal working at a named address' })).rejects.toMatchObject({ fields: { actions: expect.stringContaining('Actions panel') } });
    await analyst.call('allegations.grade', { id: a.id, source: '2', intelligence: 'C', handling: 'P', harm: 'low' });
    const sent = await analyst.call('actions.record', { allegationId: a.id, action: 'tasked_ice', recipientType: 'ice_team', recipient: 'ICE Birmingham' });
    const done = await analyst.call('allegations.outcome', { id: a.id, outcome: 'actioned', rationale: 'Live illegal working at a named address' });
    expect(done).toMatchObject({ status: 'actioned', outcome: 'actioned' });
    expect((await analyst.call('allegations.workflow', { allegationId: a.id })).current?.actions).toEqual([{ action: 'tasked_ice', detail: '' }]);

    // Not overdue yet; after the follow-up date it is in the unit's overdue queue (and not in London's).
    expect((await analyst.call('followups.list', { view: 'overdue' })).rows.map((r) => r.actionId)).not.toContain(sent.id);
    tick(35 * 86_400_000);
    await signInAll();
    const overdue = await analyst.call('followups.list', { view: 'overdue' });
    expect(overdue.rows.find((r) => r.actionId === sent.id)).toMatchObject({ reference: a.reference, recipient: 'ICE Birmingham', daysOverdue: expect.any(Number) });
    expect(overdue.rows.find((r) => r.actionId === sent.id)?.daysOverdue).toBeGreaterThan(0);
    await expect(ldnAnalyst.call('followups.list', { view: 'overdue', unit: 'WMID' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(fact(a.id).followUpDue).toBe(day(sent.followUpDue as string));

    await expect(analyst.call('actions.result', { actionId: sent.id, result: 'no_trace' })).rejects.toMatchObject({ fields: { detail: 'say why' } });
    await expect(analyst.call('actions.result', { actionId: sent.id, result: 'marker_placed' })).rejects.toMatchObject({ fields: { result: expect.any(String) } });
    const result = await analyst.call('actions.result', { actionId: sent.id, result: 'arrested', detail: 'Visit 12 March: subject arrested, two others working illegally' });
    expect(result).toMatchObject({ result: 'arrested', resultBy: expect.stringContaining('wm.analyst'), overdue: false });
    expect((await analyst.call('followups.list', { view: 'overdue' })).rows.map((r) => r.actionId)).not.toContain(sent.id);
    const onRecord = await analyst.call('actions.list', { allegationId: a.id });
    expect(onRecord.feedback).toEqual([expect.objectContaining({ kind: 'result', result: 'arrested', actionId: sent.id })]);
    expect(fact(a.id)).toMatchObject({ awaitingResults: 0, followUpDue: null, results: 0b10 });
    const mi = await manager.call('mi.report', { level: 'unit', unit: 'WMID' });
    expect(mi.groups['outcomes.result']?.arrested).toBe(1);
    expect(mi.groups['outcomes.action']?.tasked_ice).toBeGreaterThanOrEqual(1);

    // A visit debrief attaches as feedback; a bare "no offenders encountered" is refused.
    const debrief = { operationDate: ukDate(new Date(clock - 20 * 86_400_000)), officerInCharge: 'IO Patel', premises: 'Sparkle Hand Car Wash, 12 Coventry Road', encountered: '4 males: 1 arrested (overstayer), 3 cleared', arrests: 1, observations: 'Entry by informed consent. Manager produced right to work checks for two staff only.' };
    await expect(analyst.call('feedback.debrief', { allegationId: a.id, actionId: sent.id, debrief: { ...debrief, observations: 'No offenders' } })).rejects.toMatchObject({ code: 'bad_request' });
    const fb = await analyst.call('feedback.debrief', { allegationId: a.id, actionId: sent.id, debrief });
    expect(fb).toMatchObject({ kind: 'debrief', debrief: { officerInCharge: 'IO Patel', arrests: 1 } });
    expect((await analyst.call('allegations.history', { allegationId: a.id })).map((h) => h.label)).toEqual(expect.arrayContaining(['Action recorded', 'Outcome chosen', 'Result recorded', 'Debrief attached']));
  });
});

describe("managers' sample checks", () => {
  it('draws a random tenth (at least five) of the cases a unit closed in the month, once, and records each check once', async () => {
    const month = ukDate(new Date(clock)).slice(0, 7);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const a = await assessed(form({ subjects: [], addresses: [{ type: 'offence_location', line1: '', line2: '', town: '', postcode: 'B6' }], freeText: `Report ${i}: someone at the market works without papers.` }));
      await analyst.call('links.review', { allegationId: a.id });
      await analyst.call('allegations.outcome', { id: a.id, outcome: 'nfa_non_actionable', nfaReason: 'insufficient_information', rationale: 'No name, address or business to research' });
      await compliance.call('allegations.signOff', { id: a.id, decision: 'approve', evidence: ['checks_reviewed', 'cross_check_reviewed', 'outcome_category_correct', 'actions_evidenced', 'source_protected'] });
      ids.push(a.id);
    }
    const before = await manager.call('qa.sample', { unit: 'WMID', month });
    expect(before).toMatchObject({ closed: 7, size: 5, drawn: [] });
    await expect(analyst.call('qa.draw', { unit: 'WMID', month })).rejects.toMatchObject({ code: 'forbidden' });
    const sample = await manager.call('qa.draw', { unit: 'WMID', month });
    expect(sample.drawn).toHaveLength(5);
    expect(sample.drawn.every((d) => ids.includes(d.allegationId))).toBe(true);
    await expect(manager.call('qa.draw', { unit: 'WMID', month })).rejects.toMatchObject({ code: 'conflict' });
    expect(audit(sample.drawn[0]!.allegationId, 'qa.check')).toEqual([]);
    const [first, second] = sample.drawn as [(typeof sample.drawn)[number], (typeof sample.drawn)[number]];
    await expect(manager.call('qa.check', { checkId: first.id, result: 'issues' })).rejects.toMatchObject({ fields: { findings: expect.any(String) } });
    const checked = await manager.call('qa.check', { checkId: first.id, result: 'issues', findings: ['checks_missing'], note: 'No PNC check although a partial address was known' });
    expect(checked).toMatchObject({ result: 'issues', findings: ['checks_missing'], checkedBy: expect.stringContaining('wm.manager') });
    await expect(manager.call('qa.check', { checkId: first.id, result: 'no_issues' })).rejects.toMatchObject({ code: 'conflict' });
    await manager.call('qa.check', { checkId: second.id, result: 'no_issues' });
    const mi = await manager.call('mi.report', { level: 'unit', unit: 'WMID' });
    expect(mi.groups['assurance.sample']).toEqual({ sampled: 5, checked: 2, with_issues: 1 });
    expect(mi.groups['assurance.closure']).toMatchObject({ closed: 7, signed_off: 7, without_signoff: 0 });
  });
});
