// Saved searches: a user's named query (words and filters) that re-runs on demand and says how many matches
// are new since the user last looked. "Seen" is the set of matching allegations (their index document
// numbers, sorted, 4 bytes each) at the last look, so an allegation counts as new when it starts to match —
// whether it arrived since, or an edit, a note or an attachment's text made it match.
import type { HasSearch, HasStore } from './deps.ts';

/** What this module needs of the core. */
export type SavedSearchesDeps = HasSearch & HasStore;
import type { Actor } from '../store/store.ts';
import { prepared } from '../store/db.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { canonicalFilters, type SearchFilters } from '../../shared/search/filters.ts';
import type { SavedSearchView } from '../../shared/api/search.ts';
import type { SearchResult } from '../search/engine.ts';

/** Matches remembered per saved search (and counted for "new since"). */
export const SAVED_CAP = 5000;

interface SavedRow {
  id: string;
  user_id: string;
  name: string;
  query: string;
  created_at: string;
  seen_at: string | null;
  seen_docs: Buffer | null;
  seen_count: number;
}

function view(row: SavedRow): SavedSearchView {
  const query = JSON.parse(row.query) as { q: string; filters?: SearchFilters };
  const described = [query.q ? `"${query.q}"` : '', ...canonicalFilters(query.filters ?? {}).described].filter(Boolean).join('; ');
  return {
    id: row.id,
    name: row.name,
    q: query.q,
    ...(query.filters ? { filters: query.filters } : {}),
    description: described,
    createdAt: row.created_at,
    seenAt: row.seen_at,
    seenCount: row.seen_count,
  };
}

const encode = (docs: number[]) => Buffer.from(new Uint32Array([...new Set(docs)].sort((a, b) => a - b)).buffer);

function decode(blob: Buffer | null): Uint32Array {
  if (!blob || blob.length < 4) return new Uint32Array(0);
  const copy = new Uint8Array(blob.length - (blob.length % 4));
  copy.set(blob.subarray(0, copy.length));
  return new Uint32Array(copy.buffer);
}

function contains(sorted: Uint32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function ownRow(core: SavedSearchesDeps, userId: string, id: string): SavedRow {
  const row = prepared(core.store.db, 'SELECT * FROM saved_searches WHERE id = ? AND removed_at IS NULL').get(id) as SavedRow | undefined;
  if (!row || row.user_id !== userId) throw new ApiError('not_found', 'No such saved search');
  return row;
}

function runAll(core: SavedSearchesDeps, q: string, filters: SearchFilters | undefined, limit: number, detail = true): SearchResult {
  return core.search.search({ q, filters, limit, exhaustive: SAVED_CAP, detail });
}

export function createSavedSearch(core: SavedSearchesDeps, actor: Actor, userId: string, input: { name: string; q: string; filters?: SearchFilters | undefined }): SavedSearchView {
  const result = runAll(core, input.q, input.filters, 1, false);
  const id = core.store.newId();
  const query = JSON.stringify({ q: input.q, ...(input.filters ? { filters: input.filters } : {}) });
  return core.store.mutate({ actor, action: 'search.saved.create', entity: 'saved_search', entityId: id, details: { name: input.name } }, (m) => {
    m.insert('saved_search', { id, user_id: userId, name: input.name, query, created_at: m.at, removed_at: null, seen_at: m.at, seen_docs: encode(result.docs), seen_count: result.docs.length });
    return view(ownRow(core, userId, id));
  });
}

export function listSavedSearches(core: SavedSearchesDeps, userId: string, counts: boolean): Array<SavedSearchView & { newSince: number | null }> {
  const rows = prepared(core.store.db, 'SELECT * FROM saved_searches WHERE user_id = ? AND removed_at IS NULL ORDER BY created_at').all(userId) as SavedRow[];
  return rows.map((row) => {
    let newSince: number | null = null;
    if (counts) {
      const v = view(row);
      const seen = decode(row.seen_docs);
      newSince = runAll(core, v.q, v.filters, 1, false).docs.filter((d) => !contains(seen, d)).length;
    }
    return { ...view(row), newSince };
  });
}

export function runSavedSearch(core: SavedSearchesDeps, actor: Actor, userId: string, id: string, limit: number, markSeen: boolean) {
  const row = ownRow(core, userId, id);
  const v = view(row);
  const full = runAll(core, v.q, v.filters, limit);
  const seen = decode(row.seen_docs);
  const fresh = full.docs.filter((d) => !contains(seen, d));
  const idOf = prepared(core.store.db, 'SELECT allegation_id FROM search_docs WHERE doc = ?').pluck();
  const newAllegationIds = fresh.slice(0, 500).map((d) => idOf.get(d) as string).filter(Boolean);
  if (markSeen) {
    core.store.mutate({ actor, action: 'search.saved.seen', entity: 'saved_search', entityId: id, details: { matches: full.docs.length, newSince: fresh.length } }, (m) => {
      // Which matches were seen is this desk's own (local columns): nothing is logged for sync.
      m.update('saved_search', id, { seen_at: m.at, seen_docs: encode(full.docs), seen_count: full.docs.length });
    });
  }
  return { saved: view(markSeen ? ownRow(core, userId, id) : row), result: full, newSince: fresh.length, newAllegationIds };
}

export function removeSavedSearch(core: SavedSearchesDeps, actor: Actor, userId: string, id: string): boolean {
  ownRow(core, userId, id);
  core.store.mutate({ actor, action: 'search.saved.remove', entity: 'saved_search', entityId: id }, (m) => {
    m.update('saved_search', id, { removed_at: m.at });
  });
  return true;
}
