// What MI needs to know about one allegation (MiSource), worked out from the allegation's synced rows as any store
// holds them: the server builds it from the national record's rows (entity -> column values, as the registry of
// synced entities names them), and its rules are the desk's reader's (electron/mi/facts-index.ts, one SQL query
// over the same tables); tests/server/mi.test.ts checks the two agree allegation by allegation.
import type { MiSource } from './facts.ts';

/** A synced row's column values (shared/sync/entities.ts names the columns). */
export type RowData = Readonly<Record<string, unknown>>;

/** The entities MI reads, and so the changes after which an allegation's fact must be worked out again. */
export const MI_ENTITIES = [
  'allegation',
  'allegation_offence',
  'subject',
  'business',
  'address',
  'attachment',
  'restricted_text',
  'outcome_decision',
  'outcome_action',
  'compliance_signoff',
  'dissemination',
  'operational_feedback',
  'qa_check',
] as const;
export type MiEntity = (typeof MI_ENTITIES)[number];

/** The rows of one allegation, by entity (the allegation's own row under 'allegation'). */
export type MiRows = Partial<Record<MiEntity, readonly RowData[]>>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const present = (v: unknown): boolean => v !== null && v !== undefined;
const yes = (v: unknown): boolean => v === 1 || v === true;
// SQLite's trim() strips spaces only, and length() counts characters: the desk's reader counts so.
const trimSpaces = (v: unknown): string => (typeof v === 'string' ? v.replace(/^ +| +$/g, '') : '');
const filled = (v: unknown): boolean => trimSpaces(v) !== '';
const live = (rows: readonly RowData[] | undefined): readonly RowData[] => (rows ?? []).filter((r) => !present(r.removed_at));

/** A subject counts for the form when it has a name. */
export const namedSubject = (s: RowData): boolean => filled(s.surname) || filled(s.forename);
/** An address counts when it can be found: a full postcode, or a first line and a town. */
export const locatedAddress = (a: RowData): boolean => present(a.postcode) || (filled(a.line1) && filled(a.town));

/** The MI source of an allegation from its rows; null when the allegation's own row is not among them. */
export function miSourceFromRows(allegationId: string, rows: MiRows): MiSource | null {
  const a = rows.allegation?.[0];
  if (!a) return null;
  const diss = rows.dissemination ?? [];
  const attachments = rows.attachment ?? [];
  const decided = (rows.outcome_decision ?? []).map((d) => str(d.decided_at)).filter((d): d is string => d !== null).sort();
  const revealing = attachments.filter((t) => yes(t.reveals_source));
  const qa = rows.qa_check ?? [];
  const actions = [...diss.map((d) => str(d.action)), ...(rows.outcome_action ?? []).map((o) => str(o.action))].filter((x): x is string => x !== null);
  return {
    allegationId,
    unit: str(a.unit_code),
    receivedAt: a.received_at as string,
    channel: a.channel as MiSource['channel'],
    reporterType: a.reporter_type as MiSource['reporterType'],
    status: a.status as MiSource['status'],
    assessedAt: str(a.assessed_at),
    assessmentDueAt: str(a.assessment_due_at),
    timeCriticalState: str(a.time_critical_state) as MiSource['timeCriticalState'],
    timeCriticalDueAt: str(a.time_critical_due_at),
    riskRating: str(a.risk_rating) as MiSource['riskRating'],
    serviceDueAt: str(a.next_due_at),
    firstOutcomeAt: decided[0] ?? null,
    outcome: str(a.outcome) as MiSource['outcome'],
    nfaReason: str(a.nfa_reason) as MiSource['nfaReason'],
    actions: [...new Set(actions)] as MiSource['actions'],
    results: (rows.operational_feedback ?? []).filter((f) => f.kind === 'result').map((f) => str(f.result)).filter((r): r is string => r !== null) as MiSource['results'],
    openFollowUps: diss.filter((d) => d.result === '' && present(d.follow_up_due)).map((d) => d.follow_up_due as string),
    offences: live(rows.allegation_offence).length,
    namedSubjects: live(rows.subject).filter(namedSubject).length,
    businesses: live(rows.business).length,
    locatedAddresses: live(rows.address).filter(locatedAddress).length,
    accountChars: [...trimSpaces(a.free_text)].length,
    attachments: attachments.length,
    scanMissingReason: str(a.scan_missing_reason),
    hasSource: yes(a.has_source),
    sourceWithheld: (rows.restricted_text ?? []).length > 0 || revealing.length > 0,
    sourceAwaitingSanitised: revealing.some((t) => present(t.content_hash) && !present(t.sanitised_hash)),
    graded: present(a.grading_source) && present(a.grading_intelligence) && present(a.grading_handling) && present(a.harm),
    signedOff: a.status === 'closed' && (rows.compliance_signoff ?? []).some((c) => c.decision === 'approved'),
    qaSampled: qa.length > 0,
    qaChecked: qa.some((q) => present(q.result)),
    qaIssues: qa.some((q) => q.result === 'issues'),
  };
}
