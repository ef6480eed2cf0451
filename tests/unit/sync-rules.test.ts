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
