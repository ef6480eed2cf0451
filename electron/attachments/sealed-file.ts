// The at-rest format of an attachment blob: AES-256-GCM (Node's crypto) over 64 KiB segments, so that a piece of
// a 250 MB scan (the PDF viewer's ranges, a resumed sync upload) is read by opening only the segments it spans,
// never the whole file and never a plaintext copy on disk.
//
//   header  "IMSBLOB" 0x01 (8 bytes)
//   segment nonce (12) | ciphertext (≤ 64 KiB) | tag (16), repeated; every segment but the last is full
//
// Each segment's additional data names the blob (its plaintext SHA-256), the segment's index and whether it is the
// last: a segment moved within or between blobs, a blob renamed to another's name, or a file cut short at a segment
// boundary does not verify. A fresh random nonce per segment (2^32 segments per key is 256 TiB, far beyond a desk).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AttachmentError } from './errors.ts';

export const SEALED_MAGIC = Buffer.from('IMSBLOB\x01', 'latin1');
export const HEADER_BYTES = SEALED_MAGIC.length;
export const SEGMENT_BYTES = 64 * 1024;
const NONCE = 12;
const TAG = 16;
const OVERHEAD = NONCE + TAG;
const SEALED_SEGMENT = SEGMENT_BYTES + OVERHEAD;

export function isSealed(head: Uint8Array): boolean {
  return head.length >= HEADER_BYTES && SEALED_MAGIC.equals(head.subarray(0, HEADER_BYTES));
}

function aad(name: string, index: number, last: boolean): Buffer {
  return Buffer.from(`ims-blob|v1|${name}|${index}|${last ? 1 : 0}`, 'utf8');
}

export function sealSegment(key: Buffer, name: string, index: number, last: boolean, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad(name, index, last));
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]);
}

function tampered(name: string): AttachmentError {
  return new AttachmentError('corrupt', `The stored file ${name.slice(0, 12)}… does not verify (it was altered or damaged on disk, or sealed under another key), so it is not shown. Restore it from backup, or attach the scan again.`);
}

function openSegment(key: Buffer, name: string, index: number, last: boolean, sealed: Buffer): Buffer {
  if (sealed.length < OVERHEAD) throw tampered(name);
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  d.setAAD(aad(name, index, last));
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(NONCE, sealed.length - TAG)), d.final()]);
  } catch {
    throw tampered(name);
  }
}

/** Seals a whole plaintext held in memory. */
export function sealAll(key: Buffer, name: string, plain: Uint8Array): Buffer {
  const parts: Buffer[] = [SEALED_MAGIC];
  const count = Math.max(1, Math.ceil(plain.length / SEGMENT_BYTES));
  for (let i = 0; i < count; i++) parts.push(sealSegment(key, name, i, i === count - 1, plain.subarray(i * SEGMENT_BYTES, (i + 1) * SEGMENT_BYTES)));
  return Buffer.concat(parts);
}

/** Plaintext size and segment count of a sealed file of `sealedSize` bytes. */
export function layout(sealedSize: number): { plainSize: number; segments: number } {
  const body = sealedSize - HEADER_BYTES;
  const segments = Math.ceil(body / SEALED_SEGMENT);
  if (body < OVERHEAD || body - (segments - 1) * SEALED_SEGMENT < OVERHEAD) return { plainSize: -1, segments: 0 };
  return { plainSize: body - segments * OVERHEAD, segments };
}

/** Random access to a sealed file: each read opens only the segments it spans. */
export class SealedReader {
  private readonly fd: number;
  readonly plainSize: number;
  private readonly segments: number;
  private readonly key: Buffer;
  private readonly name: string;

  constructor(path: string, key: Buffer, name: string) {
    this.key = key;
    this.name = name;
    this.fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      readSync(this.fd, head, 0, HEADER_BYTES, 0);
      const l = layout(fstatSync(this.fd).size);
      if (!isSealed(head) || l.plainSize < 0) throw tampered(name);
      this.plainSize = l.plainSize;
      this.segments = l.segments;
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  segment(index: number): Buffer {
    const last = index === this.segments - 1;
    const start = HEADER_BYTES + index * SEALED_SEGMENT;
    const length = last ? this.plainSize - index * SEGMENT_BYTES + OVERHEAD : SEALED_SEGMENT;
    const buf = Buffer.alloc(length);
    const n = readSync(this.fd, buf, 0, length, start);
    return openSegment(this.key, this.name, index, last, buf.subarray(0, n));
  }

  read(offset: number, length: number): Buffer {
    const end = Math.min(this.plainSize, offset + length);
    if (end <= offset) return Buffer.alloc(0);
    const first = Math.floor(offset / SEGMENT_BYTES);
    const lastSeg = Math.floor((end - 1) / SEGMENT_BYTES);
    const parts: Buffer[] = [];
    for (let i = first; i <= lastSeg; i++) parts.push(this.segment(i));
    const joined = Buffer.concat(parts);
    return joined.subarray(offset - first * SEGMENT_BYTES, end - first * SEGMENT_BYTES);
  }

  readAll(): Buffer {
    const parts: Buffer[] = [];
    for (let i = 0; i < this.segments; i++) parts.push(this.segment(i));
    return Buffer.concat(parts);
  }

  close(): void {
    closeSync(this.fd);
  }
}
