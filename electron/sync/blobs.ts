// Attachment files travel apart from the change log, content-addressed (named by their SHA-256) and resumable:
// - up: a file this desk holds that its pushed rows name; the server says how much of it it has (all of it when any
//   desk sent it before: deduplicated), and the rest goes in chunks from there;
// - down: a file named by rows pulled from the server that this desk lacks; fetched by ranges into a partial file
//   that survives a restart, checked against its name, then moved into the blob store.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { MAX_CHUNK_BYTES } from '../../shared/sync/protocol.ts';
import { ServerError, type ServerApi } from './server-api.ts';

/** What sync needs of the desk's blob store (electron/attachments/blob-store.ts), passed in by the core. */
export interface LocalBlobs {
  has(hash: string): boolean;
  /** Where a stored blob is. */
  pathOf(hash: string): string;
  /** A folder on the same disk for partial downloads. */
  readonly partialDir: string;
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

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readRange(path: string, offset: number, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

async function upload(api: ServerApi, desk: string, blobs: LocalBlobs, hash: string): Promise<void> {
  const path = blobs.pathOf(hash);
  const size = statSync(path).size;
  let status = await api.blobStatus(desk, hash);
  while (!status.complete) {
    const length = Math.min(CHUNK, MAX_CHUNK_BYTES, size - status.received);
    status = await api.putBlobChunk(desk, hash, status.received, size, readRange(path, status.received, length));
  }
}

async function download(api: ServerApi, desk: string, blobs: LocalBlobs, hash: string): Promise<void> {
  mkdirSync(blobs.partialDir, { recursive: true });
  const partial = join(blobs.partialDir, `${hash}.part`);
  let held = existsSync(partial) ? statSync(partial).size : 0;
  for (;;) {
    const { bytes, total } = await api.getBlob(desk, hash, held, CHUNK);
    if (bytes.length) {
      const fd = openSync(partial, held === 0 ? 'w' : 'a');
      try {
        writeSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
      held += bytes.length;
    }
    if (held >= total || bytes.length === 0) break;
  }
  if ((await sha256File(partial)) !== hash) {
    rmSync(partial, { force: true });
    throw new Error('the file fetched does not match its name: fetched again next time');
  }
  const target = blobs.pathOf(hash);
  mkdirSync(join(target, '..'), { recursive: true });
  renameSync(partial, target);
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
