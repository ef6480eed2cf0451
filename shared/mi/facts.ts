// The management-information fact of one allegation: a flat row of what MI counts, derived from the record by
// one pure function, so that the desk (over its own store) and the server (over the national record) compute the
// same figures from the same rows (000 §6.5-6.6: MI a manager can trust). Nothing here depends on the time of
// reading: whether something is overdue is decided when the figures are read (shared/mi/measures.ts).
import { timelinessBucketOfDays, workingDaysBetween, type TimelinessBucket } from '../domain/clock.ts';
import { unitByCode, type Region } from '../domain/units.ts';
import { ukDate } from '../domain/uk-time.ts';
import { OUTCOME_ACTIONS, PAPER_CHANNELS, type Channel, type NfaReason, type Outcome, type OutcomeAction, type ReporterType, type RiskRating, type Status } from '../domain/vocabularies.ts';
import { RESULTS, type DisseminationResult } from '../domain/dissemination.ts';

/** What the reader gathers about one allegation: plain values any store can produce. */
export interface MiSource {
  allegationId: string;
  unit: string | null;
  receivedAt: string;
  channel: Channel;
  reporterType: ReporterType;
  status: Status;
  assessedAt: string | null;
  assessmentDueAt: string | null;
  timeCriticalState: 'detected' | 'confirmed' | 'dismissed' | null;
  timeCriticalDueAt: string | null;
  riskRating: RiskRating | null;
  /** The service standard the risk rating set on assessment (000 §3.8). */
  serviceDueAt: string | null;
  /** When an outcome was first chosen (the development the standard asks for was done). */
  firstOutcomeAt: string | null;
  outcome: Outcome | null;
  nfaReason: NfaReason | null;
  /** Actions recorded on the allegation (disseminations and markers), and what came back from them. */
  actions: readonly OutcomeAction[];
  results: readonly DisseminationResult[];
  /** Follow-up dates (UK) of actions still without a result. */
  openFollowUps: readonly string[];
  offences: number;
  /** Subjects with a name, and businesses. */
  namedSubjects: number;
  businesses: number;
  /** Addresses with a full postcode, or a first line and a town. */
  locatedAddresses: number;
  accountChars: number;
  attachments: number;
  scanMissingReason: string | null;
  hasSource: boolean;
  /** The source was named outside the pane (in a scan or the text) and the desk withheld it into restricted storage. */
  sourceWithheld: boolean;
  /** A scan names its writer and its sanitised copy is not made yet (the original stays restricted meanwhile). */
  sourceAwaitingSanitised: boolean;
  graded: boolean;
  /** An approved compliance sign-off (which needs every checklist item confirmed) on the outcome in force. */
  signedOff: boolean;
  qaSampled: boolean;
  qaChecked: boolean;
  qaIssues: boolean;
}

/**
 * The fact. Booleans are 0/1, sets are bit masks and moments are numbers (epoch milliseconds, or yyyymmdd for a UK
 * date), so that tens of thousands of facts are read and counted without making a string for each
 * (shared/mi/codec.ts stores them as integers).
 */
export interface MiFact {
  /** Filled where the records behind a figure are wanted; '' when only counting. */
  allegationId: string;
  unit: string | null;
  region: Region | null;
  /** UK calendar date of receipt (yyyymmdd): the period an allegation counts in. */
  receivedDay: number;
  channel: Channel;
  reporterType: ReporterType;
  status: Status;
  /** Working days from receipt to initial assessment, by the owning unit's calendar; null when not recorded. */
  assessDays: number | null;
  timeliness: TimelinessBucket;
  /** Epoch milliseconds. */
  assessmentDueAt: number | null;
  timeCriticalState: 'detected' | 'confirmed' | 'dismissed' | null;
  /** Epoch milliseconds. */
  timeCriticalDueAt: number | null;
  /** Assessed within the 24-hour standard: 1 yes, 0 no, null not yet assessed (or not time-critical). */
  timeCriticalMet: 0 | 1 | null;
  riskRating: RiskRating | null;
  /** Epoch milliseconds. */
  serviceDueAt: number | null;
  /** Outcome reached within the risk rating's standard: 1, 0, or null while none is chosen. */
  serviceMet: 0 | 1 | null;
  outcome: Outcome | null;
  nfaReason: NfaReason | null;
  /** Concluded on a legacy system (status actioned, NFA or closed) with no outcome recorded. */
  legacyOutcome: 0 | 1;
  actions: number;
  results: number;
  /** Actions still awaiting their result, and the earliest follow-up date among them (yyyymmdd). */
  awaitingResults: number;
  followUpDue: number | null;
  formComplete: 0 | 1;
  paper: 0 | 1;
  scanAttached: 0 | 1;
  scanReason: 0 | 1;
  hasSource: 0 | 1;
  sourceWithheld: 0 | 1;
  sourceAwaitingSanitised: 0 | 1;
  graded: 0 | 1;
  closed: 0 | 1;
  signedOff: 0 | 1;
  qaSampled: 0 | 1;
  qaChecked: 0 | 1;
  qaIssues: 0 | 1;
}

