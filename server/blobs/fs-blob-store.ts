// Blobs on the server's disk, sealed (sealed-blob.ts): complete ones at blobs/ab/cd/<hash>, uploads in progress at
// blobs/partial/<hash> (staging.ts), and the sealed copy being written at finish in blobs/partial/<hash>.seal until
// it is renamed into place. A complete blob is written once and never changed.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { KeyEncryptionService } from '../keys/key-service.ts';
import { BlobDamagedError, BlobOffsetError, type BlobStore, type OpenedBlob } from './blob-store.ts';
import { BLOB_MAGIC, layout, newBlobKey, readBlobKey, readEnvelope, SealedBlobReader, SEGMENT_BYTES, SegmentSealer } from './sealed-blob.ts';
import { StagedUpload } from './staging.ts';

/** A range (or whole blob) up to this size is decrypted once into memory; above it, verified whole then streamed. */
const IN_MEMORY_BYTES = 16 * 1024 * 1024;
const HASH_NAME = /^[0-9a-f]{64}$/;

export class FsBlobStore implements BlobStore {
  private readonly partialDir: string;
  /** One upload per blob at a time in this process: two desks sending the same blob append in turn. */
  private readonly busy = new Map<string, Promise<unknown>>();
  private readonly dir: string;
  private readonly kms: KeyEncryptionService;

  constructor(dir: string, kms: KeyEncryptionService) {
    this.dir = dir;
    this.kms = kms;
    this.partialDir = join(dir, 'partial');
    mkdirSync(this.partialDir, { recursive: true, mode: 0o700 });
  }

  /** Where a complete blob lives (for tests and the operator's tools: its bytes there are ciphertext). */
  pathOf(hash: string): string {
    return join(this.dir, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  private staged(hash: string): StagedUpload {
    return new StagedUpload(join(this.partialDir, hash), hash, this.kms);
  }

  private serial<T>(hash: string, fn: () => Promise<T>): Promise<T> {
    const before = this.busy.get(hash) ?? Promise.resolve();
    const next = before.then(fn, fn);
    this.busy.set(hash, next.catch(() => undefined));
    return next;
  }

  partial(hash: string): Promise<number> {
    return this.staged(hash).held();
  }

  async size(hash: string): Promise<number | null> {
    let file: FileHandle;
    try {
      file = await open(this.pathOf(hash), 'r');
    } catch {
      return null;
    }
    try {
      const { header } = await readEnvelope(file, hash, BLOB_MAGIC);
      return layout((await file.stat()).size - header.length)?.plainSize ?? null;
    } finally {
      await file.close();
    }
  }

  append(hash: string, offset: number, chunk: Uint8Array): Promise<number> {
    return this.serial(hash, async () => {
      const held = await this.staged(hash).append(offset, chunk, (h) => {
        if (offset !== h) throw new BlobOffsetError(h);
      });
      return held + chunk.byteLength;
    });
  }

  finish(hash: string): Promise<'complete' | 'corrupt'> {
    return this.serial(hash, async () => {
      const partial = join(this.partialDir, hash);
      const sealing = `${partial}.seal`;
      const digest = createHash('sha256');
      const key = await newBlobKey(this.kms, hash, BLOB_MAGIC);
      const sealer = new SegmentSealer(key.key, hash);
      const out = await open(sealing, 'w', 0o600);
      let verified = true;
      try {
        await out.write(key.header);
        for await (const chunk of this.staged(hash).chunks()) {
          digest.update(chunk);
          for (const segment of sealer.write(chunk)) await out.write(segment);
        }
        await out.write(sealer.end());
        await out.sync();
      } catch (error) {
        if (!(error instanceof BlobDamagedError)) throw error;
        verified = false;
      } finally {
        await out.close();
      }
      if (!verified || digest.digest('hex') !== hash) {
        await rm(partial, { force: true });
        await rm(sealing, { force: true });
        return 'corrupt';
      }
      const target = this.pathOf(hash);
      mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
      await rename(sealing, target);
      await rm(partial, { force: true });
      return 'complete';
    });
  }

  async open(hash: string, range?: { start: number; end: number }): Promise<OpenedBlob> {
    const file = await open(this.pathOf(hash), 'r');
    try {
      const reader = new SealedBlobReader(file, await readBlobKey(file, this.kms, hash, BLOB_MAGIC), hash, (await file.stat()).size);
      // The last segment says the file is whole (a cut at a segment boundary leaves a last segment sealed as not last).
      await reader.segment(reader.segments - 1);
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? reader.plainSize - 1, reader.plainSize - 1);
      if (end - start + 1 <= IN_MEMORY_BYTES) {
        const bytes = await reader.range(start, end);
        await file.close();
        return { size: reader.plainSize, stream: Readable.from([bytes]) };
      }
      // Too large to hold: every segment is verified first, so that a damaged one fails before a byte is sent.
      for (let i = Math.floor(start / SEGMENT_BYTES); i <= Math.floor(end / SEGMENT_BYTES); i++) await reader.segment(i);
      return { size: reader.plainSize, stream: Readable.from(streamRange(reader, file, start, end)) };
    } catch (error) {
      await file.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Seals what an older server left plain: each plain complete blob is sealed into a fsynced file renamed over it
   * (killed at any point, a blob is either still plain, sealed next time, or sealed), and plain staged uploads are
   * removed (the desk is told it holds nothing and sends again). Returns how many blobs were sealed.
   */
  async sealLegacy(): Promise<{ sealed: number; dropped: number }> {
    let sealed = 0;
    let dropped = 0;
    for (const name of await readdir(this.partialDir)) {
      const path = join(this.partialDir, name);
      if (name.endsWith('.seal') || !(await startsWith(path, Buffer.from('IMSSTAG', 'latin1')))) {
        await rm(path, { force: true });
        dropped++;
      }
    }
    for (const a of await readdir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdir(join(this.dir, a))) {
        for (const hash of await readdir(join(this.dir, a, b))) {
          const path = join(this.dir, a, b, hash);
          if (!HASH_NAME.test(hash) || (await startsWith(path, BLOB_MAGIC))) continue;
          await this.sealPlainFile(path, hash);
          sealed++;
        }
      }
    }
    return { sealed, dropped };
  }

  private async sealPlainFile(path: string, hash: string): Promise<void> {
    const sealing = join(this.partialDir, `${hash}.seal`);
    const key = await newBlobKey(this.kms, hash, BLOB_MAGIC);
    const sealer = new SegmentSealer(key.key, hash);
    const input = await open(path, 'r');
    const out = await open(sealing, 'w', 0o600);
    try {
      await out.write(key.header);
      for await (const chunk of input.createReadStream({ highWaterMark: SEGMENT_BYTES })) for (const segment of sealer.write(chunk as Buffer)) await out.write(segment);
      await out.write(sealer.end());
      await out.sync();
    } finally {
      await out.close();
      await input.close().catch(() => undefined);
    }
    await rename(sealing, path);
  }
}

async function* streamRange(reader: SealedBlobReader, file: FileHandle, start: number, end: number): AsyncGenerator<Buffer> {
  try {
    for (let at = start; at <= end; at += SEGMENT_BYTES * 16) yield await reader.range(at, Math.min(end, at + SEGMENT_BYTES * 16 - 1));
  } finally {
    await file.close();
  }
}

async function startsWith(path: string, magic: Buffer): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return bytesRead === magic.length && head.equals(magic);
  } finally {
    await file.close();
  }
}
