// What happened to an allegation, in order, with who and when: read from the store's own rows (each carries its
// time and its author) and, where a row does not say who, from the audit log. Nothing restricted: source
// details, the contact log and openings of the source pane are SACU's and NSU's business, not the timeline's.
import type { HasSearch, HasStore } from './deps.ts';
import { prepared, type Db } from '../store/db.ts';
import { placeLink } from '../../shared/search/links.ts';
import { findEntity } from '../search/entities.ts';
import { unitName } from '../../shared/domain/units.ts';
import {
  CHANNEL_LABELS,
  CHECK_SYSTEM_LABELS,
  NFA_REASON_LABELS,
  OUTCOME_ACTION_LABELS,
  OUTCOME_LABELS,
  RISK_RATING_LABELS,
  type Channel,
  type CheckSystem,
  type NfaReason,
  type Outcome,
  type OutcomeAction,
  type RiskRating,
} from '../../shared/domain/vocabularies.ts';
import { CHECK_FINDING_LABELS, type CheckFinding } from '../../shared/domain/outcome.ts';
import type { TimelineEvent } from '../../shared/api/workbench.ts';
import type { EntityRef } from '../../shared/entities/entity.ts';
import { ApiError } from '../../shared/api/errors.ts';

/** What a timeline reads: the store, and the search engine for an entity's allegations. */
export type TimelineDeps = HasStore & HasSearch;

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);
const noon = (date: string) => `${date}T12:00:00.000Z`;

