// A fact as a row of integers, and back. Reading a region's figures reads tens of thousands of facts; as text
// (a unit code, a status, a channel, timestamps) each value becomes a new string, and that was most of the time
// (100k allegations: a region's read cost three times its counting). As integers — a vocabulary index, epoch
// milliseconds, a yyyymmdd day, one word of flags — a fact is read with no string made, and decoding takes the
// strings from the vocabularies themselves. Any store (SQLite here, PostgreSQL on the server) can keep this row.
import { TIMELINESS_BUCKETS } from '../domain/clock.ts';
import { UNIT_CODES, unitByCode } from '../domain/units.ts';
import { CHANNELS, NFA_REASONS, OUTCOMES, REPORTER_TYPES, RISK_RATINGS, STATUSES } from '../domain/vocabularies.ts';
import type { MiFact } from './facts.ts';

const TC_STATES = ['detected', 'confirmed', 'dismissed'] as const;

/** The 0/1 fields of a fact, one bit each, in this order. */
export const FLAG_FIELDS = [
  'legacyOutcome',
  'formComplete',
  'paper',
  'scanAttached',
  'scanReason',
  'hasSource',
  'sourceWithheld',
  'sourceAwaitingSanitised',
  'graded',
  'closed',
  'signedOff',
  'qaSampled',
  'qaChecked',
  'qaIssues',
] as const satisfies ReadonlyArray<keyof MiFact>;

/** The integer columns, in the order `encodeFact` gives them and `decodeFact` reads them. */
export const CODED_COLUMNS = [
  'unit',
  'received_day',
  'channel',
  'reporter_type',
  'status',
  'assess_days',
  'timeliness',
  'assessment_due',
  'tc_state',
  'tc_due',
  'tc_met',
  'risk_rating',
  'service_due',
  'service_met',
  'outcome',
  'nfa_reason',
  'actions',
  'results',
  'awaiting_results',
  'follow_up_due',
  'flags',
] as const;

export type CodedRow = Array<number | null>;

const index = (list: readonly string[], value: string | null): number | null => {
  if (value === null) return null;
  const i = list.indexOf(value);
  if (i < 0) throw new Error(`${value} is not in the vocabulary`);
  return i;
};
const pick = <T extends string>(list: readonly T[], i: number | null): T | null => (i === null ? null : (list[i] as T));

export function encodeFact(f: MiFact): CodedRow {
  let flags = 0;
  FLAG_FIELDS.forEach((k, i) => {
    if (f[k]) flags |= 1 << i;
  });
  return [
    index(UNIT_CODES, f.unit),
    f.receivedDay,
    index(CHANNELS, f.channel),
    index(REPORTER_TYPES, f.reporterType),
    index(STATUSES, f.status),
    f.assessDays,
    index(TIMELINESS_BUCKETS, f.timeliness),
    f.assessmentDueAt,
    index(TC_STATES, f.timeCriticalState),
    f.timeCriticalDueAt,
    f.timeCriticalMet,
    index(RISK_RATINGS, f.riskRating),
    f.serviceDueAt,
    f.serviceMet,
    index(OUTCOMES, f.outcome),
    index(NFA_REASONS, f.nfaReason),
    f.actions,
    f.results,
    f.awaitingResults,
    f.followUpDue,
    flags,
  ];
}

const bit = (flags: number, i: number): 0 | 1 => ((flags >> i) & 1) as 0 | 1;

export function decodeFact(r: CodedRow, allegationId = ''): MiFact {
  const unit = pick(UNIT_CODES, r[0] as number | null);
  const flags = r[20] as number;
  return {
    allegationId,
    unit,
    region: unit ? (unitByCode(unit)?.region ?? null) : null,
    receivedDay: r[1] as number,
    channel: pick(CHANNELS, r[2] as number) as MiFact['channel'],
    reporterType: pick(REPORTER_TYPES, r[3] as number) as MiFact['reporterType'],
    status: pick(STATUSES, r[4] as number) as MiFact['status'],
    assessDays: r[5] as number | null,
    timeliness: pick(TIMELINESS_BUCKETS, r[6] as number) as MiFact['timeliness'],
    assessmentDueAt: r[7] as number | null,
    timeCriticalState: pick(TC_STATES, r[8] as number | null),
    timeCriticalDueAt: r[9] as number | null,
    timeCriticalMet: r[10] as 0 | 1 | null,
    riskRating: pick(RISK_RATINGS, r[11] as number | null),
    serviceDueAt: r[12] as number | null,
    serviceMet: r[13] as 0 | 1 | null,
    outcome: pick(OUTCOMES, r[14] as number | null),
    nfaReason: pick(NFA_REASONS, r[15] as number | null),
    actions: r[16] as number,
    results: r[17] as number,
    awaitingResults: r[18] as number,
    followUpDue: r[19] as number | null,
    legacyOutcome: bit(flags, 0),
    formComplete: bit(flags, 1),
    paper: bit(flags, 2),
    scanAttached: bit(flags, 3),
    scanReason: bit(flags, 4),
    hasSource: bit(flags, 5),
    sourceWithheld: bit(flags, 6),
    sourceAwaitingSanitised: bit(flags, 7),
    graded: bit(flags, 8),
    closed: bit(flags, 9),
    signedOff: bit(flags, 10),
    qaSampled: bit(flags, 11),
    qaChecked: bit(flags, 12),
    qaIssues: bit(flags, 13),
  };
}
