// The rules a synced change must keep beyond its shape (changes.ts): who may make it, and which state transitions
// are allowed. The server judges every pushed change with them, in its own order, against the national record as
// it stands; a change that breaks one is stored as rejected and comes back to its author as a conflict. The desk
// can run the same rules to say in advance what the server will refuse.
//
// A mutation (one transaction on one desk: its changes share one clock) is judged whole: the rules below look at
// the other changes of the same mutation for the companions a state change needs (an outcome's decision, a
// closure's sign-off), and the server rejects every change of a mutation when one is rejected.
import { entitySpec, type EntitySpec } from './entities.ts';
import type { ChangeRow, FieldValue } from './changes.ts';
import type { MergedRow } from './merge.ts';
import {
  ACTION_ROLES,
  ASSESS_ROLES,
  allocationRefusal,
  CASE_ROLES,
  CHECK_ROLES,
  GRADE_ROLES,
  INBOX_ROLES,
  INTAKE_ROLES,
  LINK_ROLES,
  OUTCOME_ROLES,
  QA_ROLES,
  SOURCE_ROLES,
  canWork,
  keyedBy,
  type AllegationPlace,
  type Person,
} from '../domain/access.ts';
import { CHECK_SYSTEMS, NFA_REASONS, OUTCOME_ACTIONS, OUTCOMES, ROLE_LABELS, STATUSES, type NfaReason, type Outcome, type OutcomeAction, type Role, type Status } from '../domain/vocabularies.ts';
import { choiceProblems } from '../domain/outcome.ts';
import { unitByCode, unitName } from '../domain/units.ts';
import { disseminationProblem, feedbackProblem, GRADING_FIELDS, gradingChangeProblem, qaCheckProblem } from './rules-results.ts';

export interface RulePerson extends Person {
  username: string;
  active: boolean;
}

/** The national record as it stands before the change (earlier changes of the same mutation applied). */
export interface RuleWorld {
  person(id: string): RulePerson | undefined;
  row(entity: string, id: string): MergedRow | undefined;
  place(allegationId: string): AllegationPlace | undefined;
  /**
   * Where the allegation stood when the mutation began. Permission and closure are judged there: a mutation that
   * reallocates a case was made by someone who worked it, and its later changes are part of the same act.
   */
  before(allegationId: string): (AllegationPlace & { status: string | null }) | undefined;
}

/** Where an allegation's status may go next. */
export const STATUS_TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  new: ['triaged'],
  triaged: ['in_research', 'with_ice', 'actioned', 'nfa'],
  in_research: ['with_ice', 'actioned', 'nfa'],
  with_ice: ['in_research', 'actioned', 'nfa'],
  actioned: ['closed', 'in_research'],
  nfa: ['closed', 'in_research'],
  closed: [],
};

/** What may still be added to a closed allegation (CPIA: the record grows; the assessment does not change). */
const AFTER_CLOSURE = new Set(['note', 'source_contact', 'link_judgement', 'link_review', 'attachment', 'attachment_page', 'attachment_sanitised', 'dissemination', 'operational_feedback', 'qa_check']);
const OUTCOME_FIELDS = ['outcome', 'nfa_reason', 'outcome_at', 'outcome_by'];
const CLOSURE_FIELDS = ['closed_at', 'closed_by'];

const ENTITY_ROLES: Readonly<Record<string, readonly Role[]>> = {
  allegation: CASE_ROLES,
  allegation_offence: CASE_ROLES,
  unit_history: CASE_ROLES,
  subject: CASE_ROLES,
  business: CASE_ROLES,
  address: CASE_ROLES,
  phone: CASE_ROLES,
  email: CASE_ROLES,
  vehicle: CASE_ROLES,
  travel: CASE_ROLES,
  note: CASE_ROLES,
  attachment: CASE_ROLES,
  attachment_page: CASE_ROLES,
  attachment_sanitised: CASE_ROLES,
  link_judgement: LINK_ROLES,
  link_review: LINK_ROLES,
  intake_link_warning: INTAKE_ROLES,
  check: CHECK_ROLES,
  outcome_decision: OUTCOME_ROLES,
  outcome_action: OUTCOME_ROLES,
  compliance_signoff: ['compliance_officer'],
  dissemination: ACTION_ROLES,
  operational_feedback: ACTION_ROLES,
  qa_check: QA_ROLES,
  allocation: CASE_ROLES,
  source_details: SOURCE_ROLES,
  restricted_text: SOURCE_ROLES,
  source_contact: SOURCE_ROLES,
};

