// An allegation's form history, field by field, from this desk's change log (shared/domain/form-history.ts reads
// it): who amended what and when, and what each field held before. The originals are never lost (CPIA).
import type { HasStore } from './deps.ts';
import { prepared } from '../store/db.ts';
import { formHistory, type HistoryChange } from '../../shared/domain/form-history.ts';
import type { FormHistoryView } from '../../shared/api/workbench.ts';
import { ApiError } from '../../shared/api/errors.ts';

/** The entities of the form; the log of anything else (notes, checks, source details) is not read here. */
const FORM_ENTITIES = ['allegation', 'allegation_offence', 'subject', 'address', 'business', 'phone', 'email', 'vehicle', 'travel'];

export function allegationFormHistory(deps: HasStore, allegationId: string): FormHistoryView {
  const db = deps.store.db;
  if (!prepared(db, 'SELECT 1 FROM allegations WHERE id = ?').get(allegationId)) throw new ApiError('not_found', 'No such allegation');
  const rows = prepared(
    db,
    `SELECT hlc, entity, entity_id, op, data, user_id FROM changes
     WHERE allegation_id = ? AND entity IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  ).all(allegationId, JSON.stringify(FORM_ENTITIES)) as Array<{ hlc: string; entity: string; entity_id: string; op: HistoryChange['op']; data: string; user_id: string | null }>;
  const history = formHistory(rows.map((r) => ({ hlc: r.hlc, entity: r.entity, id: r.entity_id, op: r.op, fields: JSON.parse(r.data) as HistoryChange['fields'], userId: r.user_id })));
  const names = new Map<string, string>();
  const who = (id: string | null): string | null => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, (prepared(db, 'SELECT display_name FROM users WHERE id = ?').get(id) as { display_name: string } | undefined)?.display_name ?? 'someone on another desk');
    return names.get(id) ?? null;
  };
  return {
    created: history.created ? { at: history.created.at, by: who(history.created.userId) } : null,
    entries: history.entries.map((e) => ({ at: e.at, by: who(e.userId), items: e.items })),
  };
}
