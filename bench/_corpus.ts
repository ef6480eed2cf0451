// Corpora of any size for benchmarks: the shipped 1k and 10k files, or larger ones generated once with the corpus
// generator (../shared/data/corpus/generate.js) and cached.
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA = process.env.IMS_SHARED_DATA ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');
export const CORPUS = join(DATA, 'corpus');
export const VAULT = { kind: 'passphrase' as const, passphrase: process.env.IMS_PASSPHRASE ?? 'benchmark vault passphrase' };

export function sizeName(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export function parseN(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.trim());
  if (!m) throw new Error(`--n ${raw}: a number such as 100000, 100k or 1m`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1));
}

export function corpusFile(n: number, cacheDir: string): string {
  const name = `allegations-${sizeName(n)}.jsonl`;
  const shipped = join(CORPUS, name);
  if (existsSync(shipped)) return shipped;
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, name);
  if (!existsSync(out)) {
    process.stderr.write(`generating ${name} with generate.js…\n`);
    const tmp = `${out}.partial`;
    execFileSync(process.execPath, [join(CORPUS, 'generate.js'), '--n', String(n), '--out', tmp, '--truth', join(cacheDir, `truth-${sizeName(n)}.json`)], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('mv', [tmp, out]);
  }
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] as number) * 100) / 100;
}
