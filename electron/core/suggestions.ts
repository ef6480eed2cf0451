// Fields suggested from every text an allegation holds — the account, notes, the text of legacy attachments, and
// scans as they are read — each with the page and words it came from, and what a person made of it. A scan's
// suggestions are kept on its attachment as its pages are read (attachment-reading.ts); the other texts are read
// through the same pipeline when someone looks, so intake and bulk import do not pay for them. A suggestion is
// accepted by putting it into the form and saving (the form carries it; cases.ts records it), or rejected here;
// both are audited, append-only decisions (suggestion_decisions), the latest one in force.
import type { Mutation } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import type { HasStore } from './deps.ts';
import type { UserRow } from './users.ts';
import { actorFor, loadCase, requireWork } from './access.ts';
import type { Analysis } from './attachment-rows.ts';
import { analyseText } from '../../shared/analysis/analyse-text.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { AcceptedSuggestion, SuggestionDecisionView, SuggestionItem, SuggestionView } from '../../shared/api/attachments.ts';
import type { SuggestedField } from '../../shared/attachments/suggest-fields.ts';

type From = SuggestionItem['from'];

interface DecisionRow {
  origin: From['kind'];
  origin_id: string | null;
  suggestion_key: string;
  decision: 'accepted' | 'rejected';
  reason: string;
  field: string | null;
  decided_by: string;
  decided_at: string;
}

const refKey = (kind: From['kind'], id: string | null, key: string) => `${kind}|${id ?? ''}|${key}`;

/** The decision in force on each suggestion of an allegation (the latest). */
export function decisionsOf(db: Db, allegationId: string): Map<string, SuggestionDecisionView> {
  const out = new Map<string, SuggestionDecisionView>();
  const rows = prepared(db, 'SELECT origin, origin_id, suggestion_key, decision, reason, field, decided_by, decided_at FROM suggestion_decisions WHERE allegation_id = ? ORDER BY decided_at, rowid').all(allegationId) as DecisionRow[];
  for (const r of rows) out.set(refKey(r.origin, r.origin_id, r.suggestion_key), { decision: r.decision, by: r.decided_by, at: r.decided_at, reason: r.reason, field: r.field });
  return out;
}

/** A suggestion as the screens show it, from what the pipeline found. */
export function suggestionView(s: SuggestedField): SuggestionView {
  return {
    key: `${s.kind}:${s.value}:${s.page}`,
    kind: s.kind,
    text: s.text,
    value: s.value,
    page: s.page,
    start: s.start,
    end: s.end,
    boxes: s.boxes,
    cue: s.cue,
    date: s.date ?? null,
    dateText: s.dateText ?? null,
    role: s.role ?? null,
    sentence: s.sentence,
    origin: s.origin ?? null,
    destination: s.destination ?? null,
    ...(s.businessType ? { businessType: s.businessType } : {}),
  };
}

