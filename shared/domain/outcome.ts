// What makes an outcome valid (DOMAIN.md, "Assessment"; 000 §3.7, §4.3, §4.11-4.19): the rules in one place, so
// that the core refuses an invalid outcome and the screen says in advance what is still missing, in the same words.
// - The candidates were cross-checked: a review is recorded, and no suggested candidate is left without a
//   person's judgement (24% of one sample were undetected duplicates, 000 §4.12).
// - Background checks on Home Office systems are recorded before any outcome when a full name or a full
//   address is known (000 §4.17-4.19: half the NFA non-actionable sample had none).
// - Actioned carries at least one action, and an action counts only once it is recorded with its recipient (an
//   allegation is not "actioned" until an action exists: a third of "actioned" cases had none, 000 §4.3); NFA
//   non-actionable carries its reason; "duplicate" names the linked original (an earlier allegation judged the same).
import { OUTCOME_ACTIONS, type CheckSystem, type NfaReason, type Outcome, type OutcomeAction, type Status } from './vocabularies.ts';
import { parseUkPostcode } from '../text/normalise.ts';

/** The Home Office systems whose checks count as background checks (000 §4.17-4.19; 004 §5.13). */
export const HOME_OFFICE_SYSTEMS: readonly CheckSystem[] = ['cid_atlas', 'crs', 'pnc', 'warnings_index', 'nod'];

export const CHECK_FINDINGS = ['recorded', 'no_trace', 'trace', 'not_possible'] as const;
export type CheckFinding = (typeof CHECK_FINDINGS)[number];
export const CHECK_FINDING_LABELS: Record<CheckFinding, string> = {
  recorded: 'Result recorded',
  no_trace: 'No trace',
  trace: 'Trace found',
  not_possible: 'Could not be done',
};

/** Statuses from which an outcome can be chosen: assessed and being worked. */
export const OUTCOME_FROM: readonly Status[] = ['triaged', 'in_research', 'with_ice'];

/** What a compliance officer confirms having checked before approving an outcome (000 §4.38-4.39). */
export const SIGNOFF_EVIDENCE = ['checks_reviewed', 'cross_check_reviewed', 'outcome_category_correct', 'actions_evidenced', 'source_protected'] as const;
export type SignoffEvidence = (typeof SIGNOFF_EVIDENCE)[number];
export const SIGNOFF_EVIDENCE_LABELS: Record<SignoffEvidence, string> = {
  checks_reviewed: 'Background checks recorded and read',
  cross_check_reviewed: 'Cross-check against existing allegations reviewed (duplicates and links)',
  outcome_category_correct: 'Outcome category is right for what the record shows',
  actions_evidenced: 'Actions or NFA reason are supported by the record',
  source_protected: 'Source details only in the restricted pane',
};

export interface NamedSubject {
  forename: string;
  surname: string;
}
export interface LocatedAddress {
  line1: string;
  town: string;
  postcode: string;
}

/** A full name: a forename (more than an initial) and a surname. */
export function hasFullName(subjects: readonly NamedSubject[]): boolean {
  return subjects.some((s) => s.forename.replace(/[^\p{L}]/gu, '').length >= 2 && s.surname.replace(/[^\p{L}]/gu, '').length >= 2);
}

/** A full address: a first line with the town or a complete postcode. */
export function hasFullAddress(addresses: readonly LocatedAddress[]): boolean {
  return addresses.some((a) => a.line1.trim().length > 0 && (a.town.trim().length > 0 || parseUkPostcode(a.postcode).postcode !== null));
}

export interface OpenCandidate {
  allegationId: string;
  reference: string;
  score: number;
  label: string;
  reproposed: boolean;
}

export interface DuplicateOriginal {
  allegationId: string;
  reference: string;
  receivedAt: string;
  /** Background checks recorded on the original (they count for its duplicate). */
  homeOfficeChecks: number;
}

/** Everything the rules need to know about the allegation. */
export interface OutcomeFacts {
  status: Status;
  fullName: boolean;
  fullAddress: boolean;
  /** Checks recorded on Home Office systems for this allegation. */
  homeOfficeChecks: number;
  reviewedAt: string | null;
  /** Suggested candidates (at or above the threshold) that no person has judged, or that came back. */
  openCandidates: readonly OpenCandidate[];
  /** Earlier allegations judged the same allegation as this one. */
  originals: readonly DuplicateOriginal[];
  /** The kinds of action recorded on the allegation with their recipients (disseminations, markers). */
  recordedActions: readonly OutcomeAction[];
}

export interface OutcomeChoice {
  outcome: Outcome;
  actions: readonly OutcomeAction[];
  nfaReason: NfaReason | null;
  duplicateOf: string | null;
  rationale: string;
}

export interface Requirement {
  key: 'status' | 'review' | 'candidates' | 'checks';
  met: boolean;
  text: string;
}

export const MIN_RATIONALE = 10;

