// What management information counts, one group of figures at a time, each figure named by its group and key
// ("timeliness.buckets" / "3-5"). A group says which keys a fact counts under at a given moment; the same function
// counts the figures and finds the records behind any one of them, so a figure and its drill-down cannot
// disagree. Time enters only here: "overdue" is judged against the moment the figures are read.
import { TIMELINESS_BUCKETS } from '../domain/clock.ts';
import { CHANNELS, CHANNEL_LABELS, NFA_REASONS, NFA_REASON_LABELS, OUTCOME_ACTIONS, OUTCOME_ACTION_LABELS, REPORTER_TYPES, REPORTER_TYPE_LABELS, RISK_RATINGS, RISK_RATING_LABELS } from '../domain/vocabularies.ts';
import { RESULTS, RESULT_LABELS } from '../domain/dissemination.ts';
import type { MiFact } from './facts.ts';

/** The moment figures are read: the instant (ISO and epoch milliseconds) and its UK calendar date (yyyymmdd). */
export interface MiNow {
  iso: string;
  ms: number;
  day: number;
}

export interface MiGroup {
  /** "section.group": where the figures sit in the report. */
  id: string;
  title: string;
  /** What the figures count, in a sentence a manager can check. */
  definition: string;
  keys: readonly string[];
  labels: Readonly<Record<string, string>>;
  /** What a figure's share is of: every allegation in scope, the group's figures added up, or one of its keys. */
  share: 'total' | 'sum' | { key: string };
  /** The keys this fact counts under now (none, one or several). */
  of(f: MiFact, now: MiNow): readonly string[];
}

// Figures are counted over every fact in scope (tens of thousands per answer): the key lists a group returns are
// shared constants, never built per fact.
const NONE: readonly string[] = [];
const singles = new Map<string, readonly string[]>();
const one = (k: string): readonly string[] => {
  let list = singles.get(k);
  if (!list) {
    list = Object.freeze([k]);
    singles.set(k, list);
  }
  return list;
};
const keys = (...k: string[]): readonly string[] => Object.freeze(k);
const AWAITING_OVERDUE = keys('awaiting', 'awaiting_overdue');
const TC = {
  dismissed: keys('flagged', 'dismissed'),
  met: keys('flagged', 'met'),
  missed: keys('flagged', 'missed'),
  notRecorded: keys('flagged', 'not_recorded'),
  openOverdue: keys('flagged', 'open', 'open_overdue'),
  open: keys('flagged', 'open'),
};
const OPEN_OVERDUE = keys('open', 'overdue');
const CLOSED_SIGNED = keys('closed', 'signed_off');
const CLOSED_UNSIGNED = keys('closed', 'without_signoff');
const SAMPLE = { issues: keys('sampled', 'checked', 'with_issues'), checked: keys('sampled', 'checked') };
const standardKeys = new Map<string, readonly string[]>();
const standard = (rating: string, state: string, overdue = false): readonly string[] => {
  const id = `${rating}:${state}:${overdue}`;
  let list = standardKeys.get(id);
  if (!list) {
    list = overdue ? keys(`${rating}:${state}`, `${rating}:overdue`) : keys(`${rating}:${state}`);
    standardKeys.set(id, list);
  }
  return list;
};
const paperKeys = { attached: keys('paper', 'attached'), reason: keys('paper', 'reason'), missing: keys('paper', 'missing') };
const labelsOf = <K extends string>(keys: readonly K[], labels: Record<K, string>) => Object.fromEntries(keys.map((k) => [k, labels[k]]));

/** The keys whose bits are set in a mask, one shared list per mask and key list. */
const masks = new WeakMap<readonly string[], Map<number, readonly string[]>>();
function bits(mask: number, list: readonly string[]): readonly string[] {
  if (!mask) return NONE;
  let byMask = masks.get(list);
  if (!byMask) {
    byMask = new Map();
    masks.set(list, byMask);
  }
  let out = byMask.get(mask);
  if (!out) {
    const set: string[] = [];
    for (let i = 0; i < list.length; i++) if (mask & (1 << i)) set.push(list[i] as string);
    out = Object.freeze(set);
    byMask.set(mask, out);
  }
  return out;
}

