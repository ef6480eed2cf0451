// Dissemination tracked to its result (000 §4.6-4.9, Figure 5; 004 §7.1-7.7): every action names who received
// it, when, by whom and what was sent, and falls due for follow-up by rule; the recipient's result comes back onto
// the allegation. Sharing with another department carries its legal basis and agreement reference (003 §3.5,
// Figure "Agreed objective(s)"). A report leaves graded (3x5x2) and sanitised of source details (000 §5.6).
import { addWorkingDays, ukDate } from './clock.ts';
import type { HolidayJurisdiction } from './units.ts';
import type { OutcomeAction, RiskRating } from './vocabularies.ts';

/** Who receives an action. A marker on a Home Office system is an action too, and is followed up like one. */
export const RECIPIENT_TYPES = ['ice_team', 'crime_team', 'other_unit', 'home_office', 'other_department', 'system_marker'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];
export const RECIPIENT_TYPE_LABELS: Record<RecipientType, string> = {
  ice_team: 'ICE team',
  crime_team: 'Crime team',
  other_unit: 'Another intelligence unit',
  home_office: 'Another part of the Home Office (casework, visa post, Border Force)',
  other_department: 'Another department or agency (police, HMRC, DWP…)',
  system_marker: 'Marker on a Home Office system',
};

/** The Figure 2 action each kind of recipient evidences. */
export const ACTION_RECIPIENTS: Record<OutcomeAction, readonly RecipientType[]> = {
  tasked_ice: ['ice_team'],
  tasked_crime: ['crime_team'],
  disseminated_internal: ['other_unit', 'home_office'],
  disseminated_external: ['other_department'],
  flagged_cid: ['system_marker'],
  flagged_crs: ['system_marker'],
  flagged_wi: ['system_marker'],
};

/** Actions that send the intelligence report: it must be graded before it goes (issue 20). */
export const REPORT_ACTIONS: readonly OutcomeAction[] = ['tasked_ice', 'tasked_crime', 'disseminated_internal', 'disseminated_external'];
export const MARKER_SYSTEMS: Partial<Record<OutcomeAction, string>> = { flagged_cid: 'CID', flagged_crs: 'CRS', flagged_wi: 'Warnings Index' };

/** What the recipient did (000 §4.5: visits, arrests; 004 §7.27: no trace, not actioned and why). */
export const RESULTS = ['visited', 'arrested', 'no_trace', 'not_actioned', 'marker_placed', 'other'] as const;
export type DisseminationResult = (typeof RESULTS)[number];
export const RESULT_LABELS: Record<DisseminationResult, string> = {
  visited: 'Visited',
  arrested: 'Arrested',
  no_trace: 'No trace',
  not_actioned: 'Not actioned',
  marker_placed: 'Marker placed',
  other: 'Other result',
};
/** Results that need a reason or detail: why nothing came of it, or what did. */
export const RESULTS_NEEDING_REASON: readonly DisseminationResult[] = ['no_trace', 'not_actioned', 'other'];

/** Debrief of an operation (004 §7.1-7.7: no template existed; a note like "no offenders encountered" was typical). */
export const DEBRIEF_FIELDS = ['operationDate', 'officerInCharge', 'premises', 'encountered', 'arrests', 'observations'] as const;

export interface FollowUpRule {
  /** Working days after sending. */
  workingDays: number;
  /** Why this many, in words. */
  rule: string;
}

const RECIPIENT_DAYS: Record<RecipientType, FollowUpRule> = {
  // Tasking and pre-tasking meet about monthly; most actioned cases conclude within three months (000 §4.2).
  ice_team: { workingDays: 20, rule: 'ICE tasking: 20 working days' },
  crime_team: { workingDays: 20, rule: 'Crime team tasking: 20 working days' },
  other_unit: { workingDays: 5, rule: 'Another unit: 5 working days' },
  // The visa post in Figure 5 promised an alert and added it a month late, after the visa was issued.
  home_office: { workingDays: 5, rule: 'Another part of the Home Office: 5 working days' },
  // Departments' agreements allow 5 (DWP) to 10 (DfE) working days for a return (003 §6.54, §6.110).
  other_department: { workingDays: 10, rule: 'Another department: 10 working days (the agreement may set fewer)' },
  system_marker: { workingDays: 2, rule: 'Marker on a system: confirm it is in place within 2 working days' },
};

/** The follow-up rule for an action: the recipient's, shortened by an urgent risk rating or a time-critical case. */
export function followUpRule(type: RecipientType, rating: RiskRating | null, timeCritical: boolean): FollowUpRule {
  const base = RECIPIENT_DAYS[type];
  if (timeCritical || rating === 'immediate' || rating === 'four_hours') return { workingDays: 1, rule: `${base.rule}; ${timeCritical ? 'time-critical' : 'urgent risk rating'}: next working day` };
  if (rating === 'forty_eight_hours' && base.workingDays > 2) return { workingDays: 2, rule: `${base.rule}; 48-hour risk rating: 2 working days` };
  return base;
}

/** When the follow-up falls due: the end of that working day (UK), in the owning unit's calendar. */
export function followUpDue(sentAt: Date, rule: FollowUpRule, jurisdiction: HolidayJurisdiction): string {
  return addWorkingDays(ukDate(sentAt), rule.workingDays, jurisdiction);
}

export interface DisseminationInput {
  action: OutcomeAction;
  recipientType: RecipientType;
  recipient: string;
  legalBasis: string;
  agreementRef: string;
}

export interface DisseminationProblem {
  field: string;
  message: string;
}

/** What stops an action from being recorded; `graded` says whether the allegation carries a complete grading. */
export function disseminationProblems(d: DisseminationInput, graded: boolean): DisseminationProblem[] {
  const out: DisseminationProblem[] = [];
  if (!ACTION_RECIPIENTS[d.action].includes(d.recipientType)) {
    out.push({ field: 'recipientType', message: `${RECIPIENT_TYPE_LABELS[d.recipientType]} is not a recipient of this action` });
  }
  if (d.recipient.trim().length < 2) out.push({ field: 'recipient', message: 'Name the recipient: the team, unit, department or system' });
  if (d.recipientType === 'other_department') {
    if (d.legalBasis.trim().length < 5) out.push({ field: 'legalBasis', message: 'Sharing with another department needs its legal basis (the statutory gateway)' });
    if (d.agreementRef.trim().length < 2) out.push({ field: 'agreementRef', message: 'Sharing with another department needs the reference of the agreement (MoU) it is made under' });
  }
  if (REPORT_ACTIONS.includes(d.action) && !graded) out.push({ field: 'grading', message: 'Grade the allegation (3x5x2 and harm) before its report is sent: a report cannot leave ungraded' });
  return out;
}

/** Whether a follow-up is overdue at `now`: due before today (UK) and no result recorded. */
export function followUpOverdue(due: string | null, hasResult: boolean, now: Date): boolean {
  return !hasResult && due !== null && due < ukDate(now);
}