/** Every event of one allegation, oldest first. */
export function allegationTimeline(core: TimelineDeps, allegationId: string): TimelineEvent[] {
  const db = core.store.db;
  const a = prepared(db, 'SELECT * FROM allegations WHERE id = ?').get(allegationId) as Record<string, unknown> | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  const reference = a.reference as string;
  const record = `#/allegation/${encodeURIComponent(reference)}`;
  const events: TimelineEvent[] = [];
  const push = (e: Omit<TimelineEvent, 'allegationId' | 'reference' | 'link'> & { link?: string }) =>
    events.push({ allegationId, reference, link: e.link ?? record, ...e, detail: short(e.detail, 400) });
  const rows = (sql: string, ...args: unknown[]) => prepared(db, sql).all(allegationId, ...args) as Array<Record<string, unknown>>;

  push({ at: a.received_at as string, kind: 'received', title: `Received by ${CHANNEL_LABELS[a.channel as Channel].toLowerCase()}`, detail: '', by: null });
  if ((a.created_at as string) !== (a.received_at as string)) {
    push({ at: a.created_at as string, kind: 'received', title: 'Entered on the desk', detail: '', by: (a.created_by as string | null) ?? null });
  }
  for (const h of rows('SELECT * FROM unit_history WHERE allegation_id = ? ORDER BY at, rowid')) {
    push({
      at: h.at as string,
      kind: 'routed',
      title: h.from_unit ? `Reallocated from ${unitName(h.from_unit as string)} to ${unitName(h.to_unit as string)}` : `Routed to ${unitName(h.to_unit as string)}`,
      detail: h.reason as string,
      by: h.by_user as string,
    });
  }
  for (const l of rows('SELECT l.*, u.display_name FROM allocations l JOIN users u ON u.id = l.user_id WHERE l.allegation_id = ? ORDER BY l.allocated_at')) {
    push({ at: l.allocated_at as string, kind: 'allocated', title: `Allocated to ${l.display_name as string}`, detail: l.ended_at ? `until ${String(l.ended_at).slice(0, 10)} (moved to another unit)` : '', by: l.allocated_by as string });
  }
  if (a.assessed_at) {
    const who = audit(db, allegationId, 'allegation.assess');
    const rating = a.risk_rating ? RISK_RATING_LABELS[a.risk_rating as RiskRating] : '';
    push({ at: a.assessed_at as string, kind: 'assessed', title: 'Initial assessment recorded', detail: rating ? `Risk rating: ${rating}` : '', by: who });
  }
  if (a.time_critical_state) {
    const evidence = JSON.parse((a.time_critical_evidence as string) || '[]') as Array<{ event?: string; sentence?: string }>;
    push({
      at: a.created_at as string,
      kind: 'time_critical',
      title: 'Time-critical content detected',
      detail: evidence[0] ? `${evidence[0].event ?? 'Event'}: “${evidence[0].sentence ?? ''}”` : '',
      by: null,
    });
    if (a.time_critical_decided_at) {
      push({
        at: a.time_critical_decided_at as string,
        kind: 'time_critical',
        title: a.time_critical_state === 'confirmed' ? 'Time-critical flag confirmed' : 'Time-critical flag dismissed',
        detail: (a.time_critical_reason as string | null) ?? '',
        by: (a.time_critical_decided_by as string | null) ?? null,
      });
    }
  }
  for (const c of rows('SELECT c.*, s.forename, s.surname FROM checks c LEFT JOIN subjects s ON s.id = c.subject_id WHERE c.allegation_id = ? ORDER BY c.done_at')) {
    const on = [c.forename, c.surname].filter(Boolean).join(' ');
    push({
      at: c.done_at as string,
      kind: 'check',
      title: `Check on ${CHECK_SYSTEM_LABELS[c.system as CheckSystem]}${on ? ` (${on})` : ''}: ${CHECK_FINDING_LABELS[c.finding as CheckFinding].toLowerCase()}`,
      detail: c.result as string,
      by: c.done_by as string,
    });
  }
  for (const j of prepared(
    db,
    `SELECT j.*, x.reference AS other FROM link_judgements j JOIN allegations x ON x.id = (CASE WHEN j.allegation_a = @id THEN j.allegation_b ELSE j.allegation_a END)
     WHERE j.allegation_a = @id OR j.allegation_b = @id ORDER BY j.decided_at`,
  ).all({ id: allegationId }) as Array<Record<string, unknown>>) {
    const what = j.judgement === 'duplicate' ? 'Judged the same allegation as' : j.judgement === 'associated' ? 'Judged associated with' : 'Judged not a match with';
    push({ at: j.decided_at as string, kind: 'judgement', title: `${what} ${j.other as string}`, detail: j.reason as string, by: j.decided_by as string, link: `#/allegation/${encodeURIComponent(j.other as string)}` });
  }
  for (const r of rows('SELECT * FROM link_reviews WHERE allegation_id = ? ORDER BY reviewed_at')) {
    const n = (JSON.parse(r.candidates as string) as unknown[]).length;
    push({ at: r.reviewed_at as string, kind: 'review', title: 'Cross-check against earlier allegations recorded', detail: `${n} candidate${n === 1 ? '' : 's'} on the panel${r.note ? `: ${r.note as string}` : ''}`, by: r.reviewed_by as string });
  }
  const notes = rows('SELECT id, note_date, author_name, text, amends_note_id, created_at FROM notes WHERE allegation_id = ? ORDER BY note_date, created_at, rowid');
  for (const n of notes) {
    // A note dated before it was written (a legacy note) happened on its date; one written here, when written.
    const at = String(n.created_at).slice(0, 10) === n.note_date ? (n.created_at as string) : noon(n.note_date as string);
    push({
      at,
      kind: 'note',
      title: n.amends_note_id ? 'Note amended (the original is kept)' : 'Note added',
      detail: n.text as string,
      by: n.author_name as string,
      link: placeLink(reference, { kind: 'note', noteId: n.id as string, date: n.note_date as string, author: n.author_name as string }),
    });
  }
  for (const t of rows('SELECT id, file_name, added_at, added_by, ocr_status, pages FROM attachments WHERE allegation_id = ? ORDER BY ordinal')) {
    const legacy = t.ocr_status === 'legacy';
    const place = { kind: 'attachment' as const, attachmentId: t.id as string, page: null, fileName: t.file_name as string };
    push({ at: legacy ? (a.received_at as string) : (t.added_at as string), kind: 'attachment', title: `${legacy ? 'Came with' : 'Attached'}: ${t.file_name as string}`, detail: legacy ? 'text held by the legacy system' : `${t.pages as number} page${t.pages === 1 ? '' : 's'}`, by: legacy ? null : (t.added_by as string), link: placeLink(reference, place) });
    if (legacy) continue;
    const read = prepared(db, "SELECT count(*) AS n, sum(status = 'failed') AS failed, max(updated_at) AS at FROM attachment_pages WHERE attachment_id = ? AND status IN ('done', 'text_layer', 'failed')").get(t.id) as { n: number; failed: number | null; at: string | null };
    if (read.n && read.at) {
      push({
        at: read.at,
        kind: 'page_read',
        title: `${t.file_name as string}: ${read.n} page${read.n === 1 ? '' : 's'} read`,
        detail: read.failed ? `${read.failed} could not be read` : t.ocr_status === 'done' || t.ocr_status === 'text_layer' ? 'reading finished' : 'reading in progress',
        by: 'OCR',
        link: placeLink(reference, { ...place, page: 1 }),
      });
    }
  }
  for (const d of rows('SELECT * FROM outcome_decisions WHERE allegation_id = ? ORDER BY decided_at')) {
    const actions = (prepared(db, 'SELECT action FROM outcome_actions WHERE decision_id = ?').all(d.id) as Array<{ action: OutcomeAction }>).map((x) => OUTCOME_ACTION_LABELS[x.action]);
    push({
      at: d.decided_at as string,
      kind: 'outcome',
      title: `Outcome: ${OUTCOME_LABELS[d.outcome as Outcome]}${d.nfa_reason ? ` — ${NFA_REASON_LABELS[d.nfa_reason as NfaReason]}` : ''}`,
      detail: [actions.join(', '), d.rationale as string].filter(Boolean).join('. '),
      by: d.decided_by as string,
    });
  }
  for (const s of rows('SELECT * FROM compliance_signoffs WHERE allegation_id = ? ORDER BY decided_at')) {
    push({ at: s.decided_at as string, kind: 'signoff', title: s.decision === 'approved' ? 'Approved and closed by compliance' : 'Returned by compliance', detail: s.note as string, by: s.decided_by as string });
  }
  for (const d of rows('SELECT * FROM disseminations WHERE allegation_id = ? ORDER BY sent_at')) {
    push({ at: d.sent_at as string, kind: 'dissemination', title: `Disseminated to ${d.recipient as string}`, detail: [d.legal_basis, d.agreement_ref].filter(Boolean).join(' · '), by: d.sent_by as string });
    if (d.result_at) push({ at: d.result_at as string, kind: 'result', title: `Result from ${d.recipient as string}`, detail: d.result as string, by: null });
  }
  for (const e of prepared(db, "SELECT at, actor, details FROM audit_log WHERE allegation_id = ? AND action = 'allegation.amend' ORDER BY seq").all(allegationId) as Array<{ at: string; actor: string; details: string }>) {
    push({ at: e.at, kind: 'amended', title: 'Form amended (what it replaced is kept)', detail: '', by: e.actor });
  }
  return events.sort((x, y) => x.at.localeCompare(y.at));
}

