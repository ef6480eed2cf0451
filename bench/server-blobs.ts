// The server taking in scans, as desks push them (ADR 0003): every FUNSD scan, the G4 fax and one 24 MiB photo-sized
// file appended to a fresh blob store in 4 MiB chunks (the desk's push size), each finished (hashed and moved into
// place), then each read back whole, as a desk pulling it does. With --root DIR the same against another checkout's
// store (e.g. main's, whose blobs lie plain: its read() where this one has open()), to put sealed and plain side by side.
//   npm run bench -- server-blobs [--root DIR] [--rounds 3]
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = process.env.IMS_SHARED_DATA ?? join(here, '..', '..', 'shared', 'data');
const CHUNK = 4 * 1024 * 1024;

interface AnyStore {
  append(hash: string, offset: number, chunk: Uint8Array): Promise<number>;
  finish(hash: string): Promise<'complete' | 'corrupt'>;
  open?: (hash: string) => Promise<{ stream: Readable }>;
  read?: (hash: string) => Readable;
}

async function drain(stream: Readable): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { root: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
  const root = resolve(values.root ?? join(here, '..'));
  const { FsBlobStore } = (await import(join(root, 'server/blobs/fs-blob-store.ts'))) as { FsBlobStore: new (dir: string, kms?: unknown) => AnyStore };
  const { LocalKeyFile } = (await import(join(root, 'server/keys/key-service.ts'))) as { LocalKeyFile: new (kek: Buffer) => unknown };
  const funsd = join(DATA, 'ocr', 'funsd-training', 'images');
  const files = [readFileSync(join(DATA, 'ocr', 'fax-fine-g4-3pages.tif')), ...readdirSync(funsd).sort().map((f) => readFileSync(join(funsd, f))), randomBytes(24 * 1024 * 1024)];
  const blobs = files.map((bytes) => ({ bytes, hash: createHash('sha256').update(bytes).digest('hex') }));
  const totalMb = files.reduce((n, f) => n + f.length, 0) / 1e6;
  const store: number[] = [];
  const read: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const dir = mkdtempSync(join(tmpdir(), 'ims-bench-server-blobs-'));
    try {
      const s = new FsBlobStore(join(dir, 'blobs'), new LocalKeyFile(randomBytes(32)));
      let t = performance.now();
      for (const { bytes, hash } of blobs) {
        for (let at = 0; at < bytes.length; at += CHUNK) await s.append(hash, at, bytes.subarray(at, at + CHUNK));
        if ((await s.finish(hash)) !== 'complete') throw new Error(`blob ${hash} did not complete`);
      }
      store.push(performance.now() - t);
      t = performance.now();
      for (const { bytes, hash } of blobs) {
        const stream = s.open ? (await s.open(hash)).stream : (s.read as (h: string) => Readable)(hash);
        if ((await drain(stream)) !== bytes.length) throw new Error(`blob ${hash} read back short`);
      }
      read.push(performance.now() - t);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number);
  return {
    bench: 'server-blobs',
    root,
    sealed: Boolean(FsBlobStore.prototype.open),
    files: files.length,
    megabytes: Math.round(totalMb * 10) / 10,
    rounds: store.length,
    storeMsMedian: median(store),
    readMsMedian: median(read),
    storeMBps: Math.round((totalMb / (median(store) / 1000)) * 10) / 10,
    readMBps: Math.round((totalMb / (median(read) / 1000)) * 10) / 10,
  };
}
