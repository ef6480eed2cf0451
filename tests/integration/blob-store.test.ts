import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BlobStore } from '../../electron/attachments/blob-store.ts';
import { ingestAttachment } from '../../electron/attachments/ingest.ts';
import { type AttachmentError } from '../../electron/attachments/errors.ts';
import { DATA, tempDir } from '../helpers.ts';

const FAX = join(DATA, 'ocr', 'fax-fine-g4-3pages.tif');
const KEY = randomBytes(32);
const key = () => KEY;
const tmp = tempDir('ims-blobs-');
afterAll(() => tmp.cleanup());

async function failure(p: Promise<unknown>): Promise<AttachmentError> {
  try {
    await p;
  } catch (err) {
    return err as AttachmentError;
  }
  throw new Error('expected a failure');
}

describe('the content-addressed blob store', () => {
  it('stores a file under blobs/aa/bbbb… by its SHA-256, sealed, and the same file twice only once', async () => {
    const store = new BlobStore(join(tmp.dir, 'profile-a'), { key });
    const sha = createHash('sha256').update(readFileSync(FAX)).digest('hex');
    const first = await ingestAttachment(store, FAX);
    expect(first).toMatchObject({ name: 'fax-fine-g4-3pages.tif', kind: 'tiff', mimeType: 'image/tiff', blob: { sha256: sha, existed: false } });
    expect(first.blob.path).toBe(join(tmp.dir, 'profile-a', 'blobs', sha.slice(0, 2), sha.slice(2)));
    // Sealed at rest: the file on disk is not the scan, and opens to exactly the scan.
    expect(readFileSync(first.blob.path).includes(readFileSync(FAX).subarray(0, 64))).toBe(false);
    expect(store.read(sha).equals(readFileSync(FAX))).toBe(true);
    const copy = join(tmp.dir, 'renamed-copy.tif');
    writeFileSync(copy, readFileSync(FAX));
    const second = await ingestAttachment(store, copy);
    expect(second.blob).toMatchObject({ sha256: sha, existed: true });
    expect(readdirSync(join(store.root, sha.slice(0, 2)))).toEqual([sha.slice(2)]);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('refuses a 300 MB file at the 250 MB limit without reading it into memory', async () => {
    const big = join(tmp.dir, 'huge.pdf');
    // A sparse file: 300 MB long, no disk used.
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 300 * 1024 * 1024);
    closeSync(fd);
    const store = new BlobStore(join(tmp.dir, 'profile-b'), { key });
    const before = process.memoryUsage().rss;
    const err = await failure(ingestAttachment(store, big));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('huge.pdf is 300 MB, over the 250 MB limit for one attachment: split it or scan at a lower resolution');
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
    // The store itself also counts while streaming, whatever stat said.
    const small = new BlobStore(join(tmp.dir, 'profile-c'), { key, maxBytes: 1000 });
    expect((await failure(small.putBuffer(Buffer.alloc(2000)))).code).toBe('too_large');
    expect(readdirSync(join(small.root, 'tmp'))).toEqual([]);
  });

  it('refuses an empty file and a program renamed .pdf before storing anything', async () => {
    const store = new BlobStore(join(tmp.dir, 'profile-d'), { key });
    const empty = join(tmp.dir, 'empty.pdf');
    writeFileSync(empty, '');
    expect(await failure(ingestAttachment(store, empty))).toMatchObject({ code: 'empty', message: 'empty.pdf is empty (0 bytes): there is nothing to attach' });
    const exe = join(tmp.dir, 'invoice.pdf');
    writeFileSync(exe, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4000, 0x90)]));
    expect(await failure(ingestAttachment(store, exe))).toMatchObject({ code: 'unsupported_type', message: expect.stringMatching(/^invoice\.pdf is a Windows program/) });
    expect(readdirSync(store.root)).toEqual(['tmp']);
  });
});
