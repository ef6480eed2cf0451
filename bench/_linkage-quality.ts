// The linkage benchmarks through the product's own matcher and the shared evaluator (eval.mjs in
// ../shared/data/linkage), at the panel's fixed threshold. Shared by bench/links.ts and the tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLinkage } from '../electron/matching/linkage.ts';
import { SUGGEST_THRESHOLD } from '../shared/matching/score.ts';

export const LINKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'linkage');

interface EvalJson {
  at_threshold?: { f1: number; precision: number; recall: number };
  best_f1: { f1: number; threshold: number; precision: number; recall: number };
  topk: { hit_rate: number; false_alarm_rate: number; shown_suggestion_precision: number };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

function evaluate(args: string[]): EvalJson {
  return JSON.parse(execFileSync(process.execPath, [join(LINKAGE_DIR, 'eval.mjs'), ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as EvalJson;
}

/** FEBRL dataset N (1, 2 or 3): F1 at the fixed threshold, precision of shown suggestions, false alarms, best F1. */
export function febrlQuality(n: 1 | 2 | 3, useId = false) {
  const dir = mkdtempSync(join(tmpdir(), 'ims-linkage-'));
  try {
    const file = join(LINKAGE_DIR, `dataset${n}.csv`);
    const out = join(dir, 'pairs.csv');
    const run = runLinkage(file, null, out, { useId });
    const r = evaluate(['--febrl', file, '--pred', out, '--threshold', String(SUGGEST_THRESHOLD), '--topk', '5']);
    return {
      threshold: SUGGEST_THRESHOLD,
      f1: round(r.at_threshold?.f1 ?? 0),
      precision: round(r.at_threshold?.precision ?? 0),
      recall: round(r.at_threshold?.recall ?? 0),
      shownPrecision: round(r.topk.shown_suggestion_precision),
      falseAlarmRate: round(r.topk.false_alarm_rate),
      hitAt5: round(r.topk.hit_rate),
      bestF1: round(r.best_f1.f1),
      seconds: run.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splink's fake_1000 (FEBRL columns; soc_sec_id holds the email): best F1 and hit rate at 5. */
export function fake1000Quality(useId: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'ims-linkage-'));
  try {
    const file = join(LINKAGE_DIR, 'fake_1000_febrl.csv');
    const out = join(dir, 'pairs.csv');
    runLinkage(file, null, out, { useId });
    const r = evaluate(['--clusters', file, '--id-col', 'rec_id', '--cluster-col', 'cluster', '--pred', out, '--topk', '5']);
    return { useId, bestF1: round(r.best_f1.f1), hitAt5: round(r.topk.hit_rate) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
