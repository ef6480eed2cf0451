// The duplicate/link panel: candidate latency and quality.
//   npm run bench -- links [--n 100000] [--file F.jsonl --truth T.json] [--bulk] [--fresh] [--sample 5000] [--latency 1000]
// Linkage figures (FEBRL 1-3 at the panel's fixed threshold, fake_1000) come from the product's matcher through
// ../shared/data/linkage/eval.mjs. Corpus figures: the shipped 10k corpus by default; --n generates a larger
// one with ../shared/data/corpus/generate.js (cached in the temp folder, as is its imported profile, so a
// second run does not import again; --fresh starts over). --bulk loads only what matching reads (see
// _bulk-match-load.ts), for sizes the per-record import cannot reach in reasonable time (1M).
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../electron/core/core.ts';
import { importJsonl } from '../electron/core/import.ts';
import { findCandidates } from '../electron/matching/candidates.ts';
import { draftFromStore } from '../electron/matching/store-profile.ts';
import { SUGGEST_THRESHOLD } from '../shared/matching/score.ts';
import { corpusQuality, percentile } from './_corpus-quality.ts';
import { bulkLoadForMatching } from './_bulk-match-load.ts';
import { candidatesFor, draftCandidates } from '../electron/core/links.ts';
import { formFromRecord } from '../electron/core/content.ts';
import { readAllegation } from '../electron/store/allegations.ts';
import { fake1000Quality, febrlQuality } from './_linkage-quality.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'corpus');

function corpusFiles(n: number, file?: string, truth?: string): { file: string; truth: string } {
  if (file && truth) return { file, truth };
  if (n === 10_000 || n === 1000) {
    const tag = n === 1000 ? '1k' : '10k';
    return { file: join(CORPUS, `allegations-${tag}.jsonl`), truth: join(CORPUS, `truth-${tag}.json`) };
  }
  const dir = join(tmpdir(), 'ims-bench-links');
  mkdirSync(dir, { recursive: true });
  const out = { file: join(dir, `allegations-${n}.jsonl`), truth: join(dir, `truth-${n}.json`) };
  if (!existsSync(out.truth)) execFileSync(process.execPath, [join(CORPUS, 'generate.js'), '--n', String(n), '--out', out.file, '--truth', out.truth], { stdio: 'ignore' });
  return out;
}

function latency(core: Core, count: number, drafts_: boolean) {
  const ids = core.store.db.prepare('SELECT id FROM allegations ORDER BY random() LIMIT ?').pluck().all(count) as string[];
  const stored: number[] = [];
  const drafts: number[] = [];
  for (const id of ids) {
    let t = performance.now();
    findCandidates(core.store.db, core.matching, { id, limit: 5 });
    stored.push(performance.now() - t);
    // A record being typed: the stored record's content as a draft (needs the full store, not the bulk loader's).
    const draft = drafts_ ? draftFromStore(core.store.db, id) : null;
    if (!draft) continue;
    t = performance.now();
    findCandidates(core.store.db, core.matching, { draft, limit: 5 });
    drafts.push(performance.now() - t);
  }
  const stats = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    const r = (x: number) => Math.round(x * 100) / 100;
    return { p50: r(percentile(xs, 0.5)), p95: r(percentile(xs, 0.95)), max: r(xs.at(-1) ?? 0), queries: xs.length };
  };
  return { stored: stats(stored), draft: stats(drafts) };
}

/**
 * What the panel's procedures cost end to end: links.candidates (candidates plus each one's side of the
 * comparison, read from the store) and links.draftCandidates (a stored record's form, as if typed again).
 */
function panelLatency(core: Core, count: number) {
  const ids = core.store.db.prepare('SELECT id FROM allegations ORDER BY random() LIMIT ?').pluck().all(count) as string[];
  const stored: number[] = [];
  const typed: number[] = [];
  for (const id of ids) {
    let t = performance.now();
    candidatesFor(core, id, { limit: 6, includeWeak: true });
    stored.push(performance.now() - t);
    const record = readAllegation(core.store.db, id);
    if (!record) continue;
    const form = formFromRecord(record);
    t = performance.now();
    draftCandidates(core, form, undefined, 5);
    typed.push(performance.now() - t);
  }
  const stats = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    const r = (x: number) => Math.round(x * 100) / 100;
    return { p50: r(percentile(xs, 0.5)), p95: r(percentile(xs, 0.95)), max: r(xs.at(-1) ?? 0), calls: xs.length };
  };
  return { 'links.candidates': stats(stored), 'links.draftCandidates': stats(typed) };
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { n: { type: 'string' }, file: { type: 'string' }, truth: { type: 'string' }, fresh: { type: 'boolean', default: false }, sample: { type: 'string' }, latency: { type: 'string' }, 'skip-linkage': { type: 'boolean', default: false }, bulk: { type: 'boolean', default: false } },
  });
  const n = Number(values.n ?? 10_000);
  const { file, truth } = corpusFiles(n, values.file, values.truth);
  const profile = join(tmpdir(), 'ims-bench-links', `profile-${values.file ? 'custom' : n}${values.bulk ? '-bulk' : ''}`);
  const done = join(profile, 'imported.ok');
  if (values.fresh || !existsSync(done)) {
    rmSync(profile, { recursive: true, force: true });
    mkdirSync(profile, { recursive: true });
  }
  const core = await Core.openUnlocked(profile, { kind: 'passphrase', passphrase: process.env.IMS_PASSPHRASE ?? 'benchmark vault passphrase' });
  try {
    let importSeconds: number | null = null;
    if (!existsSync(done)) {
      const s = values.bulk ? await bulkLoadForMatching(core, file) : await importJsonl(core, file, { userId: null, name: 'bench links' });
      importSeconds = s.seconds;
      writeFileSync(done, JSON.stringify(s));
    }
    // A store imported by an older build is brought up to this build's keys first (not timed).
    if (!values.bulk) core.matching.catchUp();
    const allegations = (core.store.db.prepare('SELECT count(*) AS c FROM allegations').get() as { c: number }).c;
    // Latency first, from a cold cache, on random allegations.
    const lat = latency(core, Number(values.latency ?? 1000), !values.bulk);
    // The panel's procedures as the screen calls them (the full store only: the bulk loader keeps no forms).
    const panel = values.bulk ? null : panelLatency(core, Math.min(200, Number(values.latency ?? 1000)));
    // Beyond 20k allegations, quality is measured on an even spread of 5,000 of each kind (--sample N to change).
    const sample = values.sample ? Number(values.sample) : allegations > 20_000 ? 5000 : undefined;
    const quality = corpusQuality(core, truth, sample, allegations > 200_000 ? sample : undefined);
    const linkage = values['skip-linkage']
      ? null
      : {
          febrl3: febrlQuality(3),
          febrl2: febrlQuality(2),
          febrl1: febrlQuality(1),
          fake1000: fake1000Quality(true),
          fake1000WithoutEmail: fake1000Quality(false),
        };
    return {
      bench: 'links',
      allegations,
      loadedBy: values.bulk ? 'bulk matching-only loader (bench/_bulk-match-load.ts)' : 'importJsonl',
      importSeconds,
      threshold: SUGGEST_THRESHOLD,
      latencyMs: lat,
      panelLatencyMs: panel,
      corpus: { ...quality, misses: quality.misses.length },
      linkage,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    core.close();
  }
}
