// Content-addressed storage for attachment files: <profile>/blobs/aa/bbbb… named by SHA-256, so the same
// scan attached twice is stored once and a blob can be checked against its name. Files are streamed (never
// read whole into memory), written to a temporary file and renamed into place, so a crash leaves no half blob.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AttachmentError, formatBytes } from './errors.ts';

export const DEFAULT_MAX_BLOB_BYTES = 250 * 1024 * 1024;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** Absolute path of the stored file. */
  path: string;
  /** True when the same content was already stored. */
  existed: boolean;
}

export interface BlobStoreOptions {
  maxBytes?: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class BlobStore {
  readonly root: string;
  readonly maxBytes: number;

  constructor(profileDir: string, options: BlobStoreOptions = {}) {
    this.root = join(profileDir, 'blobs');
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
    mkdirSync(join(this.root, 'tmp'), { recursive: true, mode: 0o700 });
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AttachmentError('not_found', `not a blob name: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  has(sha256: string): boolean {
    return SHA256_HEX.test(sha256) && existsSync(this.pathOf(sha256));
  }

  /** The first `n` bytes of a file (for sniffing), without reading the rest. */
  static head(file: string, n: number): Uint8Array {
    const fd = openSync(file, 'r');
    try {
      const buf = new Uint8Array(n);
      const read = readSync(fd, buf, 0, n, 0);
      return buf.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  /** Copies a file into the store. Refuses files over the size limit before reading any of them. */
  async putFile(file: string, name = file): Promise<StoredBlob> {
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new AttachmentError('unsupported_type', `${name} is not a regular file`);
      size = st.size;
    } catch (err) {
      if (err instanceof AttachmentError) throw err;
      throw new AttachmentError('not_found', `${name} cannot be read: ${(err as Error).message}`);
    }
    this.checkSize(size, name);
    return this.putStream(createReadStream(file), name);
  }

  async putBuffer(bytes: Uint8Array, name = 'the file'): Promise<StoredBlob> {
    this.checkSize(bytes.length, name);
    const { Readable } = await import('node:stream');
    return this.putStream(Readable.from([bytes]), name);
  }

  private checkSize(size: number, name: string): void {
    if (size > this.maxBytes) {
      throw new AttachmentError('too_large', `${name} is ${formatBytes(size)}, over the ${formatBytes(this.maxBytes)} limit for one attachment: split it or scan at a lower resolution`);
    }
  }

  private async putStream(source: NodeJS.ReadableStream, name: string): Promise<StoredBlob> {
    const tmp = join(this.root, 'tmp', `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const max = this.maxBytes;
    // Counts as it hashes: a file that grows while it is copied is still cut off at the limit.
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new AttachmentError('too_large', `${name} is over the ${formatBytes(max)} limit for one attachment`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const path = this.pathOf(sha256);
    if (existsSync(path)) {
      rmSync(tmp, { force: true });
      return { sha256, size, path, existed: true };
    }
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    renameSync(tmp, path);
    return { sha256, size, path, existed: false };
  }
}