export const MIN_ACCOUNT_CHARS = 20;

const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);
const ms = (iso: string | null): number | null => (iso ? Date.parse(iso) : null);
/** "2026-03-02" -> 20260302. */
export const dayNumber = (day: string): number => Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));

export function actionMask(actions: readonly string[]): number {
  let m = 0;
  for (const a of actions) {
    const i = OUTCOME_ACTIONS.indexOf(a as OutcomeAction);
    if (i >= 0) m |= 1 << i;
  }
  return m;
}

export function resultMask(results: readonly string[]): number {
  let m = 0;
  for (const r of results) {
    const i = RESULTS.indexOf(r as DisseminationResult);
    if (i >= 0) m |= 1 << i;
  }
  return m;
}

/**
 * The electronic form is complete when it says what the offence is, who or what it is about (a named subject or
 * a business), where (a full postcode, or a first line and a town) and gives the account (000 §4.24-4.28).
 */
export function formComplete(s: Pick<MiSource, 'offences' | 'namedSubjects' | 'businesses' | 'locatedAddresses' | 'accountChars'>): boolean {
  return s.offences > 0 && s.namedSubjects + s.businesses > 0 && s.locatedAddresses > 0 && s.accountChars >= MIN_ACCOUNT_CHARS;
}

const CONCLUDED: readonly Status[] = ['actioned', 'nfa', 'closed'];

export function miFact(s: MiSource): MiFact {
  const unit = s.unit ? unitByCode(s.unit) : undefined;
  const jurisdiction = unit?.holidays ?? 'england-wales';
  const received = new Date(s.receivedAt);
  const assessed = s.assessedAt ? new Date(s.assessedAt) : null;
  const days = assessed ? workingDaysBetween(received, assessed, jurisdiction) : null;
  const bucket = timelinessBucketOfDays(days);
  const tc = s.timeCriticalState && s.timeCriticalState !== 'dismissed' && s.timeCriticalDueAt;
  const open = [...s.openFollowUps].sort();
  return {
    allegationId: s.allegationId,
    unit: s.unit,
    region: unit?.region ?? null,
    receivedDay: dayNumber(ukDate(received)),
    channel: s.channel,
    reporterType: s.reporterType,
    status: s.status,
    assessDays: days,
    timeliness: bucket,
    assessmentDueAt: ms(s.assessmentDueAt),
    timeCriticalState: s.timeCriticalState,
    timeCriticalDueAt: ms(s.timeCriticalDueAt),
    timeCriticalMet: tc && s.assessedAt ? bit(s.assessedAt <= (s.timeCriticalDueAt as string)) : null,
    riskRating: s.riskRating,
    serviceDueAt: ms(s.serviceDueAt),
    serviceMet: s.riskRating && s.serviceDueAt && s.firstOutcomeAt ? bit(s.firstOutcomeAt <= s.serviceDueAt) : null,
    outcome: s.outcome,
    nfaReason: s.nfaReason,
    legacyOutcome: bit(!s.outcome && CONCLUDED.includes(s.status)),
    actions: actionMask(s.actions),
    results: resultMask(s.results),
    awaitingResults: open.length,
    followUpDue: open[0] ? dayNumber(open[0]) : null,
    formComplete: bit(formComplete(s)),
    paper: bit(PAPER_CHANNELS.includes(s.channel)),
    scanAttached: bit(s.attachments > 0),
    scanReason: bit((s.scanMissingReason ?? '').trim().length > 0),
    hasSource: bit(s.hasSource),
    sourceWithheld: bit(s.sourceWithheld),
    sourceAwaitingSanitised: bit(s.sourceAwaitingSanitised),
    graded: bit(s.graded),
    closed: bit(s.status === 'closed'),
    signedOff: bit(s.signedOff),
    qaSampled: bit(s.qaSampled),
    qaChecked: bit(s.qaChecked),
    qaIssues: bit(s.qaIssues),
  };
}
