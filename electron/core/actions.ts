// Actions tracked to their result (000 §4.6-4.9, Figure 5): recording an action with its recipient and what was
// sent (the sanitised, graded report, kept as it left), the follow-up date by rule, the recipient's result and
// visit debriefs on the allegation, and the queue of follow-ups awaiting a result.
import { createHash } from 'node:crypto';
import type { Emits, HasStore } from './deps.ts';
import type { UserRow } from './users.ts';
import { actorFor, loadCase, requireWork } from './access.ts';
import { sanitisedRecord, type ReportDeps } from './report.ts';
import { prepared } from '../store/db.ts';
import { appendFeedback, insertDissemination, recordDisseminationResult } from '../store/results.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { NATIONAL_ROLES, OUTCOME_ACTION_LABELS, type OutcomeAction, type RiskRating } from '../../shared/domain/vocabularies.ts';
import { unitByCode, unitName } from '../../shared/domain/units.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import { isWorkingDay } from '../../shared/domain/clock.ts';
import { buildReport, reportText } from '../../shared/domain/report.ts';
import { gradingCode } from '../../shared/domain/grading.ts';
import {
  disseminationProblems,
  followUpDue,
  followUpOverdue,
  followUpRule,
  MARKER_SYSTEMS,
  RECIPIENT_TYPE_LABELS,
  REPORT_ACTIONS,
  RESULTS_NEEDING_REASON,
  RESULT_LABELS,
  type DisseminationResult,
  type RecipientType,
} from '../../shared/domain/dissemination.ts';
import type { ActionView, FeedbackView, FollowUpRow } from '../../shared/api/results.ts';
import type { z } from 'zod';
import type { debriefFields } from '../../shared/api/results.ts';

/** What this module needs of the core: the store, the event channel, and the vault for the sanitised report. */
export type ActionsDeps = Emits & ReportDeps;

/** The case, and what the follow-up rule reads of it. */
function load(core: HasStore, id: string) {
  const a = loadCase(core.store.db, id);
  const extra = prepared(core.store.db, 'SELECT risk_rating FROM allegations WHERE id = ?').get(id) as { risk_rating: RiskRating | null };
  return { ...a, ...extra };
}

interface DisseminationDb {
  id: string;
  allegation_id: string;
  action: OutcomeAction | null;
  recipient_type: RecipientType | null;
  recipient: string;
  recipient_kind: 'internal' | 'external';
  recipient_unit: string | null;
  legal_basis: string;
  agreement_ref: string;
  sent_at: string;
  sent_by: string;
  note: string;
  report_text: string;
  report_hash: string | null;
  grading: string;
  follow_up_due: string | null;
  follow_up_rule: string;
  result: string;
  result_at: string | null;
  result_by: string | null;
  result_detail: string;
}

function actionView(d: DisseminationDb, today: string): ActionView {
  const grading = JSON.parse(d.grading) as { code?: string; conditions?: string };
  const result = (d.result || null) as DisseminationResult | null;
  return {
    id: d.id,
    allegationId: d.allegation_id,
    action: d.action ?? (d.recipient_kind === 'external' ? 'disseminated_external' : 'disseminated_internal'),
    recipientType: d.recipient_type ?? (d.recipient_kind === 'external' ? 'other_department' : 'home_office'),
    recipient: d.recipient,
    recipientUnit: d.recipient_unit,
    legalBasis: d.legal_basis,
    agreementRef: d.agreement_ref,
    sentAt: d.sent_at,
    sentBy: d.sent_by,
    note: d.note,
    grading: grading.code ? { code: grading.code, conditions: grading.conditions ?? '' } : null,
    reportText: d.report_text,
    reportHash: d.report_hash,
    followUpDue: d.follow_up_due,
    followUpRule: d.follow_up_rule,
    overdue: d.follow_up_due !== null && d.follow_up_due < today && !result,
    result,
    resultAt: d.result_at,
    resultBy: d.result_by,
    resultDetail: d.result_detail,
  };
}

interface FeedbackDb {
  id: string;
  allegation_id: string;
  dissemination_id: string | null;
  kind: 'result' | 'debrief';
  result: DisseminationResult | null;
  detail: string;
  debrief: string;
  occurred_on: string | null;
  recorded_at: string;
  recorded_by: string;
}

