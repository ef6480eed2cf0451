// The cross-check review that comes before an outcome: a person's record that they looked at the candidates,
// refused while a suggested candidate has no judgement.
import { prepared } from '../store/statements.ts';
import type { UserRow } from './users.ts';
import { actorFor, canWork } from './access.ts';
import { findCandidates } from '../matching/candidates.ts';
import { openCandidates, type LinksDeps } from './links.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { unitName } from '../../shared/domain/units.ts';
import type { LinkJudgement } from '../../shared/domain/vocabularies.ts';

export interface ReviewRow {
  id: string;
  reviewedAt: string;
  reviewedBy: string;
  note: string;
  candidates: Array<{ allegationId: string; reference: string; score: number; judgement: LinkJudgement | null }>;
}

export function latestReview(core: LinksDeps, allegationId: string): ReviewRow | null {
  const r = prepared(core.store.db, 'SELECT id, reviewed_at, reviewed_by, note, candidates FROM link_reviews WHERE allegation_id = ? ORDER BY reviewed_at DESC, rowid DESC LIMIT 1').get(allegationId) as
    | { id: string; reviewed_at: string; reviewed_by: string; note: string; candidates: string }
    | undefined;
  return r ? { id: r.id, reviewedAt: r.reviewed_at, reviewedBy: r.reviewed_by, note: r.note, candidates: JSON.parse(r.candidates) as ReviewRow['candidates'] } : null;
}

/**
 * Records that a person cross-checked the candidates. Refused while a suggested candidate has no judgement: the
 * review says every strong candidate was decided, not merely that the panel was opened.
 */
export function recordReview(core: LinksDeps, user: UserRow, allegationId: string, note: string): ReviewRow {
  const a = prepared(core.store.db, 'SELECT id, reference, unit_code, status FROM allegations WHERE id = ?').get(allegationId) as { id: string; reference: string; unit_code: string | null; status: string } | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  if (!canWork(core.store.db, user, a)) throw new ApiError('forbidden', `${a.reference} belongs to ${unitName(a.unit_code)}; ask that unit to allocate it to you`);
  const open = openCandidates(core, allegationId);
  if (open.length) {
    throw new ApiError('conflict', `Judge ${open.map((c) => c.reference).join(', ')} first: ${open.length === 1 ? 'it is' : 'they are'} suggested and not yet decided.`, { candidates: open.map((c) => c.reference).join(', ') });
  }
  const shown = findCandidates(core.store.db, core.matching, { id: allegationId, limit: 10, includeWeak: true, includeLinked: true }).candidates;
  const candidates = shown.map((c) => ({ allegationId: c.allegationId, reference: c.reference, score: c.score, judgement: c.judgement?.judgement ?? null }));
  const id = core.store.newId();
  const row = core.store.mutate({ actor: actorFor(user), action: 'link.review', entity: 'link_review', entityId: id, allegationId, details: { candidates: candidates.length, note } }, (m) => {
    m.append('link_review', { id, allegation_id: allegationId, reviewed_at: m.at, reviewed_by: m.actor.name, user_id: user.id, candidates: JSON.stringify(candidates), note });
    return { id, reviewedAt: m.at, reviewedBy: m.actor.name, note, candidates };
  });
  core.emit({ type: 'allegation.changed', allegationId, reference: a.reference });
  return row;
}
