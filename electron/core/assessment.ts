// The end of assessment: background checks on Home Office systems, the outcome (refused until what makes it
// valid is recorded: shared/domain/outcome.ts), and the compliance officer's sign-off with evidence of what was checked,
// which alone closes a case (000 §4.38-4.39). Every decision is appended; a returned outcome stays in the history.
import type { Emits, HasStore } from './deps.ts';

/** What this module needs of the core. */
export type AssessmentDeps = Emits & HasStore & LinksDeps;
import { prepared } from '../store/db.ts';
import { readAllegation } from '../store/allegations.ts';
import { actorFor, loadCase, requireWork, type CaseRow } from './access.ts';
import type { UserRow } from './users.ts';
import { currentJudgements, openCandidates, type LinksDeps } from './links.ts';
import { latestReview } from './link-reviews.ts';
import { recordedActions } from './actions.ts';
import { ApiError } from '../../shared/api/errors.ts';
import {
  HOME_OFFICE_SYSTEMS,
  hasFullAddress,
  hasFullName,
  outcomeProblems,
  outcomeRequirements,
  SIGNOFF_EVIDENCE,
  type CheckFinding,
  type DuplicateOriginal,
  type OutcomeFacts,
  type SignoffEvidence,
} from '../../shared/domain/outcome.ts';
import type { CheckSystem, NfaReason, Outcome, OutcomeAction, Status } from '../../shared/domain/vocabularies.ts';
import type { CheckView, OutcomeDecisionView, WorkflowView } from '../../shared/api/assessment.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';

type Row = CaseRow;

function record(core: AssessmentDeps, id: string): AllegationRecord {
  return readAllegation(core.store.db, id) as AllegationRecord;
}

// ------------------------------------------------------------------------------------------- checks

export function listChecks(core: AssessmentDeps, allegationId: string): CheckView[] {
  const rows = prepared(
    core.store.db,
    `SELECT c.id, c.system, c.subject_id, c.done_at, c.done_by, c.finding, c.result, s.forename, s.surname FROM checks c
     LEFT JOIN subjects s ON s.id = c.subject_id WHERE c.allegation_id = ? ORDER BY c.done_at, c.rowid`,
  ).all(allegationId) as Array<{ id: string; system: CheckSystem; subject_id: string | null; done_at: string; done_by: string; finding: CheckFinding; result: string; forename: string | null; surname: string | null }>;
  return rows.map((r) => ({
    id: r.id,
    system: r.system,
    subjectId: r.subject_id,
    subjectName: r.subject_id ? [r.forename, r.surname].filter(Boolean).join(' ') || '(no name)' : null,
    doneAt: r.done_at,
    doneBy: r.done_by,
    finding: r.finding,
    result: r.result,
  }));
}

function homeOfficeChecks(core: AssessmentDeps, allegationId: string): number {
  return (prepared(core.store.db, `SELECT count(*) AS n FROM checks WHERE allegation_id = ? AND system IN (${HOME_OFFICE_SYSTEMS.map(() => '?').join(', ')})`).get(allegationId, ...HOME_OFFICE_SYSTEMS) as { n: number }).n;
}

export interface CheckInput {
  allegationId: string;
  system: CheckSystem;
  subjectId: string | null;
  doneAt?: string | undefined;
  finding: CheckFinding;
  result: string;
}

