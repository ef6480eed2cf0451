// Where the server keeps blob bytes (scans, photos, sanitised copies), addressed by the sha256 of their content.
// An upload is resumable: the store says how much of a blob it already has, takes the rest in chunks, and only a
// blob whose bytes hash to its name becomes readable. The filesystem store below implements it; an S3-compatible
// store would implement the same with a multipart upload (the received parts) and a final copy under the hash.
import type { Readable } from 'node:stream';

export interface BlobStore {
  /** Bytes held of a blob not yet complete (0 when none). */
  partial(hash: string): Promise<number>;
  /** Size of a complete blob, or null. */
  size(hash: string): Promise<number | null>;
  /** Appends a chunk at `offset`, which must be where the partial upload ends; returns the bytes now held. */
  append(hash: string, offset: number, chunk: Uint8Array): Promise<number>;
  /** Checks the whole upload against its hash: moves it into place ('complete') or throws it away ('corrupt'). */
  finish(hash: string): Promise<'complete' | 'corrupt'>;
  /** Reads a complete blob, or the inclusive byte range [start, end] of it. */
  read(hash: string, range?: { start: number; end: number }): Readable;
}

export class BlobOffsetError extends Error {
  readonly held: number;
  constructor(held: number) {
    super(`the server holds ${held} bytes of this blob: send from there`);
    this.held = held;
  }
}
