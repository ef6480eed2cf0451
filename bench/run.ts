// `npm run bench -- NAME [options]`: runs bench/NAME.ts, which prints one JSON line on stdout.
// Performance targets live here, never in timed unit tests.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [options]\n`);
  process.exit(2);
}
const mod = (await import(join(here, `${name}.ts`))) as { run(args: string[]): Promise<unknown> };
const result = await mod.run(args);
process.stdout.write(`${JSON.stringify(result)}\n`);
