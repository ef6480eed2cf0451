// Quality of the duplicate/link panel on the synthetic corpus, against its truth file: for every planted
// re-report and associate, is a record of its cluster among the top 5 candidates; for every allegation with
// no partner, does any candidate reach the suggestion threshold. Shared by bench/links.ts and the tests.
import { readFileSync } from 'node:fs';
import type { Core } from '../electron/core/core.ts';
import { findCandidates } from '../electron/matching/candidates.ts';
import { SUGGEST_THRESHOLD } from '../shared/matching/score.ts';

interface Truth {
  duplicateClusters: Array<{ rootRef: string; members: Array<{ ref: string; kind: 're-report' | 'associate'; variations: string[] }> }>;
}

export interface CorpusQuality {
  duplicates: number;
  duplicateTop5: number;
  duplicateAboveThreshold: number;
  associates: number;
  associateTop5: number;
  associateAboveThreshold: number;
  withoutPartner: number;
  falseAlarmRate: number;
  /** Per query, milliseconds (stored allegations, each looked up once). */
  latency: { p50: number; p95: number; max: number; queries: number };
  misses: string[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

/** Every k-th item, so that a sample spreads over the whole corpus (and over time). */
function spread<T>(items: T[], n: number | undefined): T[] {
  if (n === undefined || items.length <= n) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)] as T);
}

/**
 * @param sampleWithoutPartner how many allegations with no partner to check (all when undefined).
 * @param samplePartners how many planted re-reports/associates to check (all when undefined).
 */
export function corpusQuality(core: Core, truthFile: string, sampleWithoutPartner?: number, samplePartners?: number): CorpusQuality {
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  const refToId = new Map<string, string>();
  for (const r of core.store.db.prepare('SELECT id, reference FROM allegations').all() as Array<{ id: string; reference: string }>) refToId.set(r.reference, r.id);
  // Clusters, merged where one record belongs to two (an associate that is later re-reported).
  const cluster = new Map<string, Set<string>>();
  const kind = new Map<string, 're-report' | 'associate'>();
  for (const c of truth.duplicateClusters) {
    const set = new Set<string>([c.rootRef, ...c.members.map((m) => m.ref)]);
    for (const r of [...set]) for (const x of cluster.get(r) ?? []) set.add(x);
    for (const r of set) cluster.set(r, set);
    for (const m of c.members) kind.set(m.ref, m.kind);
  }
  const lat: number[] = [];
  const lookup = (id: string) => {
    const t = performance.now();
    const r = findCandidates(core.store.db, core.matching, { id, limit: 5 });
    lat.push(performance.now() - t);
    return r.candidates;
  };
  const counts: Record<'re-report' | 'associate', { n: number; top5: number; above: number }> = { 're-report': { n: 0, top5: 0, above: 0 }, associate: { n: 0, top5: 0, above: 0 } };
  const misses: string[] = [];
  for (const [ref, k] of spread([...kind], samplePartners)) {
    const id = refToId.get(ref);
    if (!id) continue;
    const partners = cluster.get(ref) as Set<string>;
    const top = lookup(id);
    const c = counts[k];
    c.n++;
    if (top.some((x) => partners.has(x.reference))) c.top5++;
    else misses.push(`${k} ${ref}`);
    if (top.some((x) => partners.has(x.reference) && x.score >= SUGGEST_THRESHOLD)) c.above++;
  }
  const without = spread([...refToId.keys()].filter((r) => !cluster.has(r)), sampleWithoutPartner);
  let alarms = 0;
  for (const ref of without) {
    const top = lookup(refToId.get(ref) as string);
    if (top.some((x) => x.score >= SUGGEST_THRESHOLD)) alarms++;
  }
  lat.sort((a, b) => a - b);
  const [d, a] = [counts['re-report'], counts.associate];
  return {
    duplicates: d.n,
    duplicateTop5: round(d.top5 / Math.max(1, d.n)),
    duplicateAboveThreshold: round(d.above / Math.max(1, d.n)),
    associates: a.n,
    associateTop5: round(a.top5 / Math.max(1, a.n)),
    associateAboveThreshold: round(a.above / Math.max(1, a.n)),
    withoutPartner: without.length,
    falseAlarmRate: round(alarms / Math.max(1, without.length)),
    latency: { p50: round(percentile(lat, 0.5), 2), p95: round(percentile(lat, 0.95), 2), max: round(lat.at(-1) ?? 0, 2), queries: lat.length },
    misses,
  };
}