function feedbackView(f: FeedbackDb): FeedbackView {
  return {
    id: f.id,
    allegationId: f.allegation_id,
    actionId: f.dissemination_id,
    kind: f.kind,
    result: f.result,
    detail: f.detail,
    debrief: f.kind === 'debrief' ? (JSON.parse(f.debrief) as FeedbackView['debrief']) : null,
    occurredOn: f.occurred_on,
    recordedAt: f.recorded_at,
    recordedBy: f.recorded_by,
  };
}

export function listActions(core: HasStore, allegationId: string): { actions: ActionView[]; feedback: FeedbackView[] } {
  load(core, allegationId);
  const today = ukDate(core.store.now());
  const actions = (prepared(core.store.db, 'SELECT * FROM disseminations WHERE allegation_id = ? ORDER BY sent_at, rowid').all(allegationId) as DisseminationDb[]).map((d) => actionView(d, today));
  const feedback = (prepared(core.store.db, 'SELECT * FROM operational_feedback WHERE allegation_id = ? ORDER BY recorded_at, rowid').all(allegationId) as FeedbackDb[]).map(feedbackView);
  return { actions, feedback };
}

function actionById(core: HasStore, id: string): ActionView {
  const d = prepared(core.store.db, 'SELECT * FROM disseminations WHERE id = ?').get(id) as DisseminationDb | undefined;
  if (!d) throw new ApiError('not_found', 'No such action');
  return actionView(d, ukDate(core.store.now()));
}

/** The actions recorded on an allegation: what makes it "actioned" (shared/domain/outcome.ts). */
export function recordedActions(core: HasStore, allegationId: string): OutcomeAction[] {
  return prepared(core.store.db, 'SELECT DISTINCT action FROM disseminations WHERE allegation_id = ? AND action IS NOT NULL ORDER BY action').pluck().all(allegationId) as OutcomeAction[];
}

export interface ActionInput {
  allegationId: string;
  action: OutcomeAction;
  recipientType: RecipientType;
  recipient: string;
  recipientUnit: string | null;
  legalBasis: string;
  agreementRef: string;
  sentAt?: string | undefined;
  note: string;
}

