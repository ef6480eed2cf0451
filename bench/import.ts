// Import throughput: the 10k corpus into a fresh profile, twice (the second must change nothing).
//   npm run bench -- import [--file FILE]
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../electron/core/core.ts';
import { importJsonl } from '../electron/core/import.ts';

const DATA = process.env.IMS_SHARED_DATA ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');
const DEFAULT_FILE = join(DATA, 'corpus', 'allegations-10k.jsonl');

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
  const file = values.file ?? DEFAULT_FILE;
  const dir = mkdtempSync(join(tmpdir(), 'ims-bench-import-'));
  const actor = { userId: null, name: 'bench' };
  try {
    const core = await Core.openUnlocked(dir, { kind: 'passphrase', passphrase: process.env.IMS_PASSPHRASE ?? 'benchmark vault passphrase' });
    const first = await importJsonl(core, file, actor);
    const second = await importJsonl(core, file, actor);
    const count = (core.store.db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n;
    core.close();
    return {
      bench: 'import',
      file,
      records: first.lines,
      imported: first.imported,
      failed: first.failed,
      seconds: first.seconds,
      recordsPerSecond: Math.round(first.imported / first.seconds),
      reimport: { imported: second.imported, unchanged: second.unchanged, seconds: second.seconds },
      allegationsAfterTwoImports: count,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
