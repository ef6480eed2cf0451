// The rules the server judges a desk's change by (shared/sync/rules.ts), on a small world held in memory.
import { describe, expect, it } from 'vitest';
import { ruleProblem, STATUS_TRANSITIONS, type RulePerson, type RuleWorld } from '../../shared/sync/rules.ts';
import type { MergedRow } from '../../shared/sync/merge.ts';
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';

const people: Record<string, RulePerson> = {};
const person = (id: string, role: Role, unit: string | null, active = true) => (people[id] = { id, username: id, role, unit, active });
person('analyst', 'analyst', 'WMID');
person('other-unit', 'analyst', 'EMID');
person('sifter', 'sifter', 'NAT');
person('duty', 'duty_manager', 'WMID');
person('compliance', 'compliance_officer', 'WMID');
person('manager', 'manager', null);
person('gone', 'analyst', 'WMID', false);

function world(status: string, unit = 'WMID', allocatedTo: string[] = []): RuleWorld {
  const rows: Record<string, MergedRow> = {
    'allegation/A': { data: { status, unit_code: unit, outcome: null }, clocks: {} },
    'outcome_decision/D': { data: { allegation_id: 'A', user_id: 'analyst', outcome: 'actioned' }, clocks: {} },
  };
  return {
    person: (id) => people[id],
    row: (e, id) => rows[`${e}/${id}`],
    place: (id) => (id === 'A' ? { unit, allocatedTo } : undefined),
    before: (id) => (id === 'A' ? { unit, allocatedTo, status } : undefined),
  };
}

let seq = 0;
function change(entity: string, id: string, op: ChangeRow['op'], fields: Record<string, [FieldValue, FieldValue]>, userId: string | null): ChangeRow {
  return { seq: ++seq, hlc: '0001700000000-00000-desk', entity, id, allegationId: 'A', op, fields: Object.fromEntries(Object.entries(fields).map(([k, [f, t]]) => [k, { from: f, to: t }])), userId };
}
const judge = (w: RuleWorld, c: ChangeRow, mutation: ChangeRow[] = [c]) => ruleProblem(w, c, ['A'], mutation);

describe('who may change an allegation', () => {
  const amend = (user: string | null) => change('allegation', 'A', 'update', { free_text: ['a', 'b'] }, user);
  it('lets the unit, national roles and the people allocated work it; nobody else', () => {
    expect(judge(world('triaged'), amend('analyst'))).toBeNull();
    expect(judge(world('triaged'), amend('manager'))).toBeNull();
    expect(judge(world('triaged'), amend('other-unit'))).toMatch(/does not work this allegation: it belongs to West Midlands/);
    expect(judge(world('triaged', 'WMID', ['other-unit']), amend('other-unit'))).toBeNull();
    expect(judge(world('triaged', 'NAT'), amend('sifter'))).toBeNull();
    expect(judge(world('triaged'), amend('gone'))).toMatch(/not active/);
    expect(judge(world('triaged'), amend('nobody'))).toMatch(/not known to the server/);
    expect(judge(world('triaged'), amend(null))).toMatch(/needs the person who made it/);
  });

  it('refuses amendments to a closed case but takes notes', () => {
    expect(judge(world('closed'), amend('analyst'))).toMatch(/closed/);
    expect(judge(world('closed'), change('note', 'N', 'append', { allegation_id: [null, 'A'], text: [null, 'later'] }, 'analyst'))).toBeNull();
  });
});

