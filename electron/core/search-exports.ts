// Work that leaves a trace: an export takes rows off the desk (search results, or rows chosen in a queue), a
// rebuild touches every record. Each writes its audit entry here, in the use-case, so the API and the command line
// audit them the same way.
import type { Actor, Store } from '../store/store.ts';
import type { IndexProgress, SearchIndex } from '../search/index.ts';
import { hitsToCsv, queueRowsToCsv } from '../search/csv.ts';
import { queueRows } from '../store/queues.ts';
import type { SearchFilters } from '../../shared/search/filters.ts';

export interface SearchDeps {
  store: Store;
  search: SearchIndex;
}

function audit(store: Store, actor: Actor, action: string, details: Record<string, unknown>): void {
  store.audit.record({ at: store.now().toISOString(), userId: actor.userId, actor: actor.name, action, entity: null, entityId: null, allegationId: null, details });
}

/** Results as CSV (the rows carry no source details); who exported what is audited. */
export function exportSearch(deps: SearchDeps, actor: Actor, input: { q: string; filters?: SearchFilters | undefined; limit: number }) {
  const r = deps.search.search({ q: input.q, filters: input.filters, limit: input.limit });
  audit(deps.store, actor, 'search.export', { q: input.q, filters: input.filters ?? {}, rows: r.hits.length });
  const stamp = deps.store.now().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { fileName: `ims-search-${stamp}.csv`, csv: hitsToCsv(r.hits), rows: r.hits.length, totalIsLowerBound: r.totalIsLowerBound || r.total > r.hits.length };
}

/** Rebuilds the search index from the store, with progress; audited before it starts. */
export function rebuildSearch(deps: SearchDeps, actor: Actor, onProgress?: (p: IndexProgress) => void) {
  audit(deps.store, actor, 'search.reindex', {});
  return deps.search.rebuild(onProgress);
}

/** Rows chosen on a queue or search screen, as CSV with the queue's columns; audited with the references. */
export function exportAllegations(store: Store, actor: Actor, ids: readonly string[]) {
  const { rows } = queueRows(store.db, { unit: null, statuses: [], ids, limit: ids.length });
  audit(store, actor, 'allegations.export', { rows: rows.length, references: rows.slice(0, 200).map((r) => r.reference) });
  const stamp = store.now().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { fileName: `ims-allegations-${stamp}.csv`, csv: queueRowsToCsv(rows), rows: rows.length };
}
