// Content-addressed storage for attachment files: <profile>/blobs/aa/bbbb… named by the SHA-256 of the plaintext,
// so the same scan attached twice is stored once and a blob can be checked against its name — and every file is
// sealed at rest (sealed-file.ts) under the vault's "blobs" data key, which the key ring wraps like every other
// data key (issue 16: a letter's signature block was readable in blobs/). Nothing here writes plaintext to disk.
//
// Why the plaintext hash may name the file: the same hash is already the attachment's content_hash in the store,
// its change log and the sync protocol, so a keyed name would hide nothing they do not show. What it does reveal to
// someone who can list the folder is whether a file they already hold a copy of is on this desk — not its content.
//
// Files are sealed into a temporary file, fsynced and renamed into place, so a crash leaves no half blob.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AttachmentError, formatBytes } from './errors.ts';
import { isSealed, SealedReader, sealSegment, SEGMENT_BYTES, SEALED_MAGIC } from './sealed-file.ts';
import { isSealedPartial, openPartial, PARTIAL_SUFFIX } from './sealed-partial.ts';

export const DEFAULT_MAX_BLOB_BYTES = 250 * 1024 * 1024;

export interface StoredBlob {
  sha256: string;
  /** Size of the plaintext. */
  size: number;
  /** Absolute path of the stored (sealed) file. */
  path: string;
  /** True when the same content was already stored. */
  existed: boolean;
}

export interface BlobStoreOptions {
  /** The key blobs are sealed under (the vault's "blobs" data key); throws a clear error while the vault is locked. */
  key: () => Buffer;
  maxBytes?: number;
}

