// An upload in progress, staged sealed so that no plaintext of it is ever on the server's disk and it resumes after
// a restart: the blob's envelope (its data key wrapped by the key service), then one record per chunk received:
//
//   record  plaintext length (u32 BE) | nonce (12) | ciphertext | tag (16)
//
// A record's additional data names the blob and the offset it starts at, so records cannot be moved or replayed at
// another place. A record cut short by a crash is dropped when the file is next appended to (the desk is told the
// bytes held and sends the rest again); every record is verified when the upload is finished.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { KeyEncryptionService } from '../keys/key-service.ts';
import { BlobDamagedError } from './blob-store.ts';
import { newBlobKey, OVERHEAD, openGcm, readBlobKey, readEnvelope, sealGcm, type BlobKey } from './sealed-blob.ts';

export const STAGE_MAGIC = Buffer.from('IMSSTAG\x01', 'latin1');
const LEN = 4;

const recordAad = (hash: string, offset: number) => Buffer.from(`ims-server-stage|v1|${hash}|${offset}`, 'utf8');

interface Extent {
  /** Where the record's nonce starts in the file. */
  at: number;
  length: number;
  /** Where its plaintext starts in the blob. */
  offset: number;
}

/** The whole records of a staged file, and the byte where they end (the rest is a record cut short). */
async function scan(file: FileHandle, bodyAt: number, size: number): Promise<{ records: Extent[]; held: number; end: number }> {
  const records: Extent[] = [];
  let held = 0;
  let end = bodyAt;
  const len = Buffer.alloc(LEN);
  while (end + LEN <= size) {
    await file.read(len, 0, LEN, end);
    const length = len.readUInt32BE(0);
    if (end + LEN + OVERHEAD + length > size) break;
    records.push({ at: end + LEN, length, offset: held });
    held += length;
    end += LEN + OVERHEAD + length;
  }
  return { records, held, end };
}

export class StagedUpload {
  private readonly path: string;
  private readonly hash: string;
  private readonly kms: KeyEncryptionService;

  constructor(path: string, hash: string, kms: KeyEncryptionService) {
    this.path = path;
    this.hash = hash;
    this.kms = kms;
  }

  private async exists(): Promise<boolean> {
    return stat(this.path).then(
      () => true,
      () => false,
    );
  }

  /** Plaintext bytes held in whole records. */
  async held(): Promise<number> {
    if (!(await this.exists())) return 0;
    const file = await open(this.path, 'r');
    try {
      const bodyAt = await this.bodyStart(file);
      if (bodyAt === null) return 0;
      return (await scan(file, bodyAt, (await file.stat()).size)).held;
    } finally {
      await file.close();
    }
  }

  /** Where records start, or null when the file has no whole envelope (a crash while it was first written). */
  private async bodyStart(file: FileHandle): Promise<number | null> {
    try {
      return (await readEnvelope(file, this.hash, STAGE_MAGIC)).header.length;
    } catch (error) {
      if (error instanceof BlobDamagedError) return null;
      throw error;
    }
  }

  /** Seals `chunk` as the next record, if `offset` is where the held bytes end; returns the bytes held before. */
  async append(offset: number, chunk: Uint8Array, check: (held: number) => void): Promise<number> {
    const file = await open(this.path, (await this.exists()) ? 'r+' : 'w+', 0o600);
    try {
      let key: BlobKey;
      try {
        key = await readBlobKey(file, this.kms, this.hash, STAGE_MAGIC);
      } catch (error) {
        if (!(error instanceof BlobDamagedError)) throw error;
        // No whole envelope yet (new, or cut by a crash): start afresh with a new key.
        key = await newBlobKey(this.kms, this.hash, STAGE_MAGIC);
        await file.truncate(0);
        await file.write(key.header, 0, key.header.length, 0);
      }
      const { held, end } = await scan(file, key.header.length, (await file.stat()).size);
      check(held);
      const len = Buffer.alloc(LEN);
      len.writeUInt32BE(chunk.byteLength, 0);
      const record = Buffer.concat([len, sealGcm(key.key, recordAad(this.hash, offset), chunk)]);
      await file.truncate(end);
      await file.write(record, 0, record.length, end);
      await file.sync();
      return held;
    } finally {
      await file.close();
    }
  }

  /** Every record's plaintext in order, each verified; throws BlobDamagedError at the first that does not verify. */
  async *chunks(): AsyncGenerator<Buffer> {
    const file = await open(this.path, 'r');
    try {
      const key = await readBlobKey(file, this.kms, this.hash, STAGE_MAGIC);
      const { records } = await scan(file, key.header.length, (await file.stat()).size);
      for (const r of records) {
        const buf = Buffer.alloc(OVERHEAD + r.length);
        await file.read(buf, 0, buf.length, r.at);
        const plain = openGcm(key.key, recordAad(this.hash, r.offset), buf);
        if (!plain) throw new BlobDamagedError(this.hash, `the staged upload's bytes at ${r.offset} do not verify`);
        yield plain;
      }
    } finally {
      await file.close();
    }
  }
}
