// Where the server keeps blob bytes (scans, photos, sanitised copies), addressed by the sha256 of their content and
// sealed at rest (docs/adr-0003-server-sealed-blobs.md): a store takes plaintext in and gives plaintext out, and
// keeps nothing but ciphertext on its disk, staged uploads included. An upload is resumable: the store says how much
// of a blob it already has, takes the rest in chunks, and only a blob whose bytes hash to its name becomes readable.
// The filesystem store implements it; an S3-compatible store would implement the same with the same sealed format
// (staged records as the parts of a multipart upload, the sealed blob as the final object under the hash).
import type { Readable } from 'node:stream';

export interface OpenedBlob {
  /** The plaintext size of the whole blob. */
  size: number;
  /** The plaintext of the blob or of the range asked for. */
  stream: Readable;
}

export interface BlobStore {
  /** Plaintext bytes held of a blob not yet complete (0 when none). */
  partial(hash: string): Promise<number>;
  /** Plaintext size of a complete blob, or null. */
  size(hash: string): Promise<number | null>;
  /** Appends a chunk at `offset`, which must be where the partial upload ends; returns the bytes now held. */
  append(hash: string, offset: number, chunk: Uint8Array): Promise<number>;
  /** Checks the whole upload against its hash: moves it into place ('complete') or throws it away ('corrupt'). */
  finish(hash: string): Promise<'complete' | 'corrupt'>;
  /**
   * Opens a complete blob, or the inclusive byte range [start, end] of it, for reading. Everything the stream will
   * give is verified before this resolves: a damaged, cut or foreign blob rejects with BlobDamagedError, and no
   * byte of its plaintext is handed out.
   */
  open(hash: string, range?: { start: number; end: number }): Promise<OpenedBlob>;
}

export class BlobOffsetError extends Error {
  readonly held: number;
  constructor(held: number) {
    super(`the server holds ${held} bytes of this blob: send from there`);
    this.held = held;
  }
}

/** A stored blob that does not verify: altered or damaged on disk, cut short, or sealed under a KEK not held. */
export class BlobDamagedError extends Error {
  readonly hash: string;
  constructor(hash: string, why: string) {
    super(`The server's copy of blob ${hash.slice(0, 12)}… does not verify: ${why}. No part of it is served: restore the server's blobs folder from backup.`);
    this.hash = hash;
  }
}
