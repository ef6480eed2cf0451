// Attach throughput and read-back: every FUNSD scan and the G4 fax attached to one allegation of a fresh profile
// (stored by content, not yet OCR'd), then every stored file read back whole, as an OCR worker or the viewer needs
// it. With --root DIR the same is run against another checkout's code (e.g. main's, to compare plain blobs with
// sealed ones side by side: the API used here is the same on both).
//   npm run bench -- attach [--root DIR]
import { parseArgs } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as CoreModule from '../electron/core/core.ts';
import type * as ImportModule from '../electron/core/import.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = process.env.IMS_SHARED_DATA ?? join(here, '..', '..', 'shared', 'data');

interface StoreLike {
  pathOf(hash: string): string;
  read?: (hash: string) => Buffer;
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { root: { type: 'string' } } });
  const root = resolve(values.root ?? join(here, '..'));
  const { Core } = (await import(join(root, 'electron/core/core.ts'))) as typeof CoreModule;
  const { importJsonl } = (await import(join(root, 'electron/core/import.ts'))) as typeof ImportModule;
  const funsd = join(DATA, 'ocr', 'funsd-training', 'images');
  const files = [join(DATA, 'ocr', 'fax-fine-g4-3pages.tif'), ...readdirSync(funsd).sort().map((f) => join(funsd, f))];
  const dir = mkdtempSync(join(tmpdir(), 'ims-bench-attach-'));
  const actor = { userId: null, name: 'bench' };
  try {
    const core = await Core.openUnlocked(join(dir, 'profile'), { kind: 'passphrase', passphrase: 'benchmark vault passphrase' });
    const one = join(dir, 'one.jsonl');
    writeFileSync(one, readFileSync(join(DATA, 'corpus', 'allegations-10k.jsonl'), 'utf8').split('\n')[0] + '\n');
    await importJsonl(core, one, actor);
    const allegationId = (core.store.db.prepare('SELECT id FROM allegations LIMIT 1').get() as { id: string }).id;
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const hashes: string[] = [];
    for (const f of files) {
      const r = await core.attachments.attachFile(actor, allegationId, f, undefined, { read: false });
      hashes.push((core.store.db.prepare('SELECT content_hash FROM attachments WHERE id = ?').get(r.attachment.id) as { content_hash: string }).content_hash);
      bytes += r.attachment.byteSize ?? 0;
    }
    const attachMs = performance.now() - t0;
    const attachCpu = process.cpuUsage(cpu0);
    const blobs = core.attachments.blobs as unknown as StoreLike;
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    let readBack = 0;
    for (const h of hashes) readBack += (blobs.read ? blobs.read(h) : readFileSync(blobs.pathOf(h))).length;
    const readMs = performance.now() - t1;
    const readCpu = process.cpuUsage(cpu1);
    core.close();
    return {
      bench: 'attach',
      root,
      sealed: typeof blobs.read === 'function',
      files: files.length,
      megabytes: Math.round(bytes / 1e4) / 100,
      attachSeconds: Math.round(attachMs) / 1000,
      attachCpuSeconds: Math.round((attachCpu.user + attachCpu.system) / 1000) / 1000,
      readBackMB: Math.round(readBack / 1e4) / 100,
      readSeconds: Math.round(readMs) / 1000,
      readCpuSeconds: Math.round((readCpu.user + readCpu.system) / 1000) / 1000,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
