// A download in progress (sync fetching a file another desk attached), kept across restarts so that it resumes
// where it stopped — sealed as it arrives, so that no plaintext of the file is on disk even half-fetched.
//
//   header "IMSPART" 0x01, then records: plaintext length (u32 BE) | nonce (12) | ciphertext | tag (16)
//
// Each record's additional data names the blob and the offset it starts at. A record cut short by a crash is
// dropped when the file is next opened (its bytes are fetched again); the whole is checked against the blob's
// name before it is stored.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { AttachmentError } from './errors.ts';

export const PARTIAL_SUFFIX = '.part';
const MAGIC = Buffer.from('IMSPART\x01', 'latin1');
const LEN = 4;
const NONCE = 12;
const TAG = 16;

export function isSealedPartial(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === 0 || (n === MAGIC.length && head.equals(MAGIC));
  } finally {
    closeSync(fd);
  }
}

const aad = (name: string, offset: number) => Buffer.from(`ims-part|v1|${name}|${offset}`, 'utf8');

export interface SealedPartial {
  /** Plaintext bytes held. */
  readonly held: number;
  append(bytes: Uint8Array): void;
  chunks(): Iterable<Buffer>;
}

interface Extent {
  at: number;
  length: number;
  offset: number;
}

export function openPartial(path: string, key: Buffer, name: string): SealedPartial {
  const records: Extent[] = [];
  let held = 0;
  let end = MAGIC.length;
  if (existsSync(path)) {
    const fd = openSync(path, 'r+');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(MAGIC.length);
      if (readSync(fd, head, 0, MAGIC.length, 0) !== MAGIC.length || !head.equals(MAGIC)) {
        ftruncateSync(fd, 0);
        end = 0;
      } else {
        const len = Buffer.alloc(LEN);
        while (end + LEN <= size) {
          readSync(fd, len, 0, LEN, end);
          const length = len.readUInt32BE(0);
          if (end + LEN + NONCE + length + TAG > size) break;
          records.push({ at: end + LEN, length, offset: held });
          held += length;
          end += LEN + NONCE + length + TAG;
        }
        if (end < size) ftruncateSync(fd, end);
      }
    } finally {
      closeSync(fd);
    }
  } else {
    end = 0;
  }
  return {
    get held() {
      return held;
    },
    append(bytes: Uint8Array) {
      const fd = openSync(path, end === 0 ? 'w' : 'a', 0o600);
      try {
        if (end === 0) end += writeSync(fd, MAGIC);
        const nonce = randomBytes(NONCE);
        const c = createCipheriv('aes-256-gcm', key, nonce);
        c.setAAD(aad(name, held));
        const ct = Buffer.concat([c.update(bytes), c.final()]);
        const len = Buffer.alloc(LEN);
        len.writeUInt32BE(bytes.length, 0);
        writeSync(fd, Buffer.concat([len, nonce, ct, c.getAuthTag()]));
        records.push({ at: end + LEN, length: bytes.length, offset: held });
        end += LEN + NONCE + bytes.length + TAG;
        held += bytes.length;
      } finally {
        closeSync(fd);
      }
    },
    *chunks() {
      const fd = openSync(path, 'r');
      try {
        for (const r of records) {
          const buf = Buffer.alloc(NONCE + r.length + TAG);
          readSync(fd, buf, 0, buf.length, r.at);
          const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, NONCE));
          d.setAAD(aad(name, r.offset));
          d.setAuthTag(buf.subarray(buf.length - TAG));
          try {
            yield Buffer.concat([d.update(buf.subarray(NONCE, buf.length - TAG)), d.final()]);
          } catch {
            throw new AttachmentError('corrupt', 'the partly fetched file does not verify: fetched again next time');
          }
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}
