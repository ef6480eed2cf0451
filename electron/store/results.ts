// The writes of issue 20 — grading, actions, results and debriefs, sample checks — in one place, each through the
// registry writer (store/registry.ts), which logs the change sync carries in the same transaction.
import type { Mutation } from './store.ts';

export interface GradingRow {
  grading_source: string;
  grading_intelligence: string;
  grading_handling: string;
  grading_conditions: string;
  harm: string;
}

export function writeGrading(m: Mutation, allegationId: string, after: GradingRow): void {
  m.update('allegation', allegationId, { ...after, graded_at: m.at, graded_by: m.actor.name, updated_at: m.at });
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
  m.insert('dissemination', { ...row, result: '', result_at: null, result_detail: '', result_by: null });
}

export function recordDisseminationResult(m: Mutation, id: string, result: string, detail: string): void {
  m.update('dissemination', id, { result, result_at: m.at, result_detail: detail, result_by: m.actor.name });
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
  m.append('operational_feedback', { ...row, recorded_at: m.at, recorded_by: m.actor.name });
}

export interface QaDrawRow {
  id: string;
  allegation_id: string;
  unit_code: string;
  month: string;
  population: number;
}

export function insertQaCheck(m: Mutation, row: QaDrawRow): void {
  m.insert('qa_check', { ...row, drawn_at: m.at, drawn_by: m.actor.name, checked_at: null, checked_by: null, result: null, findings: '[]', note: '' });
}

export function recordQaCheck(m: Mutation, id: string, result: string, findings: readonly string[], note: string): void {
  m.update('qa_check', id, { checked_at: m.at, checked_by: m.actor.name, result, findings: JSON.stringify(findings), note });
}