const RESULT_KEYS: readonly string[] = [...RESULTS, 'awaiting'];
const SOURCE_KEYS: readonly string[] = ['with_source', 'withheld', 'awaiting_sanitised'];
const TARGET_KEYS = ['within', 'late', 'awaiting', 'awaiting_overdue', 'not_recorded'] as const;
const TC_KEYS = ['flagged', 'dismissed', 'met', 'missed', 'open', 'open_overdue', 'not_recorded'] as const;
const STANDARD_KEYS = ['met', 'missed', 'open', 'overdue'] as const;
const OUTCOME_KEYS = ['actioned', 'nfa_actionable', 'nfa_non_actionable', 'undecided', 'legacy'] as const;

export const MI_GROUPS: readonly MiGroup[] = [
  {
    id: 'timeliness.buckets',
    share: 'sum',
    title: 'Working days to initial assessment (Figure 8)',
    definition: 'Allegations received in the period by working days from receipt to initial assessment, counted in the owning unit’s calendar (weekends and its bank holidays excluded). Not known: no assessment recorded.',
    keys: TIMELINESS_BUCKETS,
    labels: Object.fromEntries(TIMELINESS_BUCKETS.map((b) => [b, b === 'not known' ? 'Not known' : `${b} days`])),
    of: (f) => one(f.timeliness),
  },
  {
    id: 'timeliness.target',
    share: 'total',
    title: 'Against the 2-working-day target',
    definition: 'Within: assessed within 2 working days. Late: assessed after. Awaiting: not yet assessed (overdue once its due time has passed). Not recorded: concluded on a legacy system with no assessment date.',
    keys: TARGET_KEYS,
    labels: { within: 'Within 2 working days', late: 'Late', awaiting: 'Awaiting assessment', awaiting_overdue: 'Awaiting, overdue', not_recorded: 'Assessment date not recorded' },
    of: (f, now) => {
      if (f.assessDays !== null) return one(f.assessDays <= 2 ? 'within' : 'late');
      if (f.status !== 'new') return one('not_recorded');
      return f.assessmentDueAt !== null && f.assessmentDueAt < now.ms ? AWAITING_OVERDUE : one('awaiting');
    },
  },
  {
    id: 'timeCritical.standard',
    share: { key: 'flagged' },
    title: 'Time-critical: action within 24 hours (000 §4.35)',
    definition: 'Flagged: time-critical content found on receipt. Dismissed: the flag was dismissed with a reason. Met: assessed within 24 hours of receipt; missed: assessed later; open: not yet assessed (overdue after 24 hours). Not recorded: concluded on a legacy system with no assessment date.',
    keys: TC_KEYS,
    labels: { flagged: 'Flagged on receipt', dismissed: 'Flag dismissed', met: 'Met (within 24 hours)', missed: 'Missed', open: 'Open', open_overdue: 'Open, past 24 hours', not_recorded: 'Assessment not recorded' },
    of: (f, now) => {
      if (!f.timeCriticalState) return NONE;
      if (f.timeCriticalState === 'dismissed') return TC.dismissed;
      if (f.timeCriticalMet !== null) return f.timeCriticalMet ? TC.met : TC.missed;
      if (f.status !== 'new') return TC.notRecorded;
      return f.timeCriticalDueAt !== null && f.timeCriticalDueAt < now.ms ? TC.openOverdue : TC.open;
    },
  },
  {
    id: 'riskRatings.assigned',
    share: 'sum',
    title: 'Risk ratings given on assessment (000 §3.8)',
    definition: 'The risk rating recorded at initial assessment, which sets the service standard for developing the information.',
    keys: [...RISK_RATINGS, 'not_assessed'],
    labels: { ...labelsOf(RISK_RATINGS, RISK_RATING_LABELS), not_assessed: 'Not rated' },
    of: (f) => one(f.riskRating ?? 'not_assessed'),
  },
  {
    id: 'riskRatings.standard',
    share: 'total',
    title: 'Service standards met, by risk rating',
    definition: 'Met: an outcome was chosen within the standard the risk rating set (immediate, 4 hours, 48 hours, 30 days from assessment). Missed: chosen later. Open: no outcome yet (overdue once the standard has passed).',
    keys: RISK_RATINGS.flatMap((r) => STANDARD_KEYS.map((k) => `${r}:${k}`)),
    labels: Object.fromEntries(RISK_RATINGS.flatMap((r) => STANDARD_KEYS.map((k) => [`${r}:${k}`, `${RISK_RATING_LABELS[r]}: ${k}`]))),
    of: (f, now) => {
      if (!f.riskRating || f.serviceDueAt === null) return NONE;
      if (f.serviceMet !== null) return standard(f.riskRating, f.serviceMet ? 'met' : 'missed');
      if (f.outcome || f.legacyOutcome) return NONE;
      return standard(f.riskRating, 'open', f.serviceDueAt < now.ms);
    },
  },
  {
    id: 'outcomes.category',
    share: 'sum',
    title: 'Outcomes (000 §3.7)',
    definition: 'The outcome in force. Undecided: still being worked. Legacy: concluded on a legacy system with no outcome category recorded (the inspection found a third wrongly categorised, 000 §4.3).',
    keys: OUTCOME_KEYS,
    labels: { actioned: 'Actioned', nfa_actionable: 'NFA — actionable', nfa_non_actionable: 'NFA — non-actionable', undecided: 'Undecided', legacy: 'Legacy, no category' },
    of: (f) => one(f.outcome ?? (f.legacyOutcome ? 'legacy' : 'undecided')),
  },
  {
    id: 'outcomes.nfaReason',
    share: 'sum',
    title: 'Why not actionable',
    definition: 'The reason recorded for NFA non-actionable outcomes.',
    keys: NFA_REASONS,
    labels: labelsOf(NFA_REASONS, NFA_REASON_LABELS),
    of: (f) => (f.outcome === 'nfa_non_actionable' && f.nfaReason ? one(f.nfaReason) : NONE),
  },
  {
    id: 'outcomes.action',
    share: 'total',
    title: 'Actions recorded (Figure 2)',
    definition: 'Allegations with at least one action of each kind recorded with its recipient (one allegation may have several).',
    keys: OUTCOME_ACTIONS,
    labels: labelsOf(OUTCOME_ACTIONS, OUTCOME_ACTION_LABELS),
    of: (f) => bits(f.actions, OUTCOME_ACTIONS),
  },
  {
    id: 'outcomes.result',
    share: 'total',
    title: 'Results of actions (000 §4.9)',
    definition: 'What recipients reported back, by allegation (one allegation may have several results), and allegations with actions still awaiting a result.',
    keys: RESULT_KEYS,
    labels: { ...labelsOf(RESULTS, RESULT_LABELS), awaiting: 'Awaiting a result' },
    of: (f) => (f.awaitingResults > 0 ? bits(f.results | (1 << RESULTS.length), RESULT_KEYS) : bits(f.results, RESULT_KEYS)),
  },
  {
    id: 'reporters.type',
    share: 'sum',
    title: 'Who reported (Figure 10)',
    definition: 'The reporter type recorded on the allegation.',
    keys: REPORTER_TYPES,
    labels: labelsOf(REPORTER_TYPES, REPORTER_TYPE_LABELS),
    of: (f) => one(f.reporterType),
  },
  {
    id: 'reporters.channel',
    share: 'sum',
    title: 'How it arrived',
    definition: 'The channel recorded on the allegation (online form and email told apart, 000 §4.23).',
    keys: CHANNELS,
    labels: labelsOf(CHANNELS, CHANNEL_LABELS),
    of: (f) => one(f.channel),
  },
  {
    id: 'dataQuality.form',
    share: 'sum',
    title: 'Electronic form complete (Figure 6)',
    definition: 'Complete: an offence type, a named subject or a business, a located address (full postcode, or first line and town) and an account of at least 20 characters.',
    keys: ['complete', 'incomplete'],
    labels: { complete: 'Complete', incomplete: 'Incomplete' },
    of: (f) => one(f.formComplete ? 'complete' : 'incomplete'),
  },
  {
    id: 'dataQuality.paperScan',
    share: { key: 'paper' },
    title: 'Letters and faxes: original scan (000 §4.30)',
    definition: 'Allegations received by letter or fax: with the original scan attached, without it but with a recorded reason, or missing both.',
    keys: ['paper', 'attached', 'reason', 'missing'],
    labels: { paper: 'Letters and faxes', attached: 'Scan attached', reason: 'Reason recorded', missing: 'Missing, no reason' },
    of: (f) => (f.paper ? (f.scanAttached ? paperKeys.attached : f.scanReason ? paperKeys.reason : paperKeys.missing) : NONE),
  },
  {
    id: 'dataQuality.source',
    share: 'total',
    title: 'Source details in the restricted pane (000 §5.8)',
    definition: 'With source: source details held in the restricted pane. Withheld: the source was also named outside the pane (a scan, the account) and the desk moved it into restricted storage. Awaiting sanitised copy: a scan names its writer and its sanitised copy is not made yet (the original stays restricted meanwhile).',
    keys: SOURCE_KEYS,
    labels: { with_source: 'With source details', withheld: 'Found outside the pane, withheld', awaiting_sanitised: 'Scan awaiting sanitised copy' },
    of: (f) => bits(f.hasSource | (f.sourceWithheld << 1) | (f.sourceAwaitingSanitised << 2), SOURCE_KEYS),
  },
  {
    id: 'grading.assessed',
    share: 'sum',
    title: 'Graded (3x5x2)',
    definition: 'Of the allegations assessed here, those with a complete 3x5x2 grading and harm rating.',
    keys: ['graded', 'ungraded'],
    labels: { graded: 'Graded', ungraded: 'Not graded' },
    of: (f) => (f.assessDays === null ? NONE : one(f.graded ? 'graded' : 'ungraded')),
  },
  {
    id: 'assurance.closure',
    share: { key: 'closed' },
    title: 'Compliance sign-off with evidence (000 §4.39)',
    definition: 'Closed allegations, and of them those closed by a compliance officer who confirmed every checklist item; the others were closed on a legacy system.',
    keys: ['closed', 'signed_off', 'without_signoff'],
    labels: { closed: 'Closed', signed_off: 'Signed off with evidence', without_signoff: 'Closed without evidence' },
    of: (f) => (f.closed ? (f.signedOff ? CLOSED_SIGNED : CLOSED_UNSIGNED) : NONE),
  },
  {
    id: 'assurance.sample',
    share: { key: 'sampled' },
    title: 'Managers’ sample checks',
    definition: 'Allegations drawn into a manager’s monthly random sample, those checked, and those where the check found issues.',
    keys: ['sampled', 'checked', 'with_issues'],
    labels: { sampled: 'Sampled', checked: 'Checked', with_issues: 'Issues found' },
    of: (f) => (f.qaSampled ? (f.qaChecked ? (f.qaIssues ? SAMPLE.issues : SAMPLE.checked) : one('sampled')) : NONE),
  },
  {
    id: 'followUps.due',
    share: 'total',
    title: 'Follow-ups of actions',
    definition: 'Allegations with actions awaiting a result, and those whose earliest follow-up date has passed.',
    keys: ['open', 'overdue'],
    labels: { open: 'Awaiting a result', overdue: 'Follow-up overdue' },
    of: (f, now) => (f.awaitingResults > 0 ? (f.followUpDue !== null && f.followUpDue < now.day ? OPEN_OVERDUE : one('open')) : NONE),
  },
];

