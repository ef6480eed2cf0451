// Search work that leaves a trace: an export takes rows off the desk, a rebuild touches every record. Both write
// their audit entry here, in the use-case, so the API and the command line audit them the same way.
import type { Actor, Store } from '../store/store.ts';
import type { IndexProgress, SearchIndex } from '../search/index.ts';
import { hitsToCsv } from '../search/csv.ts';
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