export function recordAction(core: ActionsDeps, user: UserRow, input: ActionInput): ActionView {
  const a = load(core, input.allegationId);
  requireWork(core.store.db, user, a);
  if (a.status === 'closed') throw new ApiError('conflict', `${a.reference} is closed: record results of its actions, not new ones`);
  if (a.status === 'new') throw new ApiError('conflict', `Record the initial assessment of ${a.reference} before acting on it`);
  const g = prepared(core.store.db, 'SELECT grading_source AS source, grading_intelligence AS intelligence, grading_handling AS handling, grading_conditions AS conditions, harm FROM allegations WHERE id = ?').get(a.id) as {
    source: '1' | '2' | '3' | null;
    intelligence: 'A' | 'B' | 'C' | 'D' | 'E' | null;
    handling: 'P' | 'C' | null;
    conditions: string;
    harm: string | null;
  };
  const graded = Boolean(g.source && g.intelligence && g.handling && g.harm);
  const problems = disseminationProblems(input, graded);
  if (input.recipientType === 'other_unit' && (!input.recipientUnit || !unitByCode(input.recipientUnit))) problems.push({ field: 'recipientUnit', message: 'Choose the unit it goes to' });
  if (problems.length) {
    throw new ApiError(problems.some((p) => p.field === 'grading') ? 'conflict' : 'bad_request', `The action cannot be recorded: ${problems[0]?.message}`, Object.fromEntries(problems.map((p) => [p.field, p.message])));
  }
  const now = core.store.now();
  const sentAt = input.sentAt ? new Date(input.sentAt) : now;
  if (sentAt.getTime() > now.getTime() + 5 * 60_000) throw new ApiError('bad_request', 'An action cannot be sent in the future', { sentAt: 'cannot be in the future' });
  if (sentAt.getTime() < Date.parse(a.received_at)) throw new ApiError('bad_request', 'The action is dated before the allegation was received', { sentAt: 'is before the allegation was received' });
  const rule = followUpRule(input.recipientType, a.risk_rating, a.time_critical === 1);
  const due = followUpDue(sentAt, rule, unitByCode(a.unit_code ?? '')?.holidays ?? 'england-wales');
  const recipient = input.recipientType === 'other_unit' ? `${input.recipient.trim()}${input.recipientUnit ? ` (${unitName(input.recipientUnit)})` : ''}` : input.recipient.trim();
  // What leaves the unit: the sanitised report (source details checked again against the sealed source), graded,
  // with who it went to and on what basis. A marker on a system sends nothing.
  let text = '';
  if (REPORT_ACTIONS.includes(input.action)) {
    const report = buildReport(sanitisedRecord(core, a.id), sentAt.toISOString(), user.display_name);
    const header = [
      `Sent to: ${recipient} (${RECIPIENT_TYPE_LABELS[input.recipientType]}) for: ${OUTCOME_ACTION_LABELS[input.action]}`,
      `Sent: ${sentAt.toISOString().slice(0, 16).replace('T', ' ')} by ${user.display_name}, ${unitName(a.unit_code)}`,
      ...(input.recipientType === 'other_department' ? [`Legal basis: ${input.legalBasis.trim()}`, `Agreement: ${input.agreementRef.trim()}`] : []),
      '',
    ];
    text = [...header, reportText(report)].join('\n');
  }
  const id = core.store.newId();
  const gradingSnapshot = graded && REPORT_ACTIONS.includes(input.action) ? { code: gradingCode({ source: g.source!, intelligence: g.intelligence!, handling: g.handling! }), conditions: g.conditions, harm: g.harm } : {};
  core.store.mutate(
    {
      actor: actorFor(user),
      action: 'action.record',
      entity: 'dissemination',
      entityId: id,
      allegationId: a.id,
      details: { action: input.action, recipientType: input.recipientType, recipient, legalBasis: input.legalBasis, agreementRef: input.agreementRef, followUpDue: due, rule: rule.rule, grading: 'code' in gradingSnapshot ? gradingSnapshot.code : null },
    },
    (m) =>
      insertDissemination(m, {
        id,
        allegation_id: a.id,
        action: input.action,
        recipient_type: input.recipientType,
        recipient: MARKER_SYSTEMS[input.action] && !recipient ? (MARKER_SYSTEMS[input.action] as string) : recipient,
        recipient_kind: input.recipientType === 'other_department' ? 'external' : 'internal',
        recipient_unit: input.recipientType === 'other_unit' ? input.recipientUnit : null,
        legal_basis: input.legalBasis.trim(),
        agreement_ref: input.agreementRef.trim(),
        sent_at: sentAt.toISOString(),
        sent_by: m.actor.name,
        user_id: user.id,
        note: input.note.trim(),
        report_text: text,
        report_hash: text ? createHash('sha256').update(text).digest('hex') : null,
        grading: JSON.stringify(gradingSnapshot),
        follow_up_due: due,
        follow_up_rule: rule.rule,
      }),
  );
  core.emit({ type: 'allegation.changed', allegationId: a.id, reference: a.reference });
  return actionById(core, id);
}

export interface ResultInput {
  result: DisseminationResult;
  detail: string;
  occurredOn?: string | undefined;
}

export function recordResult(core: Emits & HasStore, user: UserRow, actionId: string, input: ResultInput): ActionView {
  const d = prepared(core.store.db, 'SELECT * FROM disseminations WHERE id = ?').get(actionId) as DisseminationDb | undefined;
  if (!d) throw new ApiError('not_found', 'No such action');
  const a = load(core, d.allegation_id);
  requireWork(core.store.db, user, a);
  const detail = input.detail.trim();
  const marker = d.recipient_type === 'system_marker';
  if (marker && !['marker_placed', 'not_actioned', 'other'].includes(input.result)) throw new ApiError('bad_request', `A marker on a system is placed, or not (say why): “${RESULT_LABELS[input.result]}” is the result of a visit`, { result: 'marker placed, not actioned or other' });
  if (!marker && input.result === 'marker_placed') throw new ApiError('bad_request', 'Only a marker on a system is “placed”', { result: 'choose what the recipient did' });
  if (RESULTS_NEEDING_REASON.includes(input.result) && detail.length < 5) throw new ApiError('bad_request', `Say why (“${RESULT_LABELS[input.result]}” needs the reason the recipient gave)`, { detail: 'say why' });
  const today = ukDate(core.store.now());
  if (input.occurredOn && (input.occurredOn > today || input.occurredOn < d.sent_at.slice(0, 10))) throw new ApiError('bad_request', 'The result is dated outside the time since the action was sent', { occurredOn: 'between sending and today' });
  core.store.mutate(
    { actor: actorFor(user), action: 'action.result', entity: 'dissemination', entityId: actionId, allegationId: a.id, details: { result: input.result, detail, was: d.result || null, recipient: d.recipient } },
    (m) => {
      appendFeedback(m, { id: core.store.newId(), allegation_id: a.id, dissemination_id: actionId, kind: 'result', result: input.result, detail, debrief: '{}', occurred_on: input.occurredOn ?? null, user_id: user.id });
      recordDisseminationResult(m, actionId, input.result, detail);
    },
  );
  core.emit({ type: 'allegation.changed', allegationId: a.id, reference: a.reference });
  return actionById(core, actionId);
}