/** What must be true before any outcome, each with the words the screen shows. */
export function outcomeRequirements(f: OutcomeFacts): Requirement[] {
  const out: Requirement[] = [];
  out.push(
    OUTCOME_FROM.includes(f.status)
      ? { key: 'status', met: true, text: 'Initial assessment recorded' }
      : {
          key: 'status',
          met: false,
          text: f.status === 'new' ? 'Record the initial assessment first' : f.status === 'closed' ? 'The case is closed' : 'An outcome is already awaiting the compliance officer',
        },
  );
  const open = f.openCandidates;
  out.push(
    open.length === 0
      ? { key: 'candidates', met: true, text: 'Every suggested candidate has a judgement' }
      : {
          key: 'candidates',
          met: false,
          text: `${open.map((c) => c.reference).join(', ')} ${open.length === 1 ? 'is' : 'are'} suggested as ${open.length === 1 ? 'a match' : 'matches'} and not yet judged${open.some((c) => c.reproposed) ? ' (new evidence since a "not a match")' : ''}: decide ${open.length === 1 ? 'it' : 'each'} in the duplicate/link panel`,
        },
  );
  out.push(
    f.reviewedAt
      ? { key: 'review', met: true, text: 'Cross-check against existing allegations recorded' }
      : { key: 'review', met: false, text: 'Record the cross-check against existing allegations (the duplicate/link panel)' },
  );
  const needChecks = f.fullName || f.fullAddress;
  const what = [f.fullName ? 'a full name' : '', f.fullAddress ? 'a full address' : ''].filter(Boolean).join(' and ');
  if (needChecks) {
    const viaOriginal = f.originals.some((o) => o.homeOfficeChecks > 0);
    out.push(
      f.homeOfficeChecks > 0
        ? { key: 'checks', met: true, text: `Background checks recorded (${f.homeOfficeChecks} on Home Office systems)` }
        : {
            key: 'checks',
            met: false,
            text: `The record has ${what}: record background checks on Home Office systems (CID/Atlas, CRS, PNC, Warnings Index, NOD) first${viaOriginal ? ', or choose NFA — duplicate, whose original has them' : ''}`,
          },
    );
  } else {
    out.push({ key: 'checks', met: true, text: 'No full name or address: background checks not required' });
  }
  return out;
}

export interface OutcomeProblem {
  field: string;
  message: string;
}

/** Why this outcome cannot be recorded now; empty when it can. */
export function outcomeProblems(f: OutcomeFacts, c: OutcomeChoice): OutcomeProblem[] {
  const problems: OutcomeProblem[] = [];
  for (const r of outcomeRequirements(f)) {
    if (r.met) continue;
    // A duplicate's background checks may be those recorded on its original.
    if (r.key === 'checks' && c.outcome === 'nfa_non_actionable' && c.nfaReason === 'duplicate') {
      const original = f.originals.find((o) => o.allegationId === c.duplicateOf);
      if (original && original.homeOfficeChecks > 0) continue;
    }
    problems.push({ field: r.key, message: r.text });
  }
  // An action counts only once it is recorded with its recipient (the desk knows them; the server sees the choice).
  if (c.outcome === 'actioned') {
    const unrecorded = c.actions.filter((a) => OUTCOME_ACTIONS.includes(a) && !f.recordedActions.includes(a));
    if (f.recordedActions.length === 0) problems.push({ field: 'actions', message: 'Actioned needs at least one action recorded with its recipient (tasked, disseminated or flagged): record it in the Actions panel first' });
    else if (unrecorded.length) problems.push({ field: 'actions', message: `${unrecorded.join(', ')} ${unrecorded.length === 1 ? 'is' : 'are'} not recorded: record who received ${unrecorded.length === 1 ? 'it' : 'them'} in the Actions panel first` });
  }
  problems.push(...choiceProblems(c, f.originals).filter((p) => !(p.field === 'actions' && c.outcome === 'actioned' && f.recordedActions.length === 0 && c.actions.length === 0)));
  return problems;
}

/**
 * What is wrong with the choice itself: actions only with actioned, the NFA reason only with NFA non-actionable,
 * an original named by NFA — duplicate (one of `originals` when the caller knows them; the server, which does not
 * rebuild the judgements, checks only that one is named), and a rationale.
 */
export function choiceProblems(c: OutcomeChoice, originals?: readonly DuplicateOriginal[]): OutcomeProblem[] {
  const problems: OutcomeProblem[] = [];
  if (c.outcome === 'actioned') {
    if (c.actions.length === 0) problems.push({ field: 'actions', message: 'Actioned needs at least one action (tasked, disseminated or flagged)' });
    if (c.actions.some((a) => !OUTCOME_ACTIONS.includes(a))) problems.push({ field: 'actions', message: 'Unknown action' });
    if (c.nfaReason) problems.push({ field: 'nfaReason', message: 'An NFA reason belongs only to NFA non-actionable' });
  } else {
    if (c.actions.length) problems.push({ field: 'actions', message: 'Actions belong to an actioned outcome; NFA has none' });
    if (c.outcome === 'nfa_non_actionable' && !c.nfaReason) problems.push({ field: 'nfaReason', message: 'Choose why it is not actionable' });
    if (c.outcome === 'nfa_actionable' && c.nfaReason) problems.push({ field: 'nfaReason', message: 'NFA actionable has no NFA reason: it was actionable' });
  }
  if (c.outcome === 'nfa_non_actionable' && c.nfaReason === 'duplicate') {
    if (originals?.length === 0 || (!originals && !c.duplicateOf)) problems.push({ field: 'duplicateOf', message: 'NFA — duplicate needs a linked original: judge the earlier allegation "same allegation (duplicate)" first' });
    else if (originals && (!c.duplicateOf || !originals.some((o) => o.allegationId === c.duplicateOf))) problems.push({ field: 'duplicateOf', message: 'Choose the original among the earlier allegations judged the same' });
  } else if (c.duplicateOf) {
    problems.push({ field: 'duplicateOf', message: 'Only NFA — duplicate names an original' });
  }
  if (c.rationale.trim().length < MIN_RATIONALE) problems.push({ field: 'rationale', message: `Say why this outcome (at least ${MIN_RATIONALE} characters)` });
  return problems;
}
