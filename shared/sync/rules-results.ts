// The server's rules for what issue 20 adds to an allegation, beside rules.ts's: a grading is whole and
// consistent (3x5x2, conditions with C, harm) and names who graded it; a report is never sent ungraded, an action
// names a recipient its kind allows (another department with its legal basis and agreement), and a result, once
// recorded, is not rewritten; what comes back from operations is a result or a debrief; a manager's sample check
// is drawn by a manager and recorded once. The desk refuses the same things first (electron/core/actions.ts,
// grading.ts, qa.ts), with the same shared rules where there are any.
import type { ChangeRow, FieldValue } from './changes.ts';
import type { MergedRow } from './merge.ts';
import { gradingProblems, type Grading } from '../domain/grading.ts';
import { disseminationProblems, RECIPIENT_TYPES, RESULTS, type RecipientType } from '../domain/dissemination.ts';
import { OUTCOME_ACTIONS, type OutcomeAction } from '../domain/vocabularies.ts';
import { QA_RESULTS } from '../domain/qa.ts';

/** The allegation's columns that make up its grading. */
export const GRADING_FIELDS = ['grading_source', 'grading_intelligence', 'grading_handling', 'grading_conditions', 'harm', 'graded_at', 'graded_by'] as const;

interface Who {
  id: string;
}

function text(v: FieldValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/** The value a change leaves in a field: its `to` when it names the field, otherwise the row's current value. */
function after(change: ChangeRow, current: MergedRow | undefined, field: string): FieldValue | undefined {
  return field in change.fields ? change.fields[field]?.to : current?.data[field];
}

/** The grading an allegation row holds (after a change), or null when it has none. */
function gradingOf(read: (field: string) => FieldValue | undefined): Partial<Grading> | null {
  const source = text(read('grading_source'));
  if (source === null && text(read('grading_intelligence')) === null && text(read('grading_handling')) === null && text(read('harm')) === null) return null;
  return {
    source: source as Grading['source'],
    intelligence: text(read('grading_intelligence')) as Grading['intelligence'],
    handling: text(read('grading_handling')) as Grading['handling'],
    conditions: text(read('grading_conditions')) ?? '',
    harm: text(read('harm')) as Grading['harm'],
  };
}

/** A change to an allegation that touches its grading: the grading it leaves must be whole, and dated and named. */
export function gradingChangeProblem(change: ChangeRow, current: MergedRow | undefined): string | null {
  if (!GRADING_FIELDS.some((f) => f in change.fields)) return null;
  const g = gradingOf((f) => after(change, current, f));
  if (!g) return 'a grading is not removed: regrade instead (the history keeps what it replaced)';
  const problem = gradingProblems(g)[0];
  if (problem) return `the grading is not whole: ${problem.message}`;
  if (!('graded_at' in change.fields) || !('graded_by' in change.fields)) return 'a grading records when and by whom';
  return null;
}

/** Whether the allegation is graded once the mutation's own changes to it are applied. */
function gradedAfter(allegation: MergedRow | undefined, allegationId: string, mutation: readonly ChangeRow[]): boolean {
  const own = mutation.filter((c) => c.entity === 'allegation' && c.id === allegationId);
  const read = (f: string) => {
    for (let i = own.length - 1; i >= 0; i--) if (f in (own[i] as ChangeRow).fields) return (own[i] as ChangeRow).fields[f]?.to;
    return allegation?.data[f];
  };
  const g = gradingOf(read);
  return g !== null && gradingProblems(g).length === 0;
}

export function disseminationProblem(change: ChangeRow, current: MergedRow | undefined, allegation: MergedRow | undefined, person: Who | undefined, status: string | null, mutation: readonly ChangeRow[]): string | null {
  if (change.op === 'update') {
    const changed = Object.keys(change.fields);
    const resultFields = ['result', 'result_at', 'result_detail', 'result_by'];
    const other = changed.filter((f) => !resultFields.includes(f));
    if (other.length) return `an action is kept as it was sent; ${other.join(', ')} cannot change (record its result)`;
    const was = text(current?.data.result) ?? '';
    if (was !== '') return 'the result of this action has already been recorded';
    const result = text(change.fields.result?.to);
    if (result === null || !(RESULTS as readonly string[]).includes(result)) return `result ${JSON.stringify(change.fields.result?.to ?? null)} is not one of ${RESULTS.join(', ')}`;
    return null;
  }
  if (status === 'closed') return 'the allegation is closed: record results of its actions, not new ones';
  const f = change.fields;
  if (person && text(f.user_id?.to) !== person.id) return 'an action names the person who recorded it';
  const action = text(f.action?.to);
  const recipientType = text(f.recipient_type?.to);
  if (action === null || !(OUTCOME_ACTIONS as readonly string[]).includes(action)) return `unknown action ${JSON.stringify(action)}`;
  if (recipientType === null || !(RECIPIENT_TYPES as readonly string[]).includes(recipientType)) return `unknown recipient type ${JSON.stringify(recipientType)}`;
  const allegationId = text(f.allegation_id?.to) ?? '';
  const graded = gradedAfter(allegation, allegationId, mutation);
  const problem = disseminationProblems(
    { action: action as OutcomeAction, recipientType: recipientType as RecipientType, recipient: text(f.recipient?.to) ?? '', legalBasis: text(f.legal_basis?.to) ?? '', agreementRef: text(f.agreement_ref?.to) ?? '' },
    graded,
  )[0];
  if (problem) return problem.message;
  // What was sent carries the grading it left with.
  if (text(f.report_text?.to) && !/"code"\s*:/.test(text(f.grading?.to) ?? '')) return 'the report was sent without its grading';
  return null;
}

export function feedbackProblem(change: ChangeRow, person: Who | undefined): string | null {
  const f = change.fields;
  if (person && text(f.user_id?.to) !== person.id) return 'feedback from operations names the person who recorded it';
  const kind = text(f.kind?.to);
  if (kind === 'result') {
    const result = text(f.result?.to);
    if (result === null || !(RESULTS as readonly string[]).includes(result)) return `result ${JSON.stringify(result)} is not one of ${RESULTS.join(', ')}`;
    if (!text(f.dissemination_id?.to)) return 'a result is the result of an action: name it';
    return null;
  }
  if (kind === 'debrief') return text(f.result?.to) === null ? null : 'a debrief carries no result: record the result on the action';
  return `feedback is a result or a debrief, not ${JSON.stringify(kind)}`;
}

export function qaCheckProblem(change: ChangeRow, current: MergedRow | undefined): string | null {
  if (change.op === 'insert') {
    if (text(change.fields.result?.to) !== null) return 'a sample check is drawn first and recorded after';
    return null;
  }
  if (text(current?.data.result) !== null) return 'a sample check, once recorded, is kept as it was';
  const allowed = ['checked_at', 'checked_by', 'result', 'findings', 'note'];
  const other = Object.keys(change.fields).filter((f) => !allowed.includes(f));
  if (other.length) return `the draw of a sample is kept as it was; ${other.join(', ')} cannot change`;
  const result = text(change.fields.result?.to);
  if (result === null || !(QA_RESULTS as readonly string[]).includes(result)) return `a check finds ${QA_RESULTS.join(' or ')}, not ${JSON.stringify(result)}`;
  return null;
}
