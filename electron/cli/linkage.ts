// `ims linkage --in A.csv [--in2 B.csv] --out pairs.csv [--use-id]`: no case store involved.
import { resolve } from 'node:path';
import { runLinkage } from '../matching/linkage.ts';

export function linkageCommand(opts: { in?: string; in2?: string; out?: string; 'use-id'?: boolean }): unknown {
  if (!opts.in || !opts.out) throw new Error('usage: ims linkage --in A.csv [--in2 B.csv] --out pairs.csv [--use-id]');
  return runLinkage(resolve(opts.in), opts.in2 ? resolve(opts.in2) : null, resolve(opts.out), { useId: opts['use-id'] ?? false });
}
