// The corpus's 10k query mix as a regression guard on search quality (the benchmark measures 100k and 1M and
// the time each query takes; here only whether the intended records come back). Bulk import, then every query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { queryScorer, type Query } from '../../bench/_search-scoring.ts';
import { DATA, openCore, tempDir } from '../helpers.ts';
import { imported10k } from './shared-stores.ts';

const mix = JSON.parse(readFileSync(join(DATA, 'corpus', 'queries-10k.json'), 'utf8')) as { queries: Query[]; dup: Query[] };
let tmp: ReturnType<typeof tempDir>;
let core: Core;

beforeAll(async () => {
  tmp = tempDir();
  // The corpus bulk-imported once for the run (index deferred), copied here.
  const s = await imported10k(join(tmp.dir, 'profile'));
  expect(s).toMatchObject({ imported: 10_000, failed: 0 });
  core = await openCore(join(tmp.dir, 'profile'));
}, 900_000);
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('the 10k query mix', () => {
  it('leaves nothing waiting to be indexed after a bulk import', () => {
    expect(core.search.stats()).toMatchObject({ documents: 10_000, pending: 0 });
  });

  it('finds the intended record in the top 10 for at least 99% of analyst queries and 97% of planted duplicates', () => {
    const ok = queryScorer(core.store.db);
    const failed = (qs: Query[]) => qs.filter((q) => !ok(q, core.search.search({ q: q.q, limit: 10 }).hits.map((h) => h.allegationId)));
    const missed = failed(mix.queries);
    const missedDups = failed(mix.dup);
    expect(missed.length / mix.queries.length, missed.map((q) => `${q.cat}: ${q.q}`).join('; ')).toBeLessThanOrEqual(0.01);
    expect(missedDups.length / mix.dup.length).toBeLessThanOrEqual(0.03);
    for (const cat of new Set(mix.queries.map((q) => q.cat))) expect(mix.queries.filter((q) => q.cat === cat).length).toBeGreaterThan(10);
  });
});
