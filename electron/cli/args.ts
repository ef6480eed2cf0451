// The command line of `ims`, read with node:util's parseArgs, plus what people expect of it: a word starting
// with one dash ("-smith", "-closed") is part of what they typed (a search excludes it), not a bundle of
// one-letter options; only -h is a short option. `--` ends the options, as everywhere.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './common.ts';

const SHORT = new Set(['-h']);
const PLACEHOLDER = '\u0000arg:';

/**
 * parseArgs, with single-dash words kept as positionals in the order given. Throws UsageError for unknown
 * options or missing values.
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  const end = argv.indexOf('--');
  const kept: string[] = [];
  const args = argv.map((a, i) => {
    if ((end < 0 || i < end) && a.startsWith('-') && !a.startsWith('--') && a.length > 1 && !SHORT.has(a)) {
      kept.push(a);
      return `${PLACEHOLDER}${kept.length - 1}`;
    }
    return a;
  });
  const restore = (v: string) => (v.startsWith(PLACEHOLDER) ? (kept[Number(v.slice(PLACEHOLDER.length))] as string) : v);
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(PLACEHOLDER, ''));
  }
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([k, v]) => [k, typeof v === 'string' ? restore(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? restore(x) : x)) : v]),
  ) as typeof parsed.values;
  return { values, positionals: parsed.positionals.map(restore) };
}