/** Every suggestion of an allegation, from every text, with the decision in force on each. */
export function allegationSuggestions(db: Db, allegationId: string): SuggestionItem[] {
  const a = prepared(db, 'SELECT received_at, free_text FROM allegations WHERE id = ?').get(allegationId) as { received_at: string; free_text: string } | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  const subjects = (prepared(db, 'SELECT count(*) AS n FROM subjects WHERE allegation_id = ? AND removed_at IS NULL').get(allegationId) as { n: number }).n;
  const decisions = decisionsOf(db, allegationId);
  const out: SuggestionItem[] = [];
  const seen = new Set<string>();
  const add = (from: From, s: SuggestionView) => {
    const k = refKey(from.kind, from.id, s.key);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ ...s, from, decision: decisions.get(k) ?? null });
  };
  // Texts stored openly are already withheld: read them for suggestions only.
  const read = (text: string, from: From) => {
    if (!text.trim()) return;
    for (const s of analyseText({ page: null, text, receivedAt: a.received_at, readWriter: false, form: { subjectCount: subjects } }).suggestions) add(from, suggestionView(s));
  };
  read(a.free_text, { kind: 'account', id: null, label: 'the account' });
  for (const n of prepared(db, 'SELECT id, note_date, author_name, text FROM notes WHERE allegation_id = ? ORDER BY created_at, rowid').all(allegationId) as Array<{ id: string; note_date: string; author_name: string; text: string }>) {
    read(n.text, { kind: 'note', id: n.id, label: `a note of ${n.note_date} by ${n.author_name}` });
  }
  for (const t of prepared(db, 'SELECT id, file_name, content_hash, legacy_text, analysis FROM attachments WHERE allegation_id = ? ORDER BY ordinal').all(allegationId) as Array<{
    id: string;
    file_name: string;
    content_hash: string | null;
    legacy_text: string;
    analysis: string;
  }>) {
    const from: From = { kind: 'attachment', id: t.id, label: t.file_name };
    if (t.content_hash === null) read(t.legacy_text, from);
    else for (const s of (JSON.parse(t.analysis) as Analysis).suggestions ?? []) add(from, s);
  }
  return out;
}

/** Records a decision on a suggestion inside the caller's mutation; the suggestion must be one the allegation's texts make. */
function decide(m: Mutation, newId: () => string, allegationId: string, s: SuggestionItem, decision: 'accepted' | 'rejected', reason: string, field: string | null, user: UserRow): void {
  m.append('suggestion_decision', {
    id: newId(),
    allegation_id: allegationId,
    origin: s.from.kind,
    origin_id: s.from.id,
    origin_label: s.from.label,
    suggestion_key: s.key,
    kind: s.kind,
    value: s.value,
    page: s.from.kind === 'attachment' ? s.page : null,
    words: s.text,
    sentence: s.sentence ?? '',
    decision,
    reason,
    field,
    decided_by: m.actor.name,
    user_id: user.id,
    decided_at: m.at,
  });
}

function find(list: SuggestionItem[], ref: { from: From['kind']; fromId: string | null; key: string }): SuggestionItem | undefined {
  return list.find((s) => s.from.kind === ref.from && s.from.id === ref.fromId && s.key === ref.key);
}

/**
 * The suggestions a saved form carried, recorded as accepted (inside the save's mutation). One the texts no
 * longer make (a page read again) or already accepted is left; returns how many were recorded.
 */
export function recordAccepted(m: Mutation, newId: () => string, user: UserRow, allegationId: string, accepted: readonly AcceptedSuggestion[]): number {
  if (!accepted.length) return 0;
  const list = allegationSuggestions(m.db, allegationId);
  let n = 0;
  for (const ref of accepted) {
    const s = find(list, ref);
    if (!s || s.decision?.decision === 'accepted') continue;
    decide(m, newId, allegationId, s, 'accepted', '', ref.field, user);
    n++;
  }
  return n;
}

export function rejectSuggestion(core: HasStore, user: UserRow, allegationId: string, ref: { from: From['kind']; fromId: string | null; key: string }, reason: string): SuggestionItem[] {
  const a = loadCase(core.store.db, allegationId);
  requireWork(core.store.db, user, a);
  const s = find(allegationSuggestions(core.store.db, allegationId), ref);
  if (!s) throw new ApiError('not_found', 'That suggestion is no longer made by the allegation’s texts');
  if (s.decision?.decision === 'rejected') return allegationSuggestions(core.store.db, allegationId);
  core.store.mutate(
    { actor: actorFor(user), action: 'suggestion.reject', entity: 'allegation', entityId: allegationId, allegationId, details: { kind: s.kind, value: s.value, from: s.from.label, page: s.page, reason } },
    (m) => decide(m, () => core.store.newId(), allegationId, s, 'rejected', reason, null, user),
  );
  return allegationSuggestions(core.store.db, allegationId);
}