export function addCheck(core: AssessmentDeps, user: UserRow, input: CheckInput): CheckView {
  const a = loadCase(core.store.db, input.allegationId);
  requireWork(core.store.db, user, a);
  if (a.status === 'closed') throw new ApiError('conflict', `${a.reference} is closed; add a note instead`);
  if (input.subjectId && !prepared(core.store.db, 'SELECT 1 FROM subjects WHERE id = ? AND allegation_id = ? AND removed_at IS NULL').get(input.subjectId, a.id)) {
    throw new ApiError('bad_request', 'That subject is not on this allegation', { subjectId: 'choose a subject of this allegation' });
  }
  const now = core.store.now();
  const doneAt = input.doneAt ? new Date(input.doneAt) : now;
  if (doneAt.getTime() > now.getTime() + 5 * 60_000) throw new ApiError('bad_request', 'A check cannot be done in the future', { doneAt: 'cannot be in the future' });
  if (doneAt.getTime() < Date.parse(a.received_at) - 24 * 3_600_000) throw new ApiError('bad_request', 'The check is dated before the allegation was received', { doneAt: 'is before the allegation was received' });
  const id = core.store.newId();
  const view = core.store.mutate(
    { actor: actorFor(user), action: 'check.add', entity: 'check', entityId: id, allegationId: a.id, details: { system: input.system, finding: input.finding, subjectId: input.subjectId } },
    (m) => {
      m.append('check', { id, allegation_id: a.id, subject_id: input.subjectId, system: input.system, done_at: doneAt.toISOString(), done_by: m.actor.name, finding: input.finding, result: input.result });
      return listChecks(core, a.id).find((c) => c.id === id) as CheckView;
    },
  );
  core.emit({ type: 'allegation.changed', allegationId: a.id, reference: a.reference });
  return view;
}

// ------------------------------------------------------------------------------------------- facts

/** Earlier allegations judged (and still judged) the same allegation as this one. */
function originals(core: AssessmentDeps, a: Row): DuplicateOriginal[] {
  const out: DuplicateOriginal[] = [];
  for (const [other, j] of currentJudgements(core, a.id)) {
    if (j.judgement !== 'duplicate') continue;
    const o = prepared(core.store.db, 'SELECT id, reference, received_at FROM allegations WHERE id = ?').get(other) as { id: string; reference: string; received_at: string };
    // The original is the one received first (the reference breaks a tie).
    const earlier = o.received_at < a.received_at || (o.received_at === a.received_at && o.reference < a.reference);
    if (earlier) out.push({ allegationId: o.id, reference: o.reference, receivedAt: o.received_at, homeOfficeChecks: homeOfficeChecks(core, o.id) });
  }
  return out.sort((x, y) => (x.receivedAt < y.receivedAt ? -1 : 1));
}

export function outcomeFacts(core: AssessmentDeps, a: Row): OutcomeFacts {
  const r = record(core, a.id);
  const review = latestReview(core, a.id);
  return {
    status: a.status,
    fullName: hasFullName(r.subjects),
    fullAddress: hasFullAddress([...r.addresses, ...r.businesses.flatMap((b) => (b.address ? [b.address] : []))]),
    homeOfficeChecks: homeOfficeChecks(core, a.id),
    reviewedAt: review?.reviewedAt ?? null,
    // Only an allegation still being worked needs its candidates looked at again.
    openCandidates: a.status === 'closed' ? [] : openCandidates(core, a.id),
    originals: originals(core, a),
    recordedActions: recordedActions(core, a.id),
  };
}

// ------------------------------------------------------------------------------------------- decisions

interface DecisionRow {
  id: string;
  outcome: Outcome;
  nfa_reason: NfaReason | null;
  duplicate_of: string | null;
  duplicate_reference: string | null;
  rationale: string;
  review_id: string | null;
  reviewed_at: string | null;
  checks: string;
  decided_by: string;
  user_id: string | null;
  decided_at: string;
}