describe('a letter keyed at NAT and routed to a unit (issue 16: it never reached the West Midlands desk)', () => {
  // A sifter keyed allegation A, which intake routed to West Midlands; B is another unit's case the intake warning showed.
  function routed(createdBy: string | null): RuleWorld {
    const rows: Record<string, MergedRow> = {
      'allegation/A': { data: { status: 'new', unit_code: 'WMID', created_by: createdBy }, clocks: {} },
      'allegation/B': { data: { status: 'triaged', unit_code: 'EMID', created_by: 'Someone (other-unit)' }, clocks: {} },
    };
    const places: Record<string, { unit: string; allocatedTo: string[]; status: string }> = { A: { unit: 'WMID', allocatedTo: [], status: 'new' }, B: { unit: 'EMID', allocatedTo: [], status: 'triaged' } };
    return { person: (id) => people[id], row: (e, id) => rows[`${e}/${id}`], place: (id) => places[id], before: (id) => places[id] };
  }
  const attach = (user: string, extra: Record<string, [FieldValue, FieldValue]> = { updated_at: ['t0', 't1'] }): ChangeRow[] => {
    const hlc = `0001700000000-${String(++seq).padStart(5, '0')}-desk`;
    return [
      { ...change('attachment', `F${seq}`, 'insert', { allegation_id: [null, 'A'], file_name: [null, 'letter.pdf'], content_hash: [null, 'ab'] }, user), hlc },
      { ...change('allegation', 'A', 'update', extra, user), hlc },
    ];
  };
  const judgeAll = (w: RuleWorld, mutation: ChangeRow[]) => mutation.map((c) => ruleProblem(w, c, ['A'], mutation));

  it('lets the sifter who keyed it attach its scan, as the desk does, and nobody else outside the unit', () => {
    expect(judgeAll(routed('Nat Sifter (sifter)'), attach('sifter'))).toEqual([null, null]);
    // The display name corrected since: the username still names them.
    expect(judgeAll(routed('N. Sifter (sifter)'), attach('sifter'))).toEqual([null, null]);
    expect(judgeAll(routed('Someone Else (other-sifter)'), attach('sifter'))[0]).toMatch(/sifter \(NAT sifter\) does not work this allegation: it belongs to West Midlands/);
    expect(judgeAll(routed(null), attach('sifter'))[0]).toMatch(/does not work this allegation/);
    expect(judgeAll(routed('Analyst (other-unit)'), attach('other-unit'))).toEqual([null, null]);
  });

  it('gives the keyer files only: an amendment made with the attachment, or on its own, is refused', () => {
    const amended = attach('sifter', { updated_at: ['t0', 't1'], free_text: ['a', 'b'] });
    expect(judgeAll(routed('Nat Sifter (sifter)'), amended)).toEqual([expect.stringMatching(/does not work this allegation/), expect.stringMatching(/does not work this allegation/)]);
    const alone = change('allegation', 'A', 'update', { updated_at: ['t0', 't1'] }, 'sifter');
    expect(judge(routed('Nat Sifter (sifter)'), alone)).toMatch(/does not work this allegation/);
  });

  it('takes the link the sifter chose at the intake warning in the mutation that creates the letter, not later', () => {
    const hlc = `0001700000000-${String(++seq).padStart(5, '0')}-desk`;
    const created = { ...change('allegation', 'A', 'insert', { status: [null, 'new'], unit_code: [null, 'WMID'] }, 'sifter'), hlc };
    const link = { ...change('link_judgement', 'J', 'append', { allegation_a: [null, 'A'], allegation_b: [null, 'B'], judgement: [null, 'associated'], reason: [null, 'Same street'] }, 'sifter'), hlc, allegationId: null };
    expect(ruleProblem(routed('Nat Sifter (sifter)'), link, ['A', 'B'], [created, link])).toBeNull();
    expect(ruleProblem(routed('Nat Sifter (sifter)'), link, ['A', 'B'], [link])).toMatch(/sifter \(NAT sifter\) does not work this allegation/);
  });
});

