// Attachment files travel apart from the change log, content-addressed (named by their SHA-256) and resumable:
// - up: a file this desk holds that its pushed rows name; the server says how much of it it has (all of it when any
//   desk sent it before: deduplicated), and the rest goes in chunks from there;
// - down: a file named by rows pulled from the server that this desk lacks; fetched by ranges into a partial file
//   that survives a restart, checked against its name, then moved into the blob store.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { MAX_CHUNK_BYTES } from '../../shared/sync/protocol.ts';
import { ServerError, type ServerApi } from './server-api.ts';

/**
 * What sync needs of the desk's blob store (electron/attachments/blob-store.ts), passed in by the core. Blobs are
 * sealed at rest under this desk's own key, which no other desk holds, so what travels is the plaintext (over the
 * authenticated connection), named and checked by its SHA-256: the receiver seals it under its own key as it arrives.
 */
export interface LocalBlobs {
  has(hash: string): boolean;
  /** Plaintext size of a stored blob. */
  size(hash: string): number;
  /** A piece of a stored blob's plaintext. */
  readRange(hash: string, offset: number, length: number): Uint8Array;
  /** Bytes of `hash` already fetched (a download resumes from there). */
  partialHeld(hash: string): number;
  appendPartial(hash: string, bytes: Uint8Array): void;
  /** Checks the fetched file against its name and stores it; throws (and forgets the partial) on a mismatch. */
  finishPartial(hash: string): Promise<unknown>;
}

const CHUNK = 4 * 1024 * 1024;
const HASH = /^[0-9a-f]{64}$/;
/** After this many failed attempts a transfer waits for a later sync rather than every cycle. */
const MAX_ATTEMPTS = 5;

export function queueUploads(db: Db, hashes: Iterable<string>, blobs: LocalBlobs, at: string): void {
  const insert = prepared(db, "INSERT INTO sync_blobs (hash, direction, queued_at) VALUES (?, 'up', ?) ON CONFLICT (hash, direction) DO NOTHING");
  for (const h of hashes) if (HASH.test(h) && blobs.has(h)) insert.run(h, at);
}

export function filesWaiting(db: Db): number {
  return (prepared(db, 'SELECT count(*) AS n FROM sync_blobs WHERE done_at IS NULL').get() as { n: number }).n;
}

async function upload(api: ServerApi, desk: string, blobs: LocalBlobs, hash: string): Promise<void> {
  const size = blobs.size(hash);
  let status = await api.blobStatus(desk, hash);
  while (!status.complete) {
    const length = Math.min(CHUNK, MAX_CHUNK_BYTES, size - status.received);
    status = await api.putBlobChunk(desk, hash, status.received, size, blobs.readRange(hash, status.received, length));
  }
}

async function download(api: ServerApi, desk: string, blobs: LocalBlobs, hash: string): Promise<void> {
  let held = blobs.partialHeld(hash);
  for (;;) {
    const { bytes, total } = await api.getBlob(desk, hash, held, CHUNK);
    if (bytes.length) {
      blobs.appendPartial(hash, bytes);
      held += bytes.length;
    }
    if (held >= total || bytes.length === 0) break;
  }
  await blobs.finishPartial(hash);
}

/**
 * Moves the files waiting, one at a time, until done or `deadline`; a failure is noted on the file and the rest go
 * on. Returns how many finished.
 */
export async function transferFiles(db: Db, api: ServerApi, desk: string, blobs: LocalBlobs, now: () => Date, deadline: number): Promise<number> {
  const waiting = prepared(db, 'SELECT hash, direction FROM sync_blobs WHERE done_at IS NULL AND attempts < ? ORDER BY queued_at LIMIT 50').all(MAX_ATTEMPTS) as Array<{ hash: string; direction: 'up' | 'down' }>;
  let done = 0;
  for (const w of waiting) {
    if (Date.now() > deadline) break;
    try {
      if (w.direction === 'up') await upload(api, desk, blobs, w.hash);
      else if (!blobs.has(w.hash)) await download(api, desk, blobs, w.hash);
      prepared(db, 'UPDATE sync_blobs SET done_at = ?, error = NULL WHERE hash = ? AND direction = ?').run(now().toISOString(), w.hash, w.direction);
      done++;
    } catch (error) {
      // A file not (yet) on the server — its sender has not sent it — waits; anything else is counted as a failure.
      const notYet = error instanceof ServerError && error.status === 404;
      prepared(db, 'UPDATE sync_blobs SET attempts = attempts + ?, error = ? WHERE hash = ? AND direction = ?').run(notYet ? 0 : 1, (error as Error).message, w.hash, w.direction);
      if (!(error instanceof ServerError)) throw error;
    }
  }
  return done;
}
