// From assessment to result (issue 20): grading, actions with their recipients followed to their result, what
// came back from operations, the follow-up queue, managers' sample checks, and the allegation's history.
import { z } from 'zod';
import { HANDLING_CODES, INTELLIGENCE_ASSESSMENTS, OUTCOME_ACTIONS, SOURCE_EVALUATIONS } from '../domain/vocabularies.ts';
import { HARM_LEVELS } from '../domain/grading.ts';
import { RECIPIENT_TYPES, RESULTS } from '../domain/dissemination.ts';
import { MONTH_PATTERN, QA_FINDINGS, QA_RESULTS } from '../domain/qa.ts';
import { allegationRecord } from '../schemas/record.ts';
import { isoDate, isoDateTime, reference, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

import { ACTION_ROLES as WORK_ROLES, GRADE_ROLES, QA_ROLES } from '../domain/access.ts';

export const actionView = z.object({
  id: uuid,
  allegationId: uuid,
  action: z.enum(OUTCOME_ACTIONS),
  recipientType: z.enum(RECIPIENT_TYPES),
  recipient: z.string(),
  recipientUnit: z.string().nullable(),
  legalBasis: z.string(),
  agreementRef: z.string(),
  sentAt: isoDateTime,
  sentBy: z.string(),
  note: z.string(),
  /** The grading the report carried ("2/B/C"), and its handling conditions. */
  grading: z.object({ code: z.string(), conditions: z.string() }).nullable(),
  /** What was sent: the sanitised intelligence report as it left, and its SHA-256. */
  reportText: z.string(),
  reportHash: z.string().nullable(),
  followUpDue: isoDate.nullable(),
  followUpRule: z.string(),
  overdue: z.boolean(),
  result: z.enum(RESULTS).nullable(),
  resultAt: isoDateTime.nullable(),
  resultBy: z.string().nullable(),
  resultDetail: z.string(),
});
export type ActionView = z.infer<typeof actionView>;

export const debriefFields = z
  .object({
    operationDate: isoDate,
    officerInCharge: z.string().trim().min(2, 'name the officer in charge').max(200),
    premises: z.string().trim().min(2, 'say where the operation took place').max(500),
    encountered: z.string().trim().min(2, 'say who was encountered (or that nobody was)').max(5000),
    arrests: z.number().int().min(0).max(1000),
    observations: z.string().trim().min(20, 'say what happened and what was learnt (at least 20 characters)').max(20_000),
  })
  .strict();

export const feedbackView = z.object({
  id: uuid,
  allegationId: uuid,
  actionId: uuid.nullable(),
  kind: z.enum(['result', 'debrief']),
  result: z.enum(RESULTS).nullable(),
  detail: z.string(),
  debrief: debriefFields.nullable(),
  occurredOn: isoDate.nullable(),
  recordedAt: isoDateTime,
  recordedBy: z.string(),
});
export type FeedbackView = z.infer<typeof feedbackView>;

export const followUpRow = z.object({
  actionId: uuid,
  allegationId: uuid,
  reference,
  unit: z.string().nullable(),
  action: z.enum(OUTCOME_ACTIONS),
  recipientType: z.enum(RECIPIENT_TYPES),
  recipient: z.string(),
  sentAt: isoDateTime,
  sentBy: z.string(),
  followUpDue: isoDate,
  followUpRule: z.string(),
  /** Working days past the follow-up date (0 when not yet due). */
  daysOverdue: z.number().int(),
});
export type FollowUpRow = z.infer<typeof followUpRow>;

export const qaCheckView = z.object({
  id: uuid,
  allegationId: uuid,
  reference,
  closedAt: isoDateTime.nullable(),
  outcome: z.string().nullable(),
  drawnAt: isoDateTime,
  drawnBy: z.string(),
  checkedAt: isoDateTime.nullable(),
  checkedBy: z.string().nullable(),
  result: z.enum(QA_RESULTS).nullable(),
  findings: z.array(z.enum(QA_FINDINGS)),
  note: z.string(),
});
export type QaCheckView = z.infer<typeof qaCheckView>;

export const qaSampleView = z.object({
  unit: z.string(),
  month: z.string().regex(MONTH_PATTERN),
  /** Cases the unit closed that month, and how many a sample takes. */
  closed: z.number().int(),
  size: z.number().int(),
  drawn: z.array(qaCheckView),
});

export const historyEntry = z.object({ at: isoDateTime, actor: z.string(), action: z.string(), label: z.string(), summary: z.string() });

export const resultsApi = {
  'allegations.grade': procedure({
    summary: 'Grade the allegation (3x5x2: source 1-3, intelligence A-E, handling P/C with conditions) and rate the harm; audited, and kept in its history.',
    access: GRADE_ROLES,
    mutates: true,
    input: z
      .object({
        id: uuid,
        source: z.enum(SOURCE_EVALUATIONS),
        intelligence: z.enum(INTELLIGENCE_ASSESSMENTS),
        handling: z.enum(HANDLING_CODES),
        conditions: z.string().trim().max(2000).default(''),
        harm: z.enum(HARM_LEVELS),
      })
      .strict(),
    output: allegationRecord,
  }),
  'actions.list': procedure({
    summary: 'The actions recorded on an allegation with their results, and the feedback from operations.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }).strict(),
    output: z.object({ actions: z.array(actionView), feedback: z.array(feedbackView) }),
  }),
  'actions.record': procedure({
    summary: 'Record an action: who received it, when, what was sent (the sanitised, graded report); the follow-up date is set by rule.',
    access: WORK_ROLES,
    mutates: true,
    input: z
      .object({
        allegationId: uuid,
        action: z.enum(OUTCOME_ACTIONS),
        recipientType: z.enum(RECIPIENT_TYPES),
        recipient: z.string().trim().max(300),
        recipientUnit: z.string().max(20).nullable().default(null),
        legalBasis: z.string().trim().max(1000).default(''),
        agreementRef: z.string().trim().max(200).default(''),
        sentAt: isoDateTime.optional(),
        note: z.string().trim().max(5000).default(''),
      })
      .strict(),
    output: actionView,
  }),
  'actions.result': procedure({
    summary: "Record the recipient's result on an action (visited, arrested, no trace, not actioned and why…); the follow-up is then closed.",
    access: WORK_ROLES,
    mutates: true,
    input: z
      .object({
        actionId: uuid,
        result: z.enum(RESULTS),
        detail: z.string().trim().max(5000).default(''),
        occurredOn: isoDate.optional(),
      })
      .strict(),
    output: actionView,
  }),
  'feedback.debrief': procedure({
    summary: 'Attach the debrief of an operation (a visit) to the allegation: date, officer in charge, premises, who was encountered, arrests, observations.',
    access: WORK_ROLES,
    mutates: true,
    input: z.object({ allegationId: uuid, actionId: uuid.nullable().default(null), debrief: debriefFields }).strict(),
    output: feedbackView,
  }),
  'followups.list': procedure({
    summary: "Actions awaiting their recipient's result: overdue ones (past their follow-up date), or all open ones; a unit's, or every unit's for national roles.",
    access: ['analyst', 'duty_manager', 'compliance_officer', 'manager', 'admin'],
    mutates: false,
    input: z.object({ view: z.enum(['overdue', 'open']).default('overdue'), unit: z.string().max(20).optional() }).strict(),
    output: z.object({ view: z.enum(['overdue', 'open']), unit: z.string().nullable(), rows: z.array(followUpRow) }),
  }),
  'qa.sample': procedure({
    summary: "A unit's monthly sample of closed cases for the manager's checks: how many closed, the sample size, and the cases drawn with their checks.",
    access: ['manager', 'admin'],
    mutates: false,
    input: z.object({ unit: z.string().max(20), month: z.string().regex(MONTH_PATTERN, 'a month, YYYY-MM') }).strict(),
    output: qaSampleView,
  }),
  'qa.draw': procedure({
    summary: "Draw a unit's random sample of the cases it closed in a month (once per unit and month); audited.",
    access: QA_ROLES,
    mutates: true,
    input: z.object({ unit: z.string().max(20), month: z.string().regex(MONTH_PATTERN, 'a month, YYYY-MM') }).strict(),
    output: qaSampleView,
  }),
  'qa.check': procedure({
    summary: 'Record the check of one sampled case: no issues, or issues with each finding and a note. Recorded once.',
    access: QA_ROLES,
    mutates: true,
    input: z.object({ checkId: uuid, result: z.enum(QA_RESULTS), findings: z.array(z.enum(QA_FINDINGS)).max(QA_FINDINGS.length).default([]), note: z.string().trim().max(5000).default('') }).strict(),
    output: qaCheckView,
  }),
  'allegations.history': procedure({
    summary: "The allegation's history from the audit log: who did what and when, with what changed (grading, outcome, actions, moves).",
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }).strict(),
    output: z.array(historyEntry),
  }),
} as const;
