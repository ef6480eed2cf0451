// `ims linkage --in A.csv [--in2 B.csv] --out pairs.csv [--use-id]`: no case store involved.
import { resolve } from 'node:path';
import { runLinkage } from '../matching/linkage.ts';
import { UsageError } from './common.ts';

/** `cwd`: where relative paths are read from (where the person ran the command). */
export function linkageCommand(opts: { in?: string; in2?: string; out?: string; 'use-id'?: boolean }, cwd: string = process.cwd()): unknown {
  if (!opts.in || !opts.out) throw new UsageError('usage: ims linkage --in A.csv [--in2 B.csv] --out pairs.csv [--use-id]');
  return runLinkage(resolve(cwd, opts.in), opts.in2 ? resolve(cwd, opts.in2) : null, resolve(cwd, opts.out), { useId: opts['use-id'] ?? false });
}
