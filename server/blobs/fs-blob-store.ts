// Blobs on the server's disk: complete ones at blobs/ab/cd/<hash>, uploads in progress at blobs/partial/<hash>.
// A complete blob is written once (renamed into place after its hash is checked) and never changed.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BlobOffsetError, type BlobStore } from './blob-store.ts';

export class FsBlobStore implements BlobStore {
  private readonly partialDir: string;
  /** One upload per blob at a time in this process: two desks sending the same blob append in turn. */
  private readonly busy = new Map<string, Promise<unknown>>();

  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.partialDir = join(dir, 'partial');
    mkdirSync(this.partialDir, { recursive: true, mode: 0o700 });
  }

  private path(hash: string): string {
    return join(this.dir, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  private serial<T>(hash: string, fn: () => Promise<T>): Promise<T> {
    const before = this.busy.get(hash) ?? Promise.resolve();
    const next = before.then(fn, fn);
    this.busy.set(hash, next.catch(() => undefined));
    return next;
  }

  async partial(hash: string): Promise<number> {
    try {
      return (await stat(join(this.partialDir, hash))).size;
    } catch {
      return 0;
    }
  }

  async size(hash: string): Promise<number | null> {
    try {
      return (await stat(this.path(hash))).size;
    } catch {
      return null;
    }
  }

  append(hash: string, offset: number, chunk: Uint8Array): Promise<number> {
    return this.serial(hash, async () => {
      const held = await this.partial(hash);
      if (offset !== held) throw new BlobOffsetError(held);
      const file = await open(join(this.partialDir, hash), 'a', 0o600);
      try {
        await file.write(chunk);
        await file.sync();
      } finally {
        await file.close();
      }
      return held + chunk.byteLength;
    });
  }

  finish(hash: string): Promise<'complete' | 'corrupt'> {
    return this.serial(hash, async () => {
      const partial = join(this.partialDir, hash);
      const digest = createHash('sha256');
      for await (const chunk of createReadStream(partial)) digest.update(chunk as Buffer);
      if (digest.digest('hex') !== hash) {
        await rm(partial, { force: true });
        return 'corrupt';
      }
      const target = this.path(hash);
      mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
      await rename(partial, target);
      return 'complete';
    });
  }

  read(hash: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(hash), range);
  }
}
