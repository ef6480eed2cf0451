import type { Handlers } from './context.ts';
import { ApiError } from '../../shared/errors.ts';
import { QuerySyntaxError } from '../../shared/search-query.ts';

export const searchHandlers: Handlers<'search.query'> = {
  'search.query': (ctx, input) => {
    const started = performance.now();
    try {
      const { total, hits } = ctx.core.search.search(input.q, input.limit);
      return { total, hits, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      if (error instanceof QuerySyntaxError) throw new ApiError('bad_request', error.message, { q: error.message });
      throw error;
    }
  },
};