function decisions(core: AssessmentDeps, allegationId: string): Array<OutcomeDecisionView & { userId: string | null }> {
  const rows = prepared(
    core.store.db,
    `SELECT d.*, a.reference AS duplicate_reference, r.reviewed_at FROM outcome_decisions d
     LEFT JOIN allegations a ON a.id = d.duplicate_of LEFT JOIN link_reviews r ON r.id = d.review_id
     WHERE d.allegation_id = ? ORDER BY d.decided_at, d.rowid`,
  ).all(allegationId) as DecisionRow[];
  const actions = prepared(core.store.db, 'SELECT decision_id, action, detail FROM outcome_actions WHERE allegation_id = ? ORDER BY rowid').all(allegationId) as Array<{ decision_id: string | null; action: OutcomeAction; detail: string }>;
  const signOffs = prepared(core.store.db, 'SELECT decision_id, decision, evidence, note, decided_by, decided_at FROM compliance_signoffs WHERE allegation_id = ? ORDER BY decided_at, rowid').all(allegationId) as Array<{
    decision_id: string;
    decision: 'approved' | 'returned';
    evidence: string;
    note: string;
    decided_by: string;
    decided_at: string;
  }>;
  return rows.map((d) => {
    const s = signOffs.filter((x) => x.decision_id === d.id).at(-1);
    return {
      id: d.id,
      outcome: d.outcome,
      nfaReason: d.nfa_reason,
      duplicateOf: d.duplicate_of ? { id: d.duplicate_of, reference: d.duplicate_reference ?? '' } : null,
      actions: actions.filter((x) => x.decision_id === d.id).map((x) => ({ action: x.action, detail: x.detail })),
      rationale: d.rationale,
      decidedBy: d.decided_by,
      decidedAt: d.decided_at,
      checks: (JSON.parse(d.checks) as { homeOffice: number }).homeOffice,
      reviewedAt: d.reviewed_at,
      signOff: s ? { decision: s.decision, evidence: JSON.parse(s.evidence) as SignoffEvidence[], note: s.note, decidedBy: s.decided_by, decidedAt: s.decided_at } : null,
      userId: d.user_id,
    };
  });
}

export function workflow(core: AssessmentDeps, allegationId: string): WorkflowView {
  const a = loadCase(core.store.db, allegationId);
  const facts = outcomeFacts(core, a);
  const review = latestReview(core, allegationId);
  const history = decisions(core, allegationId).map(({ userId: _u, ...d }) => d);
  const inForce = ['actioned', 'nfa', 'closed'].includes(a.status) ? (history.at(-1) ?? null) : null;
  return {
    allegationId,
    status: a.status,
    checks: listChecks(core, allegationId),
    review: review ? { reviewedAt: review.reviewedAt, reviewedBy: review.reviewedBy, note: review.note, candidates: review.candidates.length } : null,
    fullName: facts.fullName,
    fullAddress: facts.fullAddress,
    requirements: outcomeRequirements(facts),
    originals: [...facts.originals],
    current: inForce,
    history: history.reverse(),
    closedAt: a.closed_at,
    closedBy: a.closed_by,
  };
}

export interface OutcomeInput {
  outcome: Outcome;
  actions: Array<{ action: OutcomeAction; detail: string }>;
  nfaReason: NfaReason | null;
  duplicateOf: string | null;
  rationale: string;
}

/** Records the outcome; the case then awaits the compliance officer (status actioned or nfa). */
export function chooseOutcome(core: AssessmentDeps, user: UserRow, id: string, input: OutcomeInput): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  const facts = outcomeFacts(core, a);
  const seen = new Set<string>();
  // Actioned without naming actions: every action recorded on it (each names its recipient in the Actions panel).
  const named = input.outcome === 'actioned' && input.actions.length === 0 ? facts.recordedActions.map((action) => ({ action, detail: '' })) : input.actions;
  const actions = named.filter((x) => (seen.has(x.action) ? false : (seen.add(x.action), true)));
  // NFA — duplicate with one original: that original, unless the person named another.
  const duplicateOf = input.duplicateOf ?? (input.nfaReason === 'duplicate' && facts.originals.length === 1 ? (facts.originals[0]?.allegationId ?? null) : null);
  const choice = { outcome: input.outcome, actions: actions.map((x) => x.action), nfaReason: input.nfaReason, duplicateOf, rationale: input.rationale };
  const problems = outcomeProblems(facts, choice);
  if (problems.length) {
    const fields: Record<string, string> = {};
    for (const p of problems) if (!(p.field in fields)) fields[p.field] = p.message;
    const first = problems[0] as { message: string };
    throw new ApiError(problems.some((p) => p.field === 'status') ? 'conflict' : 'bad_request', `The outcome cannot be recorded yet: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`, fields);
  }
  const review = latestReview(core, id);
  const status: Status = input.outcome === 'actioned' ? 'actioned' : 'nfa';
  const decisionId = core.store.newId();
  core.store.mutate(
    {
      actor: actorFor(user),
      action: 'allegation.outcome',
      entity: 'allegation',
      entityId: id,
      allegationId: id,
      details: { outcome: input.outcome, nfaReason: input.nfaReason, duplicateOf, actions: choice.actions, rationale: input.rationale, homeOfficeChecks: facts.homeOfficeChecks, reviewId: review?.id ?? null },
    },
    (m) => {
      m.append('outcome_decision', {
        id: decisionId,
        allegation_id: id,
        outcome: input.outcome,
        nfa_reason: input.nfaReason,
        duplicate_of: duplicateOf,
        rationale: input.rationale,
        review_id: review?.id ?? null,
        checks: JSON.stringify({ homeOffice: facts.homeOfficeChecks, fullName: facts.fullName, fullAddress: facts.fullAddress }),
        decided_by: m.actor.name,
        user_id: user.id,
        decided_at: m.at,
      });
      for (const x of actions) {
        m.append('outcome_action', { id: core.store.newId(), allegation_id: id, action: x.action, detail: x.detail, at: m.at, by_user: m.actor.name, decision_id: decisionId });
      }
      m.update('allegation', id, { outcome: input.outcome, nfa_reason: input.nfaReason, outcome_at: m.at, outcome_by: m.actor.name, status, updated_at: m.at });
    },
  );
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  return record(core, id);
}

