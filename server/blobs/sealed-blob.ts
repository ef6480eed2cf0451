// The server's at-rest format of a blob: envelope encryption, as a KMS-backed object store does it. Each blob has
// its own random 256-bit data key, kept only wrapped by the key service (KEK) in the blob's header, bound to the
// blob's name; the content is AES-256-GCM over 64 KiB segments, so a range is served by opening only the segments it
// spans and a 250 MB scan streams.
//
//   header   "IMSSBLB" 0x01 | kek id length (u8) | kek id (utf8) | wrapped key length (u16 BE) | wrapped key
//   segment  nonce (12) | ciphertext (≤ 64 KiB) | tag (16), repeated; every segment but the last is full
//
// A segment's additional data names the blob (the plaintext SHA-256), its index and whether it is the last: a segment
// moved, a file renamed to another blob's name, or a file cut at a segment boundary does not verify.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { KeyEncryptionService } from '../keys/key-service.ts';
import { BlobDamagedError } from './blob-store.ts';

export const BLOB_MAGIC = Buffer.from('IMSSBLB\x01', 'latin1');
export const SEGMENT_BYTES = 64 * 1024;
const NONCE = 12;
const TAG = 16;
export const OVERHEAD = NONCE + TAG;
const SEALED_SEGMENT = SEGMENT_BYTES + OVERHEAD;

/** The key service's context for a blob's data key: a wrapped key copied to another blob's header does not unwrap. */
export const keyContext = (hash: string) => `blob:${hash}`;

export interface BlobKey {
  key: Buffer;
  /** The key's envelope as written at the head of a file (magic, KEK id, wrapped key). */
  header: Buffer;
}

export async function newBlobKey(kms: KeyEncryptionService, hash: string, magic: Buffer): Promise<BlobKey> {
  const key = randomBytes(32);
  const wrapped = await kms.wrap(key, keyContext(hash));
  const id = Buffer.from(kms.keyId, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(wrapped.length, 0);
  return { key, header: Buffer.concat([magic, Buffer.from([id.length]), id, len, wrapped]) };
}

/** A file's envelope as written: throws BlobDamagedError when its head is not one. */
export async function readEnvelope(file: FileHandle, hash: string, magic: Buffer): Promise<{ kekId: string; wrapped: Buffer; header: Buffer }> {
  const head = Buffer.alloc(magic.length + 1 + 255 + 2);
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  const damaged = (why: string) => new BlobDamagedError(hash, why);
  if (bytesRead < magic.length + 1 || !head.subarray(0, magic.length).equals(magic)) throw damaged('its head is not a sealed blob’s');
  const idLength = head[magic.length] as number;
  const lenAt = magic.length + 1 + idLength;
  if (bytesRead < lenAt + 2) throw damaged('its head is cut short');
  const wrapped = Buffer.alloc(head.readUInt16BE(lenAt));
  if ((await file.read(wrapped, 0, wrapped.length, lenAt + 2)).bytesRead < wrapped.length) throw damaged('its head is cut short');
  return { kekId: head.subarray(magic.length + 1, lenAt).toString('utf8'), wrapped, header: Buffer.concat([head.subarray(0, lenAt + 2), wrapped]) };
}

/** Reads a file's envelope and unwraps its key; throws BlobDamagedError when it is not one or does not unwrap. */
export async function readBlobKey(file: FileHandle, kms: KeyEncryptionService, hash: string, magic: Buffer): Promise<BlobKey> {
  const { kekId, wrapped, header } = await readEnvelope(file, hash, magic);
  try {
    return { key: await kms.unwrap(wrapped, keyContext(hash)), header };
  } catch {
    throw new BlobDamagedError(hash, `its key does not unwrap under ${kms.keyId} (it was wrapped by ${kekId || 'an unknown key'}, or altered)`);
  }
}

const segmentAad = (hash: string, index: number, last: boolean) => Buffer.from(`ims-server-blob|v1|${hash}|${index}|${last ? 1 : 0}`, 'utf8');

export function sealGcm(key: Buffer, aad: Buffer, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]);
}

/** The plaintext of one sealed unit, or null when it does not verify. */
export function openGcm(key: Buffer, aad: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < OVERHEAD) return null;
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(NONCE, sealed.length - TAG)), d.final()]);
  } catch {
    return null;
  }
}

/** Cuts a stream of plaintext into sealed segments; a segment is sealed only once it is known whether it is the last. */
export class SegmentSealer {
  private pending = Buffer.alloc(0);
  private index = 0;
  private readonly key: Buffer;
  private readonly hash: string;

  constructor(key: Buffer, hash: string) {
    this.key = key;
    this.hash = hash;
  }

  write(plain: Uint8Array): Buffer[] {
    this.pending = Buffer.concat([this.pending, plain]);
    const out: Buffer[] = [];
    while (this.pending.length > SEGMENT_BYTES) {
      out.push(sealGcm(this.key, segmentAad(this.hash, this.index++, false), this.pending.subarray(0, SEGMENT_BYTES)));
      this.pending = this.pending.subarray(SEGMENT_BYTES);
    }
    return out;
  }

  end(): Buffer {
    return sealGcm(this.key, segmentAad(this.hash, this.index++, true), this.pending);
  }
}

/** Plaintext size and segment count of a sealed body of `bodySize` bytes; null when no sealed body has that size. */
export function layout(bodySize: number): { plainSize: number; segments: number } | null {
  const segments = Math.ceil(bodySize / SEALED_SEGMENT);
  if (bodySize < OVERHEAD || bodySize - (segments - 1) * SEALED_SEGMENT < OVERHEAD) return null;
  return { plainSize: bodySize - segments * OVERHEAD, segments };
}

/** Random access to an opened sealed blob: every read verifies the segments it spans. */
export class SealedBlobReader {
  private readonly file: FileHandle;
  private readonly key: Buffer;
  private readonly hash: string;
  private readonly bodyAt: number;
  readonly plainSize: number;
  readonly segments: number;

  constructor(file: FileHandle, key: BlobKey, hash: string, fileSize: number) {
    this.file = file;
    this.key = key.key;
    this.hash = hash;
    this.bodyAt = key.header.length;
    const l = layout(fileSize - this.bodyAt);
    if (!l) throw new BlobDamagedError(hash, `its length (${fileSize} bytes) is not that of a sealed blob: it was cut short or added to`);
    this.plainSize = l.plainSize;
    this.segments = l.segments;
  }

  async segment(index: number): Promise<Buffer> {
    const last = index === this.segments - 1;
    const length = last ? this.plainSize - index * SEGMENT_BYTES + OVERHEAD : SEALED_SEGMENT;
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buf, 0, length, this.bodyAt + index * SEALED_SEGMENT);
    const plain = openGcm(this.key, segmentAad(this.hash, index, last), buf.subarray(0, bytesRead));
    if (!plain) throw new BlobDamagedError(this.hash, `segment ${index + 1} of ${this.segments} does not verify (altered or damaged on disk${last ? ', or the file was cut short' : ''})`);
    return plain;
  }

  /** The plaintext of [start, end] inclusive, from the segments it spans, all verified. */
  async range(start: number, end: number): Promise<Buffer> {
    if (end < start) return Buffer.alloc(0);
    const first = Math.floor(start / SEGMENT_BYTES);
    const lastSeg = Math.floor(end / SEGMENT_BYTES);
    const parts: Buffer[] = [];
    for (let i = first; i <= lastSeg; i++) parts.push(await this.segment(i));
    return Buffer.concat(parts).subarray(start - first * SEGMENT_BYTES, end + 1 - first * SEGMENT_BYTES);
  }
}