export function addDebrief(core: Emits & HasStore, user: UserRow, allegationId: string, actionId: string | null, debrief: z.output<typeof debriefFields>): FeedbackView {
  const a = load(core, allegationId);
  requireWork(core.store.db, user, a);
  if (actionId && !prepared(core.store.db, 'SELECT 1 FROM disseminations WHERE id = ? AND allegation_id = ?').get(actionId, allegationId)) throw new ApiError('bad_request', 'That action is not on this allegation', { actionId: 'choose an action of this allegation' });
  if (debrief.operationDate > ukDate(core.store.now())) throw new ApiError('bad_request', 'The operation cannot be in the future', { operationDate: 'cannot be in the future' });
  const id = core.store.newId();
  core.store.mutate({ actor: actorFor(user), action: 'feedback.debrief', entity: 'operational_feedback', entityId: id, allegationId, details: { actionId, operationDate: debrief.operationDate, arrests: debrief.arrests } }, (m) =>
    appendFeedback(m, { id, allegation_id: allegationId, dissemination_id: actionId, kind: 'debrief', result: null, detail: '', debrief: JSON.stringify(debrief), occurred_on: debrief.operationDate, user_id: user.id }),
  );
  core.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
  return feedbackView(prepared(core.store.db, 'SELECT * FROM operational_feedback WHERE id = ?').get(id) as FeedbackDb);
}

function workingDaysAfter(due: string, today: string): number {
  let n = 0;
  for (let d = new Date(`${due}T12:00:00Z`); ; ) {
    d = new Date(d.getTime() + 86_400_000);
    const day = d.toISOString().slice(0, 10);
    if (day > today) return n;
    if (isWorkingDay(day, 'england-wales')) n++;
  }
}

/** Actions awaiting a result, oldest follow-up first: overdue ones, or every open one. */
export function followUps(core: HasStore, user: UserRow, view: 'overdue' | 'open', unit: string | undefined): { view: 'overdue' | 'open'; unit: string | null; rows: FollowUpRow[] } {
  const national = NATIONAL_ROLES.includes(user.role);
  const scope = unit ?? (national ? null : user.unit_code);
  if (!national && scope !== user.unit_code) throw new ApiError('forbidden', `Your follow-ups are ${unitName(user.unit_code)}'s; national roles see every unit's`);
  if (!national && !scope) throw new ApiError('bad_request', 'Your account has no unit: ask an administrator to set one');
  const today = ukDate(core.store.now());
  const rows = prepared(
    core.store.db,
    `SELECT d.*, a.reference, a.unit_code FROM disseminations d JOIN allegations a ON a.id = d.allegation_id
     WHERE d.result = '' AND d.follow_up_due IS NOT NULL ${view === 'overdue' ? 'AND d.follow_up_due < @today' : ''} ${scope ? 'AND a.unit_code = @unit' : ''}
     ORDER BY d.follow_up_due, d.sent_at`,
  ).all({ today, ...(scope ? { unit: scope } : {}) }) as Array<DisseminationDb & { reference: string; unit_code: string | null }>;
  return {
    view,
    unit: scope ?? null,
    rows: rows.map((d) => {
      const v = actionView(d, today);
      return {
        actionId: d.id,
        allegationId: d.allegation_id,
        reference: d.reference,
        unit: d.unit_code,
        action: v.action,
        recipientType: v.recipientType,
        recipient: d.recipient,
        sentAt: d.sent_at,
        sentBy: d.sent_by,
        followUpDue: d.follow_up_due as string,
        followUpRule: d.follow_up_rule,
        daysOverdue: followUpOverdue(d.follow_up_due, false, core.store.now()) ? workingDaysAfter(d.follow_up_due as string, today) : 0,
      };
    }),
  };
}