export interface LegacySealing {
  sealed: number;
  /** Plain files that were not where their name says (left in place, listed for the operator). */
  mismatched: string[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A sealed temporary file this old belongs to no write still running (a 250 MB file is sealed in seconds). */
const ORPHANED_AFTER_MS = 60 * 60 * 1000;
type Chunks = () => AsyncIterable<Buffer> | Iterable<Buffer>;

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class BlobStore {
  readonly root: string;
  readonly maxBytes: number;
  private readonly key: () => Buffer;

  constructor(profileDir: string, options: BlobStoreOptions) {
    this.root = join(profileDir, 'blobs');
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
    this.key = options.key;
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

  private reader(sha256: string): SealedReader {
    const key = this.key();
    const path = this.pathOf(sha256);
    if (!existsSync(path)) throw new AttachmentError('not_found', 'The stored file is missing from this desk (it may not have been copied from another desk yet)');
    if (!isSealed(BlobStore.head(path, SEALED_MAGIC.length))) {
      throw new AttachmentError('not_found', 'This stored file has not been sealed yet: unlock the vault so that the desk seals the files kept before sealing existed');
    }
    return new SealedReader(path, key, sha256);
  }

  /** The whole plaintext, checked against its name. Throws AttachmentError 'corrupt' when it does not verify. */
  read(sha256: string): Buffer {
    const r = this.reader(sha256);
    try {
      const bytes = r.readAll();
      if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new AttachmentError('corrupt', `The stored file ${sha256.slice(0, 12)}… is not the file its name says, so it is not shown.`);
      return bytes;
    } finally {
      r.close();
    }
  }

  /** The blob as the OCR pool reads it: decrypted here, handed to a worker in memory. */
  source(sha256: string): { id: string; read(): Buffer } {
    return { id: `blob:${sha256}`, read: () => this.read(sha256) };
  }

  /** A piece of the plaintext and the plaintext's size, opening only the segments the piece spans. */
  readRange(sha256: string, offset: number, length: number): { data: Buffer; total: number } {
    const r = this.reader(sha256);
    try {
      return { data: r.read(offset, length), total: r.plainSize };
    } finally {
      r.close();
    }
  }

  /** Size of a stored blob's plaintext. */
  size(sha256: string): number {
    const r = this.reader(sha256);
    try {
      return r.plainSize;
    } finally {
      r.close();
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
    // Two passes: the name (the hash) is part of every segment's sealing, so it is needed before the first.
    const chunks = () => createReadStream(file, { highWaterMark: SEGMENT_BYTES }) as AsyncIterable<Buffer>;
    const measured = await this.measure(chunks, name);
    return this.store(measured.sha256, measured.size, chunks, name);
  }

  async putBuffer(bytes: Uint8Array, name = 'the file'): Promise<StoredBlob> {
    this.checkSize(bytes.length, name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.store(sha256, bytes.length, () => [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)], name);
  }

  private checkSize(size: number, name: string): void {
    if (size > this.maxBytes) {
      throw new AttachmentError('too_large', `${name} is ${formatBytes(size)}, over the ${formatBytes(this.maxBytes)} limit for one attachment: split it or scan at a lower resolution`);
    }
  }

  /** Hashes and counts, cutting off at the limit: a file that grows while it is read is still refused. */
  private async measure(chunks: Chunks, name: string): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of chunks()) {
      size += chunk.length;
      if (size > this.maxBytes) throw new AttachmentError('too_large', `${name} is over the ${formatBytes(this.maxBytes)} limit for one attachment`);
      hash.update(chunk);
    }
    return { sha256: hash.digest('hex'), size };
  }

  private async store(sha256: string, size: number, chunks: Chunks, name: string): Promise<StoredBlob> {
    const path = this.pathOf(sha256);
    if (existsSync(path) && isSealed(BlobStore.head(path, SEALED_MAGIC.length))) return { sha256, size, path, existed: true };
    const tmp = await this.sealToTemp(sha256, size, chunks, name);
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    renameSync(tmp, path);
    fsyncDir(join(this.root, sha256.slice(0, 2)));
    return { sha256, size, path, existed: false };
  }

  /** Seals `chunks` (which must hash to `sha256` and be `size` long) into a fsynced temporary file. */
  private async sealToTemp(sha256: string, size: number, chunks: Chunks, name: string): Promise<string> {
    const key = this.key();
    const tmp = join(this.root, 'tmp', `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, SEALED_MAGIC);
      const count = Math.max(1, Math.ceil(size / SEGMENT_BYTES));
      const rehash = createHash('sha256');
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let seen = 0;
      let index = 0;
      const changed = () => new AttachmentError('corrupt', `${name} changed while it was being stored: attach it again once it is complete`);
      for await (const chunk of chunks()) {
        seen += chunk.length;
        if (seen > size) throw changed();
        rehash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        while (pendingBytes >= SEGMENT_BYTES && index < count - 1) {
          const all = Buffer.concat(pending);
          writeSync(fd, sealSegment(key, sha256, index++, false, all.subarray(0, SEGMENT_BYTES)));
          pending = [all.subarray(SEGMENT_BYTES)];
          pendingBytes = all.length - SEGMENT_BYTES;
        }
      }
      if (seen !== size || index !== count - 1 || rehash.digest('hex') !== sha256) throw changed();
      writeSync(fd, sealSegment(key, sha256, index, true, Buffer.concat(pending)));
      fsyncSync(fd);
      closeSync(fd);
      return tmp;
    } catch (err) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  // ------------------------------------------------------------------------------ downloads (sync)

  /** Plaintext bytes of `sha256` already fetched into its sealed partial file (0 when none). */
  partialHeld(sha256: string): number {
    const p = openPartial(this.partialPath(sha256), this.key(), sha256);
    return p.held;
  }

  /** Appends fetched bytes to the partial file, sealed as they arrive. */
  appendPartial(sha256: string, bytes: Uint8Array): void {
    openPartial(this.partialPath(sha256), this.key(), sha256).append(bytes);
  }

  /** Checks the partial file against its name and moves it into the store, sealed; a mismatch is thrown away. */
  async finishPartial(sha256: string): Promise<StoredBlob> {
    const path = this.partialPath(sha256);
    const partial = openPartial(path, this.key(), sha256);
    try {
      const measured = await this.measure(() => partial.chunks(), 'the fetched file');
      if (measured.sha256 !== sha256) throw new AttachmentError('corrupt', 'the file fetched does not match its name: fetched again next time');
      return await this.store(sha256, measured.size, () => partial.chunks(), 'the fetched file');
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    } finally {
      rmSync(path, { force: true });
    }
  }

  private partialPath(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AttachmentError('not_found', `not a blob name: ${sha256}`);
    return join(this.root, 'tmp', `${sha256}${PARTIAL_SUFFIX}`);
  }

  // ------------------------------------------------------------------------------ sealing what came before

  /** Plain files left from before blobs were sealed (and plaintext left in tmp/ by a desk killed mid-write). */
  plainFiles(): string[] {
    const out: string[] = [];
    for (const dir of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const f of readdirSync(join(this.root, dir))) {
        const path = join(this.root, dir, f);
        if (!isSealed(BlobStore.head(path, SEALED_MAGIC.length))) out.push(path);
      }
    }
    return out;
  }

  /**
   * The one-time sealing pass, run at every unlock until nothing is left: each plain blob is sealed into a fsynced
   * temporary file that is renamed over it (the rename replaces the plaintext atomically: killed at any point, the
   * blob is either still plain — sealed on the next unlock — or sealed; never lost, never half-written). Plaintext
   * left in tmp/ by an older desk (a half-copied upload, a partial download) is removed: it is fetched again.
   */
  async sealLegacy(): Promise<LegacySealing> {
    const result: LegacySealing = { sealed: 0, mismatched: [] };
    for (const f of readdirSync(join(this.root, 'tmp'))) {
      const path = join(this.root, 'tmp', f);
      if (f.endsWith(PARTIAL_SUFFIX)) {
        if (!isSealedPartial(path)) rmSync(path, { force: true });
        continue;
      }
      // A temporary file is plaintext from an older desk, or a sealed copy never renamed into place (killed, or
      // a failed write): either way an orphan once it is older than any write still running could be.
      const started = Number(f.split('-')[0]);
      if (!isSealed(BlobStore.head(path, SEALED_MAGIC.length)) || !(started > Date.now() - ORPHANED_AFTER_MS)) rmSync(path, { force: true });
    }
    for (const path of this.plainFiles()) {
      const parts = path.split(/[\\/]/);
      const sha256 = `${parts[parts.length - 2]}${parts[parts.length - 1]}`;
      const chunks = () => createReadStream(path, { highWaterMark: SEGMENT_BYTES }) as AsyncIterable<Buffer>;
      const measured = await this.measure(chunks, path).catch(() => null);
      if (!measured || measured.sha256 !== sha256) {
        result.mismatched.push(path);
        continue;
      }
      const tmp = await this.sealToTemp(sha256, measured.size, chunks, path);
      renameSync(tmp, path);
      fsyncDir(join(path, '..'));
      result.sealed++;
    }
    return result;
  }
}
