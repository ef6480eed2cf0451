// Time-critical triage in the store: whenever a text of an allegation is read (the account at intake or when it
// is amended, a note, a legacy attachment's text, a page of a scan as OCR finishes it or reads it again), its
// deadlines replace that text's earlier evidence on the allegation's flag, written through the registry in the
// same mutation. The rules of what the flag becomes (a duty manager's decision respected) are shared/analysis/
// triage.ts; telling the duty manager is an event on the core's channel, sent once the mutation has committed.
import type { Mutation } from '../store/store.ts';
import { prepared } from '../store/statements.ts';
import { evidencePlace, triage, type Evidence, type EvidenceOrigin, type Flag, type FlagStateName } from '../../shared/analysis/triage.ts';
import type { CoreEvent } from '../../shared/api/events.ts';

interface FlagRow {
  reference: string;
  unit_code: string | null;
  status: string;
  time_critical: number;
  time_critical_state: FlagStateName | null;
  time_critical_deadline: string | null;
  time_critical_evidence: string;
  time_critical_due_at: string | null;
}

/** An allegation that has just joined the duty manager's queue, and why: what to tell them. */
export interface Raised {
  allegationId: string;
  reference: string;
  unit: string | null;
  cause: Evidence;
  again: boolean;
}

export function readFlag(row: Pick<FlagRow, 'time_critical' | 'time_critical_state' | 'time_critical_deadline' | 'time_critical_evidence' | 'time_critical_due_at'>): Flag {
  return {
    timeCritical: row.time_critical === 1,
    state: row.time_critical_state,
    deadline: row.time_critical_deadline,
    evidence: JSON.parse(row.time_critical_evidence || '[]') as Evidence[],
    dueAt: row.time_critical_due_at,
  };
}

/**
 * The texts in `replace` were read just now and say `found`: the allegation's flag follows, inside the caller's
 * mutation. Returns what to tell the duty manager when the allegation has joined their queue. A closed case is
 * not raised (its evidence is still recorded).
 */
export function applyTriage(m: Mutation, allegationId: string, input: { replace: readonly EvidenceOrigin[]; found: readonly Evidence[]; dueFrom?: string }): Raised | null {
  const row = prepared(
    m.db,
    'SELECT reference, unit_code, status, time_critical, time_critical_state, time_critical_deadline, time_critical_evidence, time_critical_due_at FROM allegations WHERE id = ?',
  ).get(allegationId) as FlagRow | undefined;
  if (!row) return null;
  const current = readFlag(row);
  const result = triage(current, { ...input, at: m.at });
  if (!result.changed) return null;
  const closed = row.status === 'closed';
  const next = closed && result.raised ? { ...current, evidence: result.next.evidence } : result.next;
  m.update('allegation', allegationId, {
    time_critical: next.timeCritical ? 1 : 0,
    time_critical_state: next.state,
    time_critical_deadline: next.deadline,
    time_critical_evidence: JSON.stringify(next.evidence),
    time_critical_due_at: next.dueAt,
    updated_at: m.at,
  });
  if (!result.raised || closed || !result.cause) return null;
  const cause = result.cause;
  m.note({ timeCritical: { raised: true, again: result.again, event: cause.event, date: cause.date, where: evidencePlace(cause), rule: cause.rule ?? null } });
  return { allegationId, reference: row.reference, unit: row.unit_code, cause, again: result.again };
}

/** The event that tells the duty manager (and the queue's count) that an allegation has joined their queue. */
export function raisedEvent(r: Raised): CoreEvent {
  const c = r.cause;
  return {
    type: 'timecritical.raised',
    allegationId: r.allegationId,
    reference: r.reference,
    unit: r.unit,
    event: c.event,
    date: c.date,
    where: evidencePlace(c),
    reason: c.reason ?? `${c.event} on ${c.date}`,
    again: r.again,
  };
}
