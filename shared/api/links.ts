// The duplicate/link panel's procedures: candidates for a stored allegation and for a form being typed, a
// person's judgement on a pair (stored, audited, respected), the group of linked records with its link chart, and
// the cross-check review that must come before an outcome. Never automatic (000 §4.13): the system proposes,
// a person decides.
import { z } from 'zod';
import { LINK_JUDGEMENTS, OFFENCE_TYPES, OUTCOMES, STATUSES } from '../domain/vocabularies.ts';
import { isoDateTime, reference, uuid } from '../schemas/common.ts';
import { allegationFormShape } from '../schemas/form.ts';
import { procedure } from './procedure.ts';

/** At or above this score, saving a new allegation shows its best candidate first (the intake warning). */
export const STRONG_CANDIDATE = 0.9;

const LINK_ROLES = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager'] as const;

export const reason = z.string().trim().min(5, 'give a reason (at least 5 characters)').max(2000);

export const explanationLine = z.object({
  field: z.string(),
  label: z.string(),
  level: z.string(),
  direction: z.enum(['agrees', 'differs', 'neutral']),
  bits: z.number(),
  text: z.string(),
});
export type ExplanationLineView = z.infer<typeof explanationLine>;

/** One side of a comparison: what a person needs to decide in seconds, nothing restricted. */
export const linkSide = z.object({
  id: uuid.nullable(),
  reference: z.string().nullable(),
  receivedAt: isoDateTime.nullable(),
  status: z.enum(STATUSES).nullable(),
  unit: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)),
  subjects: z.array(z.object({ name: z.string(), role: z.string(), dob: z.string().nullable(), approxAge: z.number().int().nullable(), nationality: z.string() })),
  addresses: z.array(z.string()),
  businesses: z.array(z.string()),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  vehicles: z.array(z.string()),
  flights: z.array(z.string()),
  /** The start of the account (source identifiers are withheld from it). */
  account: z.string(),
});
export type LinkSide = z.infer<typeof linkSide>;

export const priorJudgement = z.object({
  judgement: z.enum(LINK_JUDGEMENTS),
  reason: z.string(),
  score: z.number().nullable(),
  decidedBy: z.string(),
  decidedAt: isoDateTime,
});

export const candidateView = z.object({
  allegationId: uuid,
  reference,
  score: z.number(),
  weight: z.number(),
  label: z.enum(['likely_duplicate', 'possible_associate', 'weak']),
  /** Above the panel's fixed threshold: shown as a suggestion that needs a judgement. */
  suggested: z.boolean(),
  subjects: z.object({ current: z.number().int(), candidate: z.number().int(), currentRole: z.string(), candidateRole: z.string() }).nullable(),
  summary: z.string(),
  explanation: z.array(explanationLine),
  judgement: priorJudgement.nullable(),
  reproposed: z.boolean(),
  side: linkSide,
});
export type CandidateView = z.infer<typeof candidateView>;

export const reviewView = z.object({
  id: uuid,
  reviewedAt: isoDateTime,
  reviewedBy: z.string(),
  note: z.string(),
  candidates: z.array(z.object({ allegationId: uuid, reference: z.string(), score: z.number(), judgement: z.enum(LINK_JUDGEMENTS).nullable() })),
});

export const intakeWarningView = z.object({
  allegationId: uuid,
  reference,
  candidateId: uuid,
  candidateReference: reference,
  score: z.number(),
  label: z.string(),
  choice: z.enum(['duplicate', 'associated', 'not_a_match', 'undecided']),
  reason: z.string(),
  decidedBy: z.string(),
  decidedAt: isoDateTime,
});

export const candidateList = z.object({
  current: linkSide,
  candidates: z.array(candidateView),
  threshold: z.number(),
  strong: z.number(),
  /** Suggested candidates without a judgement (or back after a "not a match"). */
  open: z.number().int(),
  scored: z.number().int(),
  tookMs: z.number(),
});

export const judgementView = z.object({
  id: uuid,
  /** The other allegation of the pair, seen from the one asked about. */
  otherId: uuid,
  otherReference: reference,
  judgement: z.enum(LINK_JUDGEMENTS),
  reason: z.string(),
  score: z.number().nullable(),
  summary: z.string(),
  decidedBy: z.string(),
  decidedAt: isoDateTime,
  /** A later judgement on the same pair replaced this one (it is kept). */
  superseded: z.boolean(),
});
export type JudgementView = z.infer<typeof judgementView>;

export const CHART_NODE_KINDS = ['allegation', 'person', 'address', 'business', 'phone'] as const;
export type ChartNodeKind = (typeof CHART_NODE_KINDS)[number];

export const groupView = z.object({
  allegationId: uuid,
  members: z.array(
    z.object({
      id: uuid,
      reference,
      receivedAt: isoDateTime,
      status: z.enum(STATUSES),
      unit: z.string().nullable(),
      outcome: z.enum(OUTCOMES).nullable(),
      mainSubject: z.string(),
    }),
  ),
  links: z.array(z.object({ a: uuid, b: uuid, aReference: reference, bReference: reference, judgement: z.enum(['duplicate', 'associated']), reason: z.string(), decidedBy: z.string(), decidedAt: isoDateTime })),
  /** The link chart: allegations and the people, addresses, businesses and phones they hold; shared ones join them. */
  chart: z.object({
    nodes: z.array(z.object({ id: z.string(), kind: z.enum(CHART_NODE_KINDS), label: z.string(), allegations: z.array(reference) })),
    edges: z.array(z.object({ id: z.string(), source: z.string(), target: z.string(), label: z.string() })),
  }),
  /** More were linked than the chart shows. */
  truncated: z.boolean(),
});
export type GroupView = z.infer<typeof groupView>;

export const linksApi = {
  'links.candidates': procedure({
    summary: 'Candidates for a stored allegation: possible duplicates and associates, each with its score, explanation and any judgement already recorded.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid, limit: z.number().int().min(1).max(50).default(6), includeWeak: z.boolean().default(true) }),
    output: candidateList,
  }),
  'links.draftCandidates': procedure({
    summary: "Candidates for a form being typed (live): the reporter's identifiers are withheld from the account before matching.",
    access: 'signed_in',
    mutates: false,
    input: z.object({ form: allegationFormShape, allegationId: uuid.optional(), limit: z.number().int().min(1).max(20).default(5) }),
    output: candidateList,
  }),
  'links.judge': procedure({
    summary: 'Record a judgement on a pair: same allegation (duplicate), associated, or not a match — with the reason, who and when.',
    access: LINK_ROLES,
    mutates: true,
    input: z.object({ allegationId: uuid, otherId: uuid, judgement: z.enum(LINK_JUDGEMENTS), reason }),
    output: judgementView,
  }),
  'links.judgements': procedure({
    summary: 'Every judgement recorded on pairs that include this allegation, latest first (superseded ones are kept).',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: z.object({ judgements: z.array(judgementView), intakeWarnings: z.array(intakeWarningView) }),
  }),
  'links.group': procedure({
    summary: 'The group of records linked to this one (duplicates and associates, through any chain of judgements) and its link chart.',
    access: 'signed_in',
    mutates: false,
    input: z.object({ allegationId: uuid }),
    output: groupView,
  }),
  'links.review': procedure({
    summary: 'Record that the candidates were cross-checked; refused while a suggested candidate has no judgement.',
    access: LINK_ROLES,
    mutates: true,
    input: z.object({ allegationId: uuid, note: z.string().trim().max(2000).default('') }),
    output: reviewView,
  }),
} as const;