export interface SignOffInput {
  decision: 'approve' | 'return';
  evidence: SignoffEvidence[];
  note: string;
}

/**
 * The compliance officer's check. Approving needs every item of evidence confirmed and closes the case;
 * returning needs a note and sends the case back to research with its outcome lifted (the decision is kept).
 * Nobody signs off an outcome they chose themselves.
 */
export function signOff(core: AssessmentDeps, user: UserRow, id: string, input: SignOffInput): AllegationRecord {
  const a = loadCase(core.store.db, id);
  requireWork(core.store.db, user, a);
  if (a.status !== 'actioned' && a.status !== 'nfa') throw new ApiError('conflict', `${a.reference} has no outcome awaiting compliance`);
  const decision = decisions(core, id).at(-1);
  if (!decision) throw new ApiError('conflict', `${a.reference} has no recorded outcome decision to check (an imported outcome is signed off on the legacy system)`);
  if (decision.userId === user.id) throw new ApiError('forbidden', 'You chose this outcome: another compliance officer must check it');
  const evidence = SIGNOFF_EVIDENCE.filter((e) => input.evidence.includes(e));
  const note = input.note.trim();
  if (input.decision === 'approve') {
    const missing = SIGNOFF_EVIDENCE.filter((e) => !evidence.includes(e));
    if (missing.length) throw new ApiError('bad_request', `Confirm what you checked before approving (${missing.length} not confirmed)`, { evidence: 'confirm every item, or return the case with a note' });
  } else if (note.length < 10) {
    throw new ApiError('bad_request', 'Say what needs putting right (at least 10 characters)', { note: 'say what needs putting right' });
  }
  const approved = input.decision === 'approve';
  const signoffId = core.store.newId();
  core.store.mutate(
    { actor: actorFor(user), action: approved ? 'compliance.approve' : 'compliance.return', entity: 'allegation', entityId: id, allegationId: id, details: { decisionId: decision.id, outcome: decision.outcome, evidence, note } },
    (m) => {
      m.append('compliance_signoff', {
        id: signoffId,
        allegation_id: id,
        decision_id: decision.id,
        decision: approved ? 'approved' : 'returned',
        evidence: JSON.stringify(evidence),
        note,
        decided_by: m.actor.name,
        user_id: user.id,
        decided_at: m.at,
      });
      if (approved) m.update('allegation', id, { status: 'closed', closed_at: m.at, closed_by: m.actor.name, updated_at: m.at });
      else m.update('allegation', id, { status: 'in_research', outcome: null, nfa_reason: null, outcome_at: null, outcome_by: null, updated_at: m.at });
    },
  );
  core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  return record(core, id);
}