describe('state transitions', () => {
  it('follows the allowed paths only', () => {
    expect(STATUS_TRANSITIONS.closed).toEqual([]);
    const skip = change('allegation', 'A', 'update', { status: ['new', 'closed'], closed_at: [null, 't'], closed_by: [null, 'x'] }, 'compliance');
    expect(judge(world('new'), skip)).toMatch(/cannot go from new to closed/);
  });

  it('needs the value the desk saw to be the value the server holds', () => {
    const c = change('allegation', 'A', 'update', { status: ['triaged', 'in_research'] }, 'analyst');
    expect(judge(world('in_research'), c)).toMatch(/status is now "in_research" on the server, not "triaged"/);
  });

  it('lets only duty managers, managers and administrators allocate someone else', () => {
    const alloc = (by: string, to: string) => change('allocation', 'L', 'insert', { allegation_id: [null, 'A'], user_id: [null, to], allocated_at: [null, 't'], allocated_by: [null, by], ended_at: [null, null] }, by);
    expect(judge(world('triaged'), alloc('analyst', 'analyst'))).toBeNull();
    expect(judge(world('triaged'), alloc('analyst', 'duty'))).toMatch(/may not allocate work to someone else/);
    expect(judge(world('triaged'), alloc('duty', 'analyst'))).toBeNull();
    expect(judge(world('triaged'), alloc('duty', 'gone'))).toMatch(/no active account/);
  });

  it('refuses a pushed allocation that puts a sifter or a manager into the source pane, as the desk does (issue 16)', () => {
    const alloc = (by: string, to: string) => change('allocation', 'L', 'insert', { allegation_id: [null, 'A'], user_id: [null, to], allocated_at: [null, 't'], allocated_by: [null, by], ended_at: [null, null] }, by);
    expect(judge(world('triaged', 'NAT'), alloc('sifter', 'sifter'))).toMatch(/sifter cannot allocate a case to themselves: being allocated opens its source pane/);
    expect(judge(world('triaged'), alloc('manager', 'manager'))).toMatch(/manager cannot allocate a case to themselves/);
    expect(judge(world('triaged'), alloc('manager', 'sifter'))).toMatch(/cannot be allocated A: cases are allocated to analysts and duty managers/);
    expect(judge(world('triaged'), alloc('other-unit', 'other-unit'))).toMatch(/does not work/);
    expect(judge(world('triaged'), alloc('manager', 'other-unit'))).toBeNull();
  });

  it('closes a case only with a compliance officer’s approval of someone else’s outcome', () => {
    const signoff = (by: string, decision = 'approved') => change('compliance_signoff', 'S', 'append', { allegation_id: [null, 'A'], decision_id: [null, 'D'], decision: [null, decision], user_id: [null, by] }, by);
    const close = (by: string) => change('allegation', 'A', 'update', { status: ['actioned', 'closed'], closed_at: [null, 't'], closed_by: [null, by] }, by);
    const w = world('actioned');
    const ok = [signoff('compliance'), close('compliance')];
    expect(ok.map((c) => judge(w, c, ok))).toEqual([null, null]);
    const own: RulePerson = { id: 'analyst', username: 'analyst', role: 'compliance_officer', unit: 'WMID', active: true };
    const w2: RuleWorld = { ...w, person: (id) => (id === 'analyst' ? own : people[id]) };
    expect(judge(w2, signoff('analyst'), [signoff('analyst'), close('analyst')])).toMatch(/nobody signs off an outcome they chose/);
    const returned = [signoff('compliance', 'returned'), close('compliance')];
    expect(judge(w, returned[1] as ChangeRow, returned)).toMatch(/a returned sign-off cannot leave the case closed/);
    expect(judge(w, close('compliance'))).toMatch(/with the compliance officer’s sign-off/);
  });

  it('checks the outcome decision itself with the desk’s own rules', () => {
    const decision = change('outcome_decision', 'D2', 'append', { allegation_id: [null, 'A'], outcome: [null, 'actioned'], nfa_reason: [null, null], duplicate_of: [null, null], rationale: [null, 'Strong and specific.'], user_id: [null, 'analyst'] }, 'analyst');
    const status = change('allegation', 'A', 'update', { status: ['triaged', 'actioned'], outcome: [null, 'actioned'] }, 'analyst');
    expect(judge(world('triaged'), decision, [decision, status])).toBe('Actioned needs at least one action (tasked, disseminated or flagged)');
    expect(judge(world('triaged'), decision, [decision])).toMatch(/comes with the status change/);
    const sifterDecision = { ...decision, userId: 'sifter', fields: { ...decision.fields, user_id: { from: null, to: 'sifter' } } };
    expect(judge(world('triaged', 'NAT'), sifterDecision, [sifterDecision])).toMatch(/NAT sifter\) may not record an outcome/);
  });
});

