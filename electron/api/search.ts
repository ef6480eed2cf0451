import type { Handlers } from './context.ts';
import { actorOf, requireUser } from './context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { QuerySyntaxError } from '../../shared/search/query.ts';
import type { SearchResult } from '../search/engine.ts';
import { createSavedSearch, listSavedSearches, removeSavedSearch, runSavedSearch } from '../core/saved-searches.ts';
import { exportSearch, rebuildSearch } from '../core/search-exports.ts';

type SearchProcedures = 'search.query' | 'search.export' | 'search.saved.list' | 'search.saved.create' | 'search.saved.run' | 'search.saved.remove' | 'search.status' | 'search.reindex';

/** A query the parser (or a filter) cannot read is the caller's to fix: a clear message, never an exception. */
function readable<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw new ApiError('bad_request', error.message, { q: error.message });
    throw error;
  }
}

function view(r: SearchResult, started: number) {
  return { total: r.total, totalIsLowerBound: r.totalIsLowerBound, hits: r.hits, readAs: r.readAs, pending: r.pending, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

export const searchHandlers: Handlers<SearchProcedures> = {
  'search.query': (ctx, input) => {
    const started = performance.now();
    return readable(() => view(ctx.core.search.search({ q: input.q, filters: input.filters, limit: input.limit, offset: input.offset }), started));
  },

  'search.export': (ctx, input) => readable(() => exportSearch(ctx.core, actorOf(ctx), input)),

  'search.saved.list': (ctx, input) => readable(() => listSavedSearches(ctx.core, requireUser(ctx).id, input.counts)),

  'search.saved.create': (ctx, input) => readable(() => createSavedSearch(ctx.core, actorOf(ctx), requireUser(ctx).id, input)),

  'search.saved.run': (ctx, input) => {
    const started = performance.now();
    const r = readable(() => runSavedSearch(ctx.core, actorOf(ctx), requireUser(ctx).id, input.id, input.limit, input.markSeen));
    return { saved: r.saved, result: view(r.result, started), newSince: r.newSince, newAllegationIds: r.newAllegationIds };
  },

  'search.saved.remove': (ctx, input) => ({ removed: removeSavedSearch(ctx.core, actorOf(ctx), requireUser(ctx).id, input.id) }),

  'search.status': (ctx) => {
    const s = ctx.core.search.stats();
    const p = ctx.core.search.pending();
    return { documents: s.documents, pending: p.count, oldestPendingSeconds: p.oldestSeconds === null ? null : Math.round(p.oldestSeconds * 10) / 10, names: s.names };
  },

  'search.reindex': async (ctx) => {
    const r = await rebuildSearch(ctx.core, actorOf(ctx), (p) => ctx.core.emit({ type: 'search.reindex', done: p.done, total: p.total, finished: false }));
    ctx.core.emit({ type: 'search.reindex', done: r.allegations, total: r.allegations, finished: true });
    return r;
  },
};
