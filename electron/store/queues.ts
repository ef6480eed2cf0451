// The work queues: allegations for a unit, a person or the duty manager, most urgent first.
import type { Db } from './db.ts';
import { prepared } from './statements.ts';
import type { QueueRow } from '../../shared/schemas/record.ts';
import type { Status } from '../../shared/domain/vocabularies.ts';
import { evidencePlace, type Evidence } from '../../shared/analysis/triage.ts';

/** The earliest evidence not dismissed, in words, for the queue's "why" column. */
function whyTimeCritical(evidence: Evidence[]): string | null {
  const e = evidence.find((x) => !x.dismissed) ?? evidence[0];
  if (!e) return null;
  const event = e.event.charAt(0).toUpperCase() + e.event.slice(1);
  const day = new Date(`${e.date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `${event} on ${day}, ${evidencePlace(e)}: “${e.text}”${e.rule ? ` (rule: ${e.rule})` : ''}`;
}

/**
 * The deadline a queue counts down to: for new work, initial assessment (or, if sooner, the 24-hour standard of a
 * time-critical allegation); after assessment, the service standard its risk rating set; none once closed.
 */
const DUE_SQL = `CASE
  WHEN a.status = 'closed' THEN NULL
  WHEN a.status = 'new' AND a.time_critical = 1 AND a.time_critical_due_at IS NOT NULL THEN min(a.time_critical_due_at, coalesce(a.assessment_due_at, a.time_critical_due_at))
  WHEN a.status = 'new' THEN coalesce(a.next_due_at, a.assessment_due_at)
  ELSE a.next_due_at END`;

const QUEUE_SQL = `
SELECT ${DUE_SQL} AS due_at, a.id, a.reference, a.received_at, a.channel, a.reporter_type, a.status, a.unit_code, a.assessment_due_at, a.next_due_at,
       a.time_critical, a.time_critical_state, CASE WHEN a.time_critical = 1 THEN a.time_critical_evidence END AS tc_evidence,
       EXISTS (SELECT 1 FROM compliance_signoffs c WHERE c.allegation_id = a.id AND c.decision = 'returned'
               AND c.decided_at >= (SELECT max(d.decided_at) FROM outcome_decisions d WHERE d.allegation_id = a.id)) AS returned,
       (SELECT group_concat(offence_type, ',') FROM (SELECT offence_type FROM allegation_offences o WHERE o.allegation_id = a.id AND o.removed_at IS NULL ORDER BY ordinal)) AS offences,
       (SELECT trim(forename || ' ' || surname) FROM subjects s WHERE s.allegation_id = a.id AND s.removed_at IS NULL ORDER BY ordinal LIMIT 1) AS main_subject,
       (SELECT coalesce(postcode, postcode_outward, postcode_raw) FROM addresses d WHERE d.allegation_id = a.id AND d.removed_at IS NULL ORDER BY ordinal LIMIT 1) AS postcode,
       (SELECT count(*) FROM attachments t WHERE t.allegation_id = a.id) AS attachments,
       (SELECT count(*) FROM notes n WHERE n.allegation_id = a.id) AS notes
FROM allegations a`;

export interface QueueFilter {
  unit: string | null;
  statuses: readonly Status[];
  /** Only time-critical work still flagged (the duty intelligence manager's queue). */
  timeCriticalOnly?: boolean;
  /** true: only work allocated to someone; false: only unallocated work. */
  allocated?: boolean;
  /** Only work allocated to this user. */
  allocatedTo?: string;
  /** Only these allegations (the rows someone selected, or the records behind a figure of management information). */
  ids?: readonly string[];
  limit: number;
}

/** Most urgent first: time-critical, then the earliest due time, then the oldest receipt. */
export function queueRows(db: Db, filter: QueueFilter): { total: number; rows: QueueRow[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.unit) {
    where.push('a.unit_code = ?');
    params.push(filter.unit);
  }
  if (filter.statuses.length) {
    where.push(`a.status IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  }
  if (filter.timeCriticalOnly) where.push('a.time_critical = 1');
  if (filter.ids) {
    where.push('a.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids));
  }
  const activeAllocation = 'SELECT 1 FROM allocations l WHERE l.allegation_id = a.id AND l.ended_at IS NULL';
  if (filter.allocated === true) where.push(`EXISTS (${activeAllocation})`);
  if (filter.allocated === false) where.push(`NOT EXISTS (${activeAllocation})`);
  if (filter.allocatedTo) {
    where.push(`EXISTS (${activeAllocation} AND l.user_id = ?)`);
    params.push(filter.allocatedTo);
  }
  const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (prepared(db, `SELECT count(*) AS n FROM allegations a${clause}`).get(...params) as { n: number }).n;
  const rows = prepared(db, 
      `${QUEUE_SQL}${clause}
       ORDER BY a.time_critical DESC, coalesce(due_at, '9999') ASC, a.received_at ASC
       LIMIT ?`,
    )
    .all(...params, filter.limit) as Array<Record<string, unknown>>;
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id as string,
      reference: r.reference as string,
      receivedAt: r.received_at as string,
      channel: r.channel as QueueRow['channel'],
      reporterType: r.reporter_type as QueueRow['reporterType'],
      offenceTypes: ((r.offences as string | null) ?? '').split(',').filter(Boolean) as QueueRow['offenceTypes'],
      status: r.status as Status,
      unit: (r.unit_code as string | null) ?? null,
      mainSubject: (r.main_subject as string | null) ?? '',
      postcode: (r.postcode as string | null) ?? '',
      assessmentDueAt: (r.assessment_due_at as string | null) ?? null,
      nextDueAt: (r.next_due_at as string | null) ?? null,
      dueAt: (r.due_at as string | null) ?? null,
      timeCritical: r.time_critical === 1,
      timeCriticalState: (r.time_critical_state as QueueRow['timeCriticalState']) ?? null,
      returned: r.returned === 1,
      timeCriticalWhy: r.tc_evidence ? whyTimeCritical(JSON.parse(r.tc_evidence as string) as Evidence[]) : null,
      attachments: r.attachments as number,
      notes: r.notes as number,
    })),
  };
}
