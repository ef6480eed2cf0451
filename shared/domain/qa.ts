// Quality assurance (000 §4.38-4.41; 004 §7.35-7.54): the compliance officer's checklist on every case before it
// closes (SIGNOFF_EVIDENCE, shared/domain/outcome.ts), and each manager's sample checks: a random sample of the
// cases their unit closed in a month, each read again against a checklist, with what was found. Management
// information shows how much of the work was assured (the inspection found evidence of it in 14% of cases).

/** What a sample check can find wrong, each traced to a finding of the inspections. */
export const QA_FINDINGS = [
  'outcome_category_wrong',
  'checks_missing',
  'cross_check_missing',
  'form_incomplete',
  'scan_missing',
  'source_exposed',
  'assessment_late',
  'grading_wrong',
  'not_followed_up',
  'other',
] as const;
export type QaFinding = (typeof QA_FINDINGS)[number];
export const QA_FINDING_LABELS: Record<QaFinding, string> = {
  outcome_category_wrong: 'Outcome in the wrong category (000 §4.3, §4.11)',
  checks_missing: 'Background checks missing or not recorded (000 §4.10, §4.17)',
  cross_check_missing: 'No cross-check against existing allegations; a duplicate missed (000 §4.12)',
  form_incomplete: 'Details left in attachments, not on the form (000 §4.26)',
  scan_missing: 'Original scan missing with no reason (000 §4.30)',
  source_exposed: 'Source details outside the restricted pane (000 §5.8)',
  assessment_late: 'Initial assessment later than 2 working days with no reason (000 §4.32)',
  grading_wrong: 'Grading or handling code not supported by the record',
  not_followed_up: 'Action not followed up to its result (000 §4.9, Figure 5)',
  other: 'Other (say what)',
};

export const QA_RESULTS = ['no_issues', 'issues'] as const;
export type QaResult = (typeof QA_RESULTS)[number];

/** How many of a unit's closed cases a month's sample takes: all of 5 or fewer, else a tenth, at least 5. */
export function sampleSize(closedInMonth: number): number {
  if (closedInMonth <= 5) return closedInMonth;
  return Math.max(5, Math.ceil(closedInMonth / 10));
}

/** "2026-03": the month a sample covers, by the UK date the cases closed. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
