// The end of assessment: background checks (which system, when, by whom, the result), the outcome with what
// makes it valid, and the compliance officer's sign-off that closes the case (000 §3.7, §4.3-4.19, §4.38-4.39).
import { z } from 'zod';
import { CHECK_SYSTEMS, NFA_REASONS, OUTCOME_ACTIONS, OUTCOMES, STATUSES } from '../domain/vocabularies.ts';
import { CHECK_FINDINGS, SIGNOFF_EVIDENCE } from '../domain/outcome.ts';
import { allegationRecord } from '../schemas/record.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { procedure } from './procedure.ts';

const CHECK_ROLES = ['analyst', 'duty_manager', 'compliance_officer', 'manager'] as const;
const OUTCOME_ROLES = ['analyst', 'duty_manager', 'compliance_officer', 'manager'] as const;

export const checkView = z.object({
  id: uuid,
  system: z.enum(CHECK_SYSTEMS),
  subjectId: uuid.nullable(),
  subjectName: z.string().nullable(),
  doneAt: isoDateTime,
  doneBy: z.string(),
  finding: z.enum(CHECK_FINDINGS),
  result: z.string(),
});
export type CheckView = z.infer<typeof checkView>;

export const outcomeDecisionView = z.object({
  id: uuid,
  outcome: z.enum(OUTCOMES),
  nfaReason: z.enum(NFA_REASONS).nullable(),
  duplicateOf: z.object({ id: uuid, reference }).nullable(),
  actions: z.array(z.object({ action: z.enum(OUTCOME_ACTIONS), detail: z.string() })),
  rationale: z.string(),
  decidedBy: z.string(),
  decidedAt: isoDateTime,
  /** What the rules saw when it was chosen: checks on Home Office systems, and the review. */
  checks: z.number().int(),
  reviewedAt: isoDateTime.nullable(),
  /** The compliance officer's decision on it, once made. */
  signOff: z
    .object({ decision: z.enum(['approved', 'returned']), evidence: z.array(z.enum(SIGNOFF_EVIDENCE)), note: z.string(), decidedBy: z.string(), decidedAt: isoDateTime })
    .nullable(),
});
export type OutcomeDecisionView = z.infer<typeof outcomeDecisionView>;

export const requirementView = z.object({ key: z.enum(['status', 'review', 'candidates', 'checks']), met: z.boolean(), text: z.string() });

export const workflowView = z.object({
  allegationId: uuid,
  status: z.enum(STATUSES),
  checks: z.array(checkView),
  review: z.object({ reviewedAt: isoDateTime, reviewedBy: z.string(), note: z.string(), candidates: z.number().int() }).nullable(),
  fullName: z.boolean(),
  fullAddress: z.boolean(),
  requirements: z.array(requirementView),
  /** Earlier allegations judged the same allegation as this one: the originals NFA — duplicate can name. */
  originals: z.array(z.object({ allegationId: uuid, reference, receivedAt: isoDateTime, homeOfficeChecks: z.number().int() })),
  /** The outcome in force (awaiting compliance, or closed), and every one chosen before (returned ones kept). */
  current: outcomeDecisionView.nullable(),
  history: z.array(outcomeDecisionView),
  closedAt: isoDateTime.nullable(),
  closedBy: z.string().nullable(),
});
export type WorkflowView = z.infer<typeof workflowView>;

export const assessmentApi = {
  'checks.add': procedure({
    summary: 'Record a background check: which system, when, by whom, what it found.',
    access: CHECK_ROLES,
    mutates: true,
    input: z.object({
      allegationId: uuid,
      system: z.enum(CHECK_SYSTEMS),
      subjectId: uuid.nullable().default(null),
      doneAt: isoDateTime.optional(),
      finding: z.enum(CHECK_FINDINGS).default('recorded'),
      result: z.string().trim().min(2, 'say what the check found').max(5000),
    }),
    output: checkView,
  }),
  'allegations.workflow': procedure({
    summary: 'Where the assessment stands: checks, the cross-check review, what an outcome still needs, the outcome and its sign-off.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: workflowView,
  }),
  'allegations.outcome': procedure({
    summary: 'Choose the outcome: Actioned with its actions, NFA actionable, or NFA non-actionable with its reason. Refused until what makes it valid is recorded.',
    access: OUTCOME_ROLES,
    mutates: true,
    input: z.object({
      id: uuid,
      outcome: z.enum(OUTCOMES),
      actions: z.array(z.object({ action: z.enum(OUTCOME_ACTIONS), detail: z.string().trim().max(1000).default('') })).max(OUTCOME_ACTIONS.length).default([]),
      nfaReason: z.enum(NFA_REASONS).nullable().default(null),
      duplicateOf: uuid.nullable().default(null),
      rationale: z.string().trim().max(5000),
    }),
    output: allegationRecord,
  }),
  'allegations.signOff': procedure({
    summary: "The compliance officer's check of an outcome, with evidence of what was checked: approving closes the case; returning sends it back with a note.",
    access: ['compliance_officer'],
    mutates: true,
    input: z.object({
      id: uuid,
      decision: z.enum(['approve', 'return']),
      evidence: z.array(z.enum(SIGNOFF_EVIDENCE)).max(SIGNOFF_EVIDENCE.length).default([]),
      note: z.string().trim().max(5000).default(''),
    }),
    output: allegationRecord,
  }),
} as const;