/** Who did it, from the audit log, when the row itself does not say. */
function audit(db: Db, allegationId: string, action: string): string | null {
  const row = prepared(db, 'SELECT actor FROM audit_log WHERE allegation_id = ? AND action = ? ORDER BY seq DESC LIMIT 1').get(allegationId, action) as { actor: string } | undefined;
  return row?.actor ?? null;
}

/**
 * An entity's timeline: the timelines of the allegations naming it (the most recent `limit`), merged, each event
 * carrying its reference; the places where the entity appears come first on each record's receipt.
 */
export function entityTimeline(core: TimelineDeps, ref: EntityRef, limit: number): { events: TimelineEvent[]; allegations: number; truncated: boolean } {
  const found = findEntity(core.search, ref);
  const chosen = found.appearances.slice(-limit);
  const events: TimelineEvent[] = [];
  for (const a of chosen) {
    for (const p of a.places) {
      if (p.place.kind === 'form' && p.place.field !== 'Account') continue;
      const where = p.place.kind === 'note' ? 'a note' : p.place.kind === 'attachment' ? `${p.place.fileName}${p.place.page ? ` page ${p.place.page}` : ''}` : 'the account';
      events.push({ at: p.at, kind: 'named', title: `${found.label} named in ${where}`, detail: p.snippet.replace(/[\u0002\u0003]/g, ''), by: null, allegationId: a.allegationId, reference: a.reference, link: p.link });
    }
    events.push(...allegationTimeline(core, a.allegationId));
  }
  return { events: events.sort((x, y) => x.at.localeCompare(y.at)), allegations: found.allegations, truncated: found.appearances.length > chosen.length || found.truncated };
}