describe('grading, actions and what comes back (issue 20)', () => {
  const grading = { grading_source: [null, '2'], grading_intelligence: [null, 'B'], grading_handling: [null, 'P'], grading_conditions: ['', ''], harm: [null, 'medium'], graded_at: [null, 't'], graded_by: [null, 'analyst'] } as Record<string, [FieldValue, FieldValue]>;
  const grade = (fields: Record<string, [FieldValue, FieldValue]>, by = 'analyst') => change('allegation', 'A', 'update', fields, by);
  const graded = (status = 'triaged'): RuleWorld => {
    const w = world(status);
    const row: MergedRow = { data: { status, unit_code: 'WMID', outcome: null, grading_source: '2', grading_intelligence: 'B', grading_handling: 'P', grading_conditions: '', harm: 'medium' }, clocks: {} };
    return { ...w, row: (e, id) => (e === 'allegation' && id === 'A' ? row : w.row(e, id)) };
  };
  const send = (fields: Record<string, [FieldValue, FieldValue]> = {}, by = 'analyst') =>
    change('dissemination', 'X', 'insert', {
      allegation_id: [null, 'A'],
      action: [null, 'tasked_ice'],
      recipient_type: [null, 'ice_team'],
      recipient: [null, 'ICE team West Midlands'],
      legal_basis: [null, ''],
      agreement_ref: [null, ''],
      report_text: [null, 'Sent to: ICE team…'],
      grading: [null, '{"code":"2/B/P","conditions":"","harm":"medium"}'],
      user_id: [null, by],
      ...fields,
    }, by);

  it('takes a whole grading, dated and named, from someone who grades; refuses a partial one or C without its conditions', () => {
    expect(judge(world('triaged'), grade(grading))).toBeNull();
    expect(judge(world('triaged'), grade({ ...grading, grading_handling: [null, 'C'] }))).toMatch(/not whole: Handling code C needs its conditions/);
    expect(judge(world('triaged'), grade({ grading_source: [null, '2'], graded_at: [null, 't'], graded_by: [null, 'x'] }))).toMatch(/not whole: Assess the intelligence/);
    const { graded_at: _a, graded_by: _b, ...undated } = grading;
    expect(judge(world('triaged'), grade(undated))).toMatch(/records when and by whom/);
    expect(judge(world('triaged', 'NAT'), grade(grading, 'sifter'))).toMatch(/NAT sifter\) may not grade/);
    expect(judge(world('closed'), grade(grading))).toMatch(/closed/);
  });

  it('refuses a report sent ungraded, or without the grading it left with; takes it once graded, even in the same mutation', () => {
    expect(judge(world('triaged'), send())).toMatch(/report cannot leave ungraded/);
    expect(judge(graded(), send())).toBeNull();
    const both = [grade(grading), send()];
    expect(judge(world('triaged'), both[1] as ChangeRow, both)).toBeNull();
    expect(judge(graded(), send({ grading: [null, '{}'] }))).toMatch(/sent without its grading/);
    // A marker sends no report and needs no grading.
    expect(judge(world('triaged'), send({ action: [null, 'flagged_wi'], recipient_type: [null, 'system_marker'], recipient: [null, 'Warnings Index'], report_text: [null, ''], grading: [null, '{}'] }))).toBeNull();
  });

  it('needs another department’s legal basis and agreement, and a recipient the action allows', () => {
    const external = { action: [null, 'disseminated_external'], recipient_type: [null, 'other_department'], recipient: [null, 'West Midlands Police'] } as Record<string, [FieldValue, FieldValue]>;
    expect(judge(graded(), send(external))).toMatch(/legal basis/);
    expect(judge(graded(), send({ ...external, legal_basis: [null, 'Immigration and Asylum Act 1999 s.20'], agreement_ref: [null, 'MoU-WMP-2019'] }))).toBeNull();
    expect(judge(graded(), send({ recipient_type: [null, 'crime_team'] }))).toMatch(/not a recipient of this action/);
    expect(judge(graded(), send({}, 'other-unit'))).toMatch(/does not work this allegation/);
    expect(judge(graded('closed'), send())).toMatch(/closed: record results of its actions, not new ones/);
  });

  it('records a result once, and nothing else of an action changes', () => {
    const sent = (result: string): RuleWorld => {
      const w = graded('closed');
      return { ...w, row: (e, id) => (e === 'dissemination' && id === 'X' ? { data: { allegation_id: 'A', result }, clocks: {} } : w.row(e, id)) };
    };
    const result = change('dissemination', 'X', 'update', { result: ['', 'visited'], result_at: [null, 't'], result_detail: ['', ''], result_by: [null, 'analyst'] }, 'analyst');
    expect(judge(sent(''), result)).toBeNull();
    expect(judge(sent('no_trace'), result)).toMatch(/already been recorded/);
    expect(judge(sent(''), change('dissemination', 'X', 'update', { recipient: ['ICE', 'Someone else'] }, 'analyst'))).toMatch(/kept as it was sent; recipient cannot change/);
    const feedback = (fields: Record<string, [FieldValue, FieldValue]>) => change('operational_feedback', 'F', 'append', { allegation_id: [null, 'A'], user_id: [null, 'analyst'], ...fields }, 'analyst');
    expect(judge(sent(''), feedback({ kind: [null, 'result'], result: [null, 'arrested'], dissemination_id: [null, 'X'] }))).toBeNull();
    expect(judge(sent(''), feedback({ kind: [null, 'result'], result: [null, 'sent flowers'], dissemination_id: [null, 'X'] }))).toMatch(/not one of/);
    expect(judge(sent(''), feedback({ kind: [null, 'debrief'], result: [null, null] }))).toBeNull();
  });

  it('lets a manager draw and record a sample check of a closed case once', () => {
    const draw = change('qa_check', 'Q', 'insert', { allegation_id: [null, 'A'], unit_code: [null, 'WMID'], month: [null, '2026-02'], result: [null, null] }, 'manager');
    expect(judge(world('closed'), draw)).toBeNull();
    expect(judge(world('closed'), { ...draw, userId: 'analyst' })).toMatch(/may not record managers' sample checks/);
    const checked = (result: string | null): RuleWorld => {
      const w = world('closed');
      return { ...w, row: (e, id) => (e === 'qa_check' && id === 'Q' ? { data: { allegation_id: 'A', result }, clocks: {} } : w.row(e, id)) };
    };
    const record = change('qa_check', 'Q', 'update', { checked_at: [null, 't'], checked_by: [null, 'manager'], result: [null, 'issues'], findings: ['[]', '["grading"]'], note: ['', 'Graded A on a 2 source'] }, 'manager');
    expect(judge(checked(null), record)).toBeNull();
    expect(judge(checked('no_issues'), record)).toMatch(/once recorded, is kept as it was/);
    expect(judge(checked(null), change('qa_check', 'Q', 'update', { month: ['2026-02', '2026-01'] }, 'manager'))).toMatch(/month cannot change/);
  });
});
