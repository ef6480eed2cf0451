// The writes of issue 20 — grading, actions, results and debriefs, sample checks — in one place, each with the
// change row sync needs. They go through Mutation.change today; when the change-log registry (m.insert / m.update
// / m.append) lands, this file is the one to convert.
import type { Mutation } from './store.ts';
import { prepared } from './db.ts';

export interface GradingRow {
  grading_source: string;
  grading_intelligence: string;
  grading_handling: string;
  grading_conditions: string;
  harm: string;
}

export function writeGrading(m: Mutation, allegationId: string, before: GradingRow | null, after: GradingRow): void {
  prepared(
    m.db,
    `UPDATE allegations SET grading_source = @grading_source, grading_intelligence = @grading_intelligence, grading_handling = @grading_handling,
       grading_conditions = @grading_conditions, harm = @harm, graded_at = @at, graded_by = @by, updated_at = @at, hlc = @hlc WHERE id = @id`,
  ).run({ ...after, at: m.at, by: m.actor.name, hlc: m.hlc, id: allegationId });
  m.change('allegation', allegationId, 'update', { before, after: { ...after, graded_at: m.at, graded_by: m.actor.name } }, allegationId);
}

export interface DisseminationRow {
  id: string;
  allegation_id: string;
  action: string;
  recipient_type: string;
  recipient: string;
  recipient_kind: 'internal' | 'external';
  recipient_unit: string | null;
  legal_basis: string;
  agreement_ref: string;
  sent_at: string;
  sent_by: string;
  user_id: string | null;
  note: string;
  report_text: string;
  report_hash: string | null;
  grading: string;
  follow_up_due: string | null;
  follow_up_rule: string;
}

export function insertDissemination(m: Mutation, row: DisseminationRow): void {
  const full = { ...row, result: '', result_at: null, result_detail: '', result_by: null, hlc: m.hlc };
  const keys = Object.keys(full);
  prepared(m.db, `INSERT INTO disseminations (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(full);
  const { hlc: _h, id: _id, ...data } = full;
  m.change('dissemination', row.id, 'insert', data, row.allegation_id);
}

export function recordDisseminationResult(m: Mutation, id: string, allegationId: string, before: { result: string; result_at: string | null }, result: string, detail: string): void {
  prepared(m.db, 'UPDATE disseminations SET result = ?, result_at = ?, result_detail = ?, result_by = ?, hlc = ? WHERE id = ?').run(result, m.at, detail, m.actor.name, m.hlc, id);
  m.change('dissemination', id, 'update', { before, after: { result, result_at: m.at, result_detail: detail, result_by: m.actor.name } }, allegationId);
}

export interface FeedbackRow {
  id: string;
  allegation_id: string;
  dissemination_id: string | null;
  kind: 'result' | 'debrief';
  result: string | null;
  detail: string;
  debrief: string;
  occurred_on: string | null;
  user_id: string | null;
}

export function appendFeedback(m: Mutation, row: FeedbackRow): void {
  const full = { ...row, recorded_at: m.at, recorded_by: m.actor.name, hlc: m.hlc };
  const keys = Object.keys(full);
  prepared(m.db, `INSERT INTO operational_feedback (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(full);
  const { hlc: _h, id: _id, ...data } = full;
  m.change('operational_feedback', row.id, 'append', data, row.allegation_id);
}

export interface QaDrawRow {
  id: string;
  allegation_id: string;
  unit_code: string;
  month: string;
  population: number;
}

export function insertQaCheck(m: Mutation, row: QaDrawRow): void {
  const full = { ...row, drawn_at: m.at, drawn_by: m.actor.name, checked_at: null, checked_by: null, result: null, findings: '[]', note: '', hlc: m.hlc };
  const keys = Object.keys(full);
  prepared(m.db, `INSERT INTO qa_checks (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(full);
  const { hlc: _h, id: _id, ...data } = full;
  m.change('qa_check', row.id, 'insert', data, row.allegation_id);
}

export function recordQaCheck(m: Mutation, id: string, allegationId: string, result: string, findings: readonly string[], note: string): void {
  prepared(m.db, 'UPDATE qa_checks SET checked_at = ?, checked_by = ?, result = ?, findings = ?, note = ?, hlc = ? WHERE id = ?').run(m.at, m.actor.name, result, JSON.stringify(findings), note, m.hlc, id);
  m.change('qa_check', id, 'update', { before: { result: null }, after: { checked_at: m.at, checked_by: m.actor.name, result, findings, note } }, allegationId);
}
