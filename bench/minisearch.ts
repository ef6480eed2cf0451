// The engine comparison behind docs/search.md: MiniSearch (the product brief's suggestion) over the same
// records, one document per allegation with names, identifiers and all text, then the same query mix.
// MiniSearch is not a dependency of the product; install it for this measurement only:
//   npm i --no-save minisearch && npm run bench -- minisearch --n 100000
// Prints {"n","buildSeconds","heapMB","peakRssMB","serialisedMB","loadSeconds","rssAfterLoadMB","latencyMs":{KIND:{p50,p95}}}.
// Phrase queries run as an AND of their words (MiniSearch has no phrase operator), so their figures are a
// lower bound on what checking the phrase would cost.
import { parseArgs } from 'node:util';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const DATA = process.env.IMS_SHARED_DATA ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');

interface MiniSearchLike {
  addAll(docs: object[]): void;
  search(q: string, options: object): unknown[];
}
interface MiniSearchClass {
  new (options: object): MiniSearchLike;
  loadJSON(json: string, options: object): MiniSearchLike;
}

function sizeName(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`;
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { n: { type: 'string', default: '100000' } } });
  const n = Number(values.n);
  const moduleName = 'minisearch';
  let MiniSearch: MiniSearchClass;
  try {
    MiniSearch = ((await import(moduleName)) as { default: MiniSearchClass }).default;
  } catch {
    throw new Error('MiniSearch is not installed: run `npm i --no-save minisearch` first (it is not a product dependency)');
  }
  const shipped = join(DATA, 'corpus', `allegations-${sizeName(n)}.jsonl`);
  const file = existsSync(shipped) ? shipped : join(tmpdir(), 'ims-corpus', `allegations-${sizeName(n)}.jsonl`);
  if (!existsSync(file)) throw new Error(`${file} does not exist: run npm run bench -- search --n ${n} first (it generates the corpus)`);
  const mix = JSON.parse(readFileSync(join(DATA, 'corpus', `queries-${sizeName(n)}.json`), 'utf8')) as { queries: Array<{ cat: string; q: string }>; dup: Array<{ cat: string; q: string }> };
  const options = { fields: ['names', 'text', 'keys'], storeFields: [] };
  const started = performance.now();
  const ms = new MiniSearch(options);
  const compact = (s: string) => s.replace(/[\s()+.-]/g, '');
  let batch: object[] = [];
  let id = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- corpus records are read as loose JSON
    const r = JSON.parse(line) as any;
    batch.push({
      id: ++id,
      names: r.subjects.map((s: Record<string, string>) => [s.forename, s.middleNames, s.surname, s.knownAs].join(' ')).join(' '),
      keys: [...r.addresses.map((a: Record<string, string>) => (a.postcode ?? '').replace(/\s/g, '')), ...r.phones.map(compact), ...r.vehicles.map(compact), ...r.flights.map(compact)].join(' '),
      text: [r.reference, r.freeText, ...r.addresses.map((a: Record<string, string>) => Object.values(a).join(' ')), ...r.businesses.map((b: { name: string }) => b.name), ...r.notes.map((x: { text: string }) => x.text), ...r.attachments.map((a: { ocrText: string }) => a.ocrText)].join('\n'),
    });
    if (batch.length >= 5000) {
      ms.addAll(batch);
      batch = [];
    }
  }
  ms.addAll(batch);
  const buildSeconds = (performance.now() - started) / 1000;
  const heapMB = process.memoryUsage().heapUsed / 1e6;
  const t = performance.now();
  const json = JSON.stringify(ms);
  const serialiseSeconds = (performance.now() - t) / 1000;
  const l = performance.now();
  const loaded = MiniSearch.loadJSON(json, options);
  const loadSeconds = (performance.now() - l) / 1000;
  const latencies: Record<string, number[]> = {};
  for (const q of [...mix.queries, ...mix.dup]) {
    const fuzzy = q.cat === 'misspelt_surname' || q.cat === 'dup' ? 0.2 : false;
    const s = performance.now();
    loaded.search(q.q.replace(/"/g, ''), { fuzzy, combineWith: q.cat === 'dup' || q.cat === 'misspelt_surname' ? 'OR' : 'AND' });
    (latencies[q.cat] ??= []).push(performance.now() - s);
  }
  const pct = (xs: number[], p: number) => Math.round(([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)] ?? 0) * 10) / 10;
  return {
    bench: 'minisearch',
    n: id,
    buildSeconds: Math.round(buildSeconds),
    heapMB: Math.round(heapMB),
    serialisedMB: Math.round(json.length / 1e6),
    serialiseSeconds: Math.round(serialiseSeconds * 10) / 10,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    latencyMs: Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, { p50: pct(v, 0.5), p95: pct(v, 0.95) }])),
  };
}