/** Entities a desk writes on its own, with no person behind the change (OCR results, the post room's scanner). */
const DESK_WORK = new Set(['attachment', 'attachment_page', 'attachment_sanitised', 'scan']);

function text(v: FieldValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function same(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return x === y;
  return x.b64 === y.b64;
}

/** The value a change leaves in a field: its `to` when it names the field, otherwise the row's current value. */
function after(change: ChangeRow, current: MergedRow | undefined, field: string): FieldValue | undefined {
  return field in change.fields ? change.fields[field]?.to : current?.data[field];
}

function describe(p: RulePerson): string {
  return `${p.username} (${ROLE_LABELS[p.role]})`;
}

/**
 * Why this change may not be made, or null. `allegations` are the allegations the row belongs to (from its
 * columns or its parent); `mutation` is every change of the same mutation, this one included.
 */
export function ruleProblem(world: RuleWorld, change: ChangeRow, allegations: readonly string[], mutation: readonly ChangeRow[]): string | null {
  const spec = entitySpec(change.entity);
  const person = change.userId ? world.person(change.userId) : undefined;
  if (change.userId && !person) return `the user ${change.userId} is not known to the server`;
  if (person && !person.active) return `the account of ${person.username} is not active`;

  switch (spec.scope) {
    case 'national':
      if (spec.entity === 'user') return 'accounts are managed on the server (an administrator adds and changes them there), not pushed by a desk';
      if (person?.role !== 'admin') return `only an administrator changes ${spec.entity} rows`;
      return null;
    case 'user': {
      const owner = text(after(change, world.row(spec.entity, change.id), spec.userColumn ?? 'user_id'));
      if (!person || owner !== person.id) return `a ${spec.entity.replace('_', ' ')} belongs to one person: only they change it`;
      return null;
    }
    case 'nsu':
      if (person?.role !== 'nsu') return `only the National Source Unit records ${spec.entity.replace('_', ' ')} rows`;
      return null;
    case 'nat':
      if (person && !INBOX_ROLES.includes(person.role)) return `${describe(person)} does not work the scan inbox`;
      return null;
    case 'allegation':
      return allegationProblem(world, spec, change, person, allegations, mutation);
  }
}

/**
 * A change of a mutation that only attaches files: an attachment added, or the allegation's updated_at touched
 * alongside one (what attaching writes on the desk), and nothing else in the mutation.
 */
function attachingOnly(change: ChangeRow, mutation: readonly ChangeRow[]): boolean {
  const attaching = (c: ChangeRow) => (c.entity === 'attachment' && c.op === 'insert') || (c.entity === 'allegation' && c.op === 'update' && Object.keys(c.fields).every((f) => f === 'updated_at'));
  return attaching(change) && mutation.every(attaching) && mutation.some((c) => c.entity === 'attachment');
}

function allegationProblem(world: RuleWorld, spec: EntitySpec, change: ChangeRow, person: RulePerson | undefined, allegations: readonly string[], mutation: readonly ChangeRow[]): string | null {
  if (allegations.length === 0) return `the ${spec.entity.replace('_', ' ')} names no allegation`;
  const creating = spec.entity === 'allegation' && change.op === 'insert';
  const createdHere = (id: string) => mutation.some((c) => c.entity === 'allegation' && c.op === 'insert' && c.id === id);
  const places: Array<{ id: string; place: AllegationPlace }> = [];
  for (const id of allegations) {
    const place = world.before(id) ?? world.place(id);
    if (!place && !(creating && id === change.id)) return `no allegation ${id} on the server`;
    if (place) places.push({ id, place });
  }
  const inCreation = allegations.every(createdHere);

  if (!person) {
    if (spec.state?.some((f) => f in change.fields) && !creating) return `a change of ${spec.state.filter((f) => f in change.fields).join(', ')} needs the person who made it`;
    if (['allocation', 'outcome_decision', 'outcome_action', 'compliance_signoff', 'check', 'link_judgement'].includes(spec.entity)) return `a ${spec.entity.replace('_', ' ')} needs the person who made it`;
    if (!creating && !inCreation && !DESK_WORK.has(spec.entity) && change.op === 'update') return `an amendment needs the person who made it`;
  } else {
    const roles = creating || (inCreation && spec.entity !== 'allocation') ? INTAKE_ROLES : (ENTITY_ROLES[spec.entity] ?? CASE_ROLES);
    if (!roles.includes(person.role)) return `${describe(person)} may not ${verb(spec.entity)}`;
    // Beyond the allegation's own unit and the people allocated: whoever keys an allegation works it for that act
    // (a link to the candidate the intake warning showed them is made as they save), and the person who keyed it
    // adds its files even once it is routed away (the desk's mayAttach: a NAT sifter attaches the scan of the letter).
    const works = ({ id, place }: { id: string; place: AllegationPlace }) =>
      canWork(person, place) || createdHere(id) || (attachingOnly(change, mutation) && keyedBy(person, world.row('allegation', id)?.data.created_by));
    if (!inCreation && !places.some(works)) {
      const first = places[0]?.place;
      return `${describe(person)} does not work this allegation: it belongs to ${unitName(first?.unit)} and is not allocated to them`;
    }
  }

  if (!inCreation) {
    for (const { id } of places) {
      const status = world.before(id)?.status ?? null;
      if (status === 'closed' && !AFTER_CLOSURE.has(spec.entity)) return `the allegation is closed: ${verb(spec.entity)} is no longer possible (add a note instead)`;
    }
  }

  switch (spec.entity) {
    case 'allegation':
      return creating ? newAllegationProblem(change) : allegationUpdateProblem(world, change, person, mutation);
    case 'allocation':
      return allocationProblem(world, change, person);
    case 'outcome_decision':
      return decisionProblem(world, change, person, mutation);
    case 'compliance_signoff':
      return signoffProblem(world, change, person, mutation);
    case 'check': {
      const system = text(change.fields.system?.to);
      if (system === null || !(CHECK_SYSTEMS as readonly string[]).includes(system)) return `unknown check system ${JSON.stringify(system)}`;
      return null;
    }
    case 'dissemination': {
      const allegationId = allegations[0] as string;
      return disseminationProblem(change, world.row('dissemination', change.id), world.row('allegation', allegationId), person, world.before(allegationId)?.status ?? null, mutation);
    }
    case 'operational_feedback':
      return feedbackProblem(change, person);
    case 'qa_check':
      return qaCheckProblem(change, world.row('qa_check', change.id));
    case 'outcome_action': {
      const action = text(change.fields.action?.to);
      if (action === null || !(OUTCOME_ACTIONS as readonly string[]).includes(action)) return `unknown outcome action ${JSON.stringify(action)}`;
      return null;
    }
    default:
      return null;
  }
}

function verb(entity: string): string {
  const verbs: Record<string, string> = {
    allegation: 'change this allegation',
    allocation: 'allocate work',
    outcome_decision: 'record an outcome',
    outcome_action: 'record an outcome',
    compliance_signoff: 'sign off an outcome',
    check: 'record background checks',
    link_judgement: 'judge links',
    link_review: 'record the cross-check',
    intake_link_warning: 'create allegations',
    source_details: 'hold source details',
    restricted_text: 'hold restricted text',
    source_contact: 'log contact with a source',
    dissemination: 'record actions',
    operational_feedback: 'record what came back from operations',
    qa_check: "record managers' sample checks",
  };
  return verbs[entity] ?? `change the ${entity.replace(/_/g, ' ')}s of an allegation`;
}

function vocabulary(field: string, value: FieldValue | undefined, allowed: readonly string[], nullable: boolean): string | null {
  if (value === null || value === undefined) return nullable ? null : `${field} is required`;
  if (typeof value !== 'string' || !allowed.includes(value)) return `${field} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`;
  return null;
}

function newAllegationProblem(change: ChangeRow): string | null {
  const f = change.fields;
  const unit = text(f.unit_code?.to);
  if (unit !== null && !unitByCode(unit)) return `unknown unit ${unit}`;
  return (
    vocabulary('status', f.status?.to, STATUSES, false) ??
    vocabulary('outcome', f.outcome?.to, OUTCOMES, true) ??
    vocabulary('nfa_reason', f.nfa_reason?.to, NFA_REASONS, true)
  );
}

function allegationUpdateProblem(world: RuleWorld, change: ChangeRow, person: RulePerson | undefined, mutation: readonly ChangeRow[]): string | null {
  const current = world.row('allegation', change.id);
  if ('reference' in change.fields) return 'the reference is given by the server; a desk does not change it';
  for (const field of entitySpec('allegation').state ?? []) {
    const c = change.fields[field];
    if (c && !same(c.from, current?.data[field])) {
      return `${field} is now ${JSON.stringify(current?.data[field] ?? null)} on the server, not ${JSON.stringify(c.from)} as this desk saw it: someone changed it first`;
    }
  }
  if (GRADING_FIELDS.some((f) => f in change.fields)) {
    if (!person || !GRADE_ROLES.includes(person.role)) return `${person ? describe(person) : 'no one'} may not grade an allegation`;
    const graded = gradingChangeProblem(change, current);
    if (graded) return graded;
  }
  const status = change.fields.status;
  const from = (text(current?.data.status) ?? 'new') as Status;
  if (status) {
    const to = text(status.to) as Status | null;
    if (to === null || !STATUSES.includes(to)) return `status ${JSON.stringify(status.to)} is not a status`;
    if (!STATUS_TRANSITIONS[from].includes(to)) return from === 'closed' ? 'the allegation is already closed' : `an allegation cannot go from ${from} to ${to}`;
    const role = person?.role;
    if (to === 'triaged' && (!role || !ASSESS_ROLES.includes(role))) return 'only analysts, duty managers and managers record the initial assessment';
    if (to === 'actioned' || to === 'nfa') {
      if (!role || !OUTCOME_ROLES.includes(role)) return `${person ? describe(person) : 'no one'} may not record an outcome`;
      const decision = mutation.find((c) => c.entity === 'outcome_decision' && c.fields.allegation_id?.to === change.id);
      if (!decision) return 'an outcome is recorded with its decision (outcome, reason, rationale)';
      const outcome = text(decision.fields.outcome?.to);
      if (text(change.fields.outcome?.to) !== outcome) return 'the outcome on the allegation differs from its decision';
      if ((outcome === 'actioned') !== (to === 'actioned')) return `status ${to} does not match the outcome ${outcome}`;
    }
    if ((from === 'actioned' || from === 'nfa') && (to === 'closed' || to === 'in_research')) {
      if (role !== 'compliance_officer') return 'only a compliance officer closes a case or returns its outcome';
      const signoff = mutation.find((c) => c.entity === 'compliance_signoff' && c.fields.allegation_id?.to === change.id);
      const decision = text(signoff?.fields.decision?.to);
      if (!signoff) return 'a case is closed or returned with the compliance officer’s sign-off';
      if ((to === 'closed') !== (decision === 'approved')) return `a ${decision ?? 'missing'} sign-off cannot leave the case ${to}`;
    }
    if (to === 'closed' && !CLOSURE_FIELDS.every((f) => f in change.fields)) return 'a closure records when and by whom';
  } else {
    if (OUTCOME_FIELDS.some((f) => f in change.fields)) return 'an outcome changes only with the status it gives the case';
    if (CLOSURE_FIELDS.some((f) => f in change.fields)) return 'a case is closed only with its status';
  }
  const unit = change.fields.unit_code;
  if (unit) {
    const to = text(unit.to);
    if (to === null || !unitByCode(to)) return `unknown unit ${JSON.stringify(unit.to)}: a case is reallocated to one of the units`;
    if (to === text(current?.data.unit_code)) return `the allegation is already with ${unitName(to)}`;
  }
  return null;
}

function allocationProblem(world: RuleWorld, change: ChangeRow, person: RulePerson | undefined): string | null {
  const current = world.row('allocation', change.id);
  if (!person) return 'an allocation needs the person who made it';
  if (change.op === 'insert') {
    const target = text(change.fields.user_id?.to);
    const who = target ? world.person(target) : undefined;
    if (!who || !who.active) return `the person allocated (${target ?? 'nobody'}) has no active account on the server`;
    const allegationId = text(change.fields.allegation_id?.to);
    const place = allegationId ? (world.before(allegationId) ?? world.place(allegationId)) : undefined;
    if (!allegationId || !place) return 'an allocation names an allegation the server holds';
    // The desk's own rule (shared/domain/access.ts): nobody allocates themselves, or anyone, into a pane they should not see.
    return allocationRefusal({ ...person, name: person.username }, { ...who, name: who.username }, { reference: allegationId, unit: place.unit });
  }
  const changed = Object.keys(change.fields).filter((f) => f !== 'ended_at');
  if (changed.length) return `an allocation names one person and one allegation for its life; ${changed.join(', ')} cannot change`;
  if (current?.data.ended_at !== null && current?.data.ended_at !== undefined) return 'the allocation has already ended';
  return null;
}

function decisionProblem(world: RuleWorld, change: ChangeRow, person: RulePerson | undefined, mutation: readonly ChangeRow[]): string | null {
  const f = change.fields;
  const allegationId = text(f.allegation_id?.to);
  if (!person || text(f.user_id?.to) !== person.id) return 'an outcome decision names the person who made it';
  const bad = vocabulary('outcome', f.outcome?.to, OUTCOMES, false) ?? vocabulary('nfa_reason', f.nfa_reason?.to, NFA_REASONS, true);
  if (bad) return bad;
  const moves = mutation.some((c) => c.entity === 'allegation' && c.id === allegationId && (c.fields.status?.to === 'actioned' || c.fields.status?.to === 'nfa'));
  if (!moves) {
    const status = text(world.row('allegation', allegationId ?? '')?.data.status);
    return status === 'closed' ? 'the allegation is already closed' : 'an outcome decision comes with the status change it makes';
  }
  const actions = mutation
    .filter((c) => c.entity === 'outcome_action' && c.fields.decision_id?.to === change.id)
    .map((c) => text(c.fields.action?.to) as OutcomeAction);
  const duplicateOf = text(f.duplicate_of?.to);
  const problems = choiceProblems({
    outcome: text(f.outcome?.to) as Outcome,
    actions,
    nfaReason: text(f.nfa_reason?.to) as NfaReason | null,
    duplicateOf,
    rationale: text(f.rationale?.to) ?? '',
  });
  if (problems[0]) return problems[0].message;
  if (duplicateOf && !world.place(duplicateOf)) return `the original ${duplicateOf} is not on the server`;
  return null;
}

function signoffProblem(world: RuleWorld, change: ChangeRow, person: RulePerson | undefined, mutation: readonly ChangeRow[]): string | null {
  const f = change.fields;
  if (!person || text(f.user_id?.to) !== person.id) return 'a sign-off names the compliance officer who made it';
  const decisionId = text(f.decision_id?.to);
  let decision = decisionId ? world.row('outcome_decision', decisionId)?.data : undefined;
  const inMutation = mutation.find((c) => c.entity === 'outcome_decision' && c.id === decisionId);
  if (!decision && inMutation) decision = Object.fromEntries(Object.entries(inMutation.fields).map(([k, v]) => [k, v.to]));
  if (!decision) return 'the sign-off names no outcome decision on the server';
  if (decision.allegation_id !== f.allegation_id?.to) return 'the decision signed off belongs to another allegation';
  if (decision.user_id === person.id) return 'nobody signs off an outcome they chose: another compliance officer must check it';
  const verdict = text(f.decision?.to);
  if (verdict !== 'approved' && verdict !== 'returned') return `a sign-off approves or returns, not ${JSON.stringify(verdict)}`;
  const allegationId = text(f.allegation_id?.to);
  const status = mutation.find((c) => c.entity === 'allegation' && c.id === allegationId && c.fields.status)?.fields.status?.to;
  if (status !== (verdict === 'approved' ? 'closed' : 'in_research')) {
    const now = text(world.row('allegation', allegationId ?? '')?.data.status);
    return now === 'closed' ? 'the allegation is already closed' : `an ${verdict} sign-off comes with the status change it makes`;
  }
  return null;
}
