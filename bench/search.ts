// Search at scale: generates the synthetic corpus (../shared/data/corpus/generate.js), imports it in bulk mode,
// closes and reopens the store (no rebuild on start), then runs the corpus's query mix and its planted
// duplicates, scoring each query by the corpus README's rules. Prints one JSON line:
//   {"n","importSeconds","indexBytes","peakRssMB","latencyMs":{KIND:{"p50","p95","p99"}},"top10","dupRecall10",...}
//   npm run bench -- search --n 100000        (also --n 1000000; 1k and 10k use the shipped files)
//   options: --profile DIR (reuse an imported store: skips import), --keep (keep the store), --corpus DIR
//            (where generated corpora are cached; default $TMPDIR/ims-corpus), --passes N (default 2: latencyMs is
//            the first pass, straight after reopening — every query cold; latencyMsRepeat the last, caches warm)
import { parseArgs } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../electron/core/core.ts';
import { importJsonl } from '../electron/core/import.ts';
import { STORE_FILE } from '../electron/store/db.ts';
import { queryScorer, type Query } from './_search-scoring.ts';
import { CORPUS, corpusFile, parseN, percentile, sizeName, VAULT } from './_corpus.ts';

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { n: { type: 'string', default: '100000' }, profile: { type: 'string' }, keep: { type: 'boolean', default: false }, corpus: { type: 'string' }, passes: { type: 'string', default: '2' } },
  });
  const n = parseN(values.n as string);
  const queriesFile = join(CORPUS, `queries-${sizeName(n)}.json`);
  if (!existsSync(queriesFile)) throw new Error(`no query mix for n=${n}: ${queriesFile} does not exist (mixes exist for 10k, 100k, 1m)`);
  const mix = JSON.parse(readFileSync(queriesFile, 'utf8')) as { queries: Query[]; dup: Query[] };
  const dir = values.profile ?? mkdtempSync(join(tmpdir(), 'ims-bench-search-'));
  const actor = { userId: null, name: 'bench' };
  let importSeconds: number | null = null;
  let imported: number | null = null;

  try {
    if (!values.profile) {
      const file = corpusFile(n, values.corpus ?? join(tmpdir(), 'ims-corpus'));
      const core = await Core.openUnlocked(dir, VAULT);
      let last = 0;
      const summary = await importJsonl(
        core,
        file,
        actor,
        (p) => {
          if (p.imported - last >= 50_000) {
            last = p.imported;
            process.stderr.write(`  imported ${p.imported} (${Math.round(process.memoryUsage().rss / 1e6)} MB)\n`);
          }
        },
        { deferIndex: true },
      );
      importSeconds = summary.seconds;
      imported = summary.imported;
      core.close();
    }

    // Reopen: the index must answer at once, with no rebuild on start.
    const reopenStarted = performance.now();
    const core = Core.open(dir);
    core.search.search({ q: 'Smith', limit: 10 });
    const reopenToFirstAnswerSeconds = Math.round(performance.now() - reopenStarted) / 1000;
    const db = core.store.db;
    const pendingAfterOpen = core.search.pending().count;

    let indexBytes: number | null = null;
    try {
      indexBytes = (db.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name LIKE 'search%'").get() as { b: number }).b;
    } catch {
      indexBytes = null;
    }
    const storeBytes = statSync(join(dir, STORE_FILE)).size;

    const succeeded = queryScorer(db);

    const all = [...mix.queries, ...mix.dup];
    const passes = Math.max(1, Number(values.passes));
    // Per pass and kind: wall time, and CPU time (the same measure with the machine's other load taken out; wall
    // time is what counts, and on an idle desk they agree).
    const wall: Array<Map<string, number[]>> = [];
    const cpu: Array<Map<string, number[]>> = [];
    const ok = new Map<number, boolean>();
    const push = (m: Map<string, number[]>, k: string, v: number) => {
      const list = m.get(k) ?? [];
      list.push(v);
      m.set(k, list);
    };
    for (let pass = 0; pass < passes; pass++) {
      wall.push(new Map());
      cpu.push(new Map());
      for (const query of all) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const r = core.search.search({ q: query.q, limit: 10 });
        const ms = performance.now() - t0;
        const c1 = process.cpuUsage(c0);
        push(wall[pass] as Map<string, number[]>, query.cat, ms);
        push(cpu[pass] as Map<string, number[]>, query.cat, (c1.user + c1.system) / 1000);
        if (pass === 0) ok.set(query.qid, succeeded(query, r.hits.map((h) => h.allegationId)));
      }
    }
    const summarise = (m: Map<string, number[]>) => {
      const out: Record<string, { p50: number; p95: number; p99: number }> = {};
      for (const [cat, list] of m) {
        const sorted = [...list].sort((a, b) => a - b);
        out[cat] = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
      }
      return out;
    };
    const latencyMs = summarise(wall[0] as Map<string, number[]>);
    const cpuMs = summarise(cpu[0] as Map<string, number[]>);
    const latencyMsRepeat = passes > 1 ? summarise(wall[passes - 1] as Map<string, number[]>) : null;
    const cpuMsRepeat = passes > 1 ? summarise(cpu[passes - 1] as Map<string, number[]>) : null;
    const byKind: Record<string, number> = {};
    for (const cat of new Set(all.map((q) => q.cat))) {
      const qs = all.filter((q) => q.cat === cat);
      byKind[cat] = Math.round((1000 * qs.filter((q) => ok.get(q.qid)).length) / qs.length) / 1000;
    }
    const failures = all.filter((q) => !ok.get(q.qid)).map((q) => `${q.cat}: ${q.q}`);
    const top10 = mix.queries.filter((q) => ok.get(q.qid)).length / mix.queries.length;
    const dupRecall10 = mix.dup.filter((q) => ok.get(q.qid)).length / Math.max(1, mix.dup.length);
    const allegations = (db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n;
    core.close();
    return {
      bench: 'search',
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
      profile: values.keep || values.profile ? dir : null,
      n,
      allegations,
      imported,
      importSeconds,
      indexBytes,
      storeBytes,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      reopenToFirstAnswerSeconds,
      pendingAfterOpen,
      latencyMs,
      cpuMs,
      latencyMsRepeat,
      cpuMsRepeat,
      top10: Math.round(top10 * 1000) / 1000,
      dupRecall10: Math.round(dupRecall10 * 1000) / 1000,
      successByKind: byKind,
      failures: failures.slice(0, 40),
    };
  } finally {
    if (!values.profile && !values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
