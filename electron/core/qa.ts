// Managers' sample checks (004 §7.36-7.41; 000 §4.38-4.41): a random sample of the cases a unit closed in a month,
// drawn once and recorded (who, when, from how many), then each case checked against the checklist with findings.
import { randomInt } from 'node:crypto';
import type { HasStore } from './deps.ts';
import type { UserRow } from './users.ts';
import { actorFor } from './access.ts';
import { prepared } from '../store/db.ts';
import { insertQaCheck, recordQaCheck } from '../store/results.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { unitByCode, unitName } from '../../shared/domain/units.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import { sampleSize, type QaFinding, type QaResult } from '../../shared/domain/qa.ts';
import type { QaCheckView } from '../../shared/api/results.ts';

function checkUnit(unit: string): void {
  if (!unitByCode(unit)) throw new ApiError('bad_request', `There is no unit ${unit}`, { unit: 'choose a unit' });
}

/** The unit's cases closed in the month (by the UK date they closed). */
function closedInMonth(core: HasStore, unit: string, month: string): string[] {
  // A day either side in UTC, then the UK date decides (closures just after midnight in summer time).
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 86_400_000).toISOString();
  const to = new Date(Date.UTC(y, m, 1) + 86_400_000).toISOString();
  const rows = prepared(core.store.db, "SELECT id, closed_at FROM allegations WHERE unit_code = ? AND status = 'closed' AND closed_at >= ? AND closed_at < ? ORDER BY closed_at, id").all(unit, from, to) as Array<{ id: string; closed_at: string }>;
  return rows.filter((r) => ukDate(new Date(r.closed_at)).slice(0, 7) === month).map((r) => r.id);
}

interface CheckRow {
  id: string;
  allegation_id: string;
  reference: string;
  closed_at: string | null;
  outcome: string | null;
  drawn_at: string;
  drawn_by: string;
  checked_at: string | null;
  checked_by: string | null;
  result: QaResult | null;
  findings: string;
  note: string;
}

const CHECK_SQL = `SELECT q.id, q.allegation_id, a.reference, a.closed_at, a.outcome, q.drawn_at, q.drawn_by, q.checked_at, q.checked_by, q.result, q.findings, q.note
  FROM qa_checks q JOIN allegations a ON a.id = q.allegation_id`;

function view(r: CheckRow): QaCheckView {
  return {
    id: r.id,
    allegationId: r.allegation_id,
    reference: r.reference,
    closedAt: r.closed_at,
    outcome: r.outcome,
    drawnAt: r.drawn_at,
    drawnBy: r.drawn_by,
    checkedAt: r.checked_at,
    checkedBy: r.checked_by,
    result: r.result,
    findings: JSON.parse(r.findings) as QaFinding[],
    note: r.note,
  };
}

export function qaSample(core: HasStore, unit: string, month: string) {
  checkUnit(unit);
  const closed = closedInMonth(core, unit, month).length;
  const drawn = (prepared(core.store.db, `${CHECK_SQL} WHERE q.unit_code = ? AND q.month = ? ORDER BY a.reference`).all(unit, month) as CheckRow[]).map(view);
  return { unit, month, closed, size: drawn.length ? drawn.length : sampleSize(closed), drawn };
}

export function drawSample(core: HasStore, user: UserRow, unit: string, month: string) {
  checkUnit(unit);
  if (month > ukDate(core.store.now()).slice(0, 7)) throw new ApiError('bad_request', 'That month has not begun', { month: 'a month up to this one' });
  if (prepared(core.store.db, 'SELECT 1 FROM qa_checks WHERE unit_code = ? AND month = ?').get(unit, month)) {
    throw new ApiError('conflict', `${unitName(unit)}'s sample for ${month} has already been drawn; it is drawn once, so that nobody can draw again until they like the sample`);
  }
  const population = closedInMonth(core, unit, month);
  if (!population.length) throw new ApiError('conflict', `${unitName(unit)} closed no cases in ${month}: there is nothing to sample`);
  const pool = [...population];
  const size = sampleSize(pool.length);
  // A partial Fisher-Yates shuffle with a cryptographic generator: every case equally likely, nobody choosing.
  for (let i = 0; i < size; i++) {
    const j = i + randomInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  const chosen = pool.slice(0, size);
  core.store.mutate({ actor: actorFor(user), action: 'qa.draw', entity: 'qa_sample', entityId: `${unit}:${month}`, allegationId: null, details: { unit, month, population: population.length, size, allegations: chosen } }, (m) => {
    for (const id of chosen) insertQaCheck(m, { id: core.store.newId(), allegation_id: id, unit_code: unit, month, population: population.length });
  });
  return qaSample(core, unit, month);
}

export function recordCheck(core: HasStore, user: UserRow, checkId: string, result: QaResult, findings: readonly QaFinding[], note: string): QaCheckView {
  const row = prepared(core.store.db, `${CHECK_SQL} WHERE q.id = ?`).get(checkId) as CheckRow | undefined;
  if (!row) throw new ApiError('not_found', 'No such sample check');
  if (row.result) throw new ApiError('conflict', `${row.reference} was checked by ${row.checked_by} on ${row.checked_at?.slice(0, 10)}; a check is recorded once`);
  const unique = [...new Set(findings)];
  if (result === 'issues' && !unique.length) throw new ApiError('bad_request', 'Say what was wrong: choose at least one finding', { findings: 'choose at least one finding' });
  if (result === 'no_issues' && unique.length) throw new ApiError('bad_request', 'Findings belong to a check that found issues', { findings: 'no findings when there are no issues' });
  if ((unique.includes('other') || result === 'issues') && note.trim().length < 10) throw new ApiError('bad_request', 'Describe what was found (at least 10 characters) so the analyst can put it right', { note: 'describe what was found' });
  core.store.mutate({ actor: actorFor(user), action: 'qa.check', entity: 'qa_check', entityId: checkId, allegationId: row.allegation_id, details: { result, findings: unique, note: note.trim() } }, (m) =>
    recordQaCheck(m, checkId, result, unique, note.trim()),
  );
  return view(prepared(core.store.db, `${CHECK_SQL} WHERE q.id = ?`).get(checkId) as CheckRow);
}