/** What the figures of a group are shares of (see MiGroup.share). */
export function shareBase(g: MiGroup, counts: Readonly<Record<string, number>>, total: number): number {
  if (g.share === 'total') return total;
  if (g.share === 'sum') return g.keys.reduce((n, k) => n + (counts[k] ?? 0), 0);
  return counts[g.share.key] ?? 0;
}

/** "61.0%", or a dash when there is nothing to take a share of. */
export function percent(n: number, of: number): string {
  return of > 0 ? `${(Math.round((1000 * n) / of) / 10).toFixed(1)}%` : '—';
}

const BY_ID = new Map(MI_GROUPS.map((g) => [g.id, g]));
export function miGroup(id: string): MiGroup | undefined {
  return BY_ID.get(id);
}

/** The columns of the breakdown table (by unit, region or month): each one figure of a group. */
export const BREAKDOWN_COLUMNS: ReadonlyArray<{ id: string; label: string; group: string; key: string }> = [
  { id: 'within', label: 'Assessed within 2 days', group: 'timeliness.target', key: 'within' },
  { id: 'late', label: 'Assessed late', group: 'timeliness.target', key: 'late' },
  { id: 'awaiting_overdue', label: 'Awaiting, overdue', group: 'timeliness.target', key: 'awaiting_overdue' },
  { id: 'tc_missed', label: 'Time-critical missed', group: 'timeCritical.standard', key: 'missed' },
  { id: 'actioned', label: 'Actioned', group: 'outcomes.category', key: 'actioned' },
  { id: 'form_incomplete', label: 'Form incomplete', group: 'dataQuality.form', key: 'incomplete' },
  { id: 'scan_missing', label: 'Scan missing', group: 'dataQuality.paperScan', key: 'missing' },
  { id: 'without_signoff', label: 'Closed without evidence', group: 'assurance.closure', key: 'without_signoff' },
  { id: 'followups_overdue', label: 'Follow-ups overdue', group: 'followUps.due', key: 'overdue' },
];
