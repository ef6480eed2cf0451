// The server keeps every blob sealed at rest (ADR 0003): nothing it stages or stores holds the plaintext, an upload
// still resumes (after a restart too), a download is decrypted on the way out only to a desk allowed to have it,
// and a blob damaged, cut short, renamed or sealed under another key is refused with a clear error, no byte of it
// served.
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDatabase, type TestDesk } from './harness.ts';
import { FsBlobStore } from '../../server/blobs/fs-blob-store.ts';
import { BlobDamagedError } from '../../server/blobs/blob-store.ts';
import { LocalKeyFile } from '../../server/keys/key-service.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every file under a folder, with its bytes. */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ path: join(e.parentPath, e.name), bytes: readFileSync(join(e.parentPath, e.name)) }));
}

/** True when any 32-byte window of the plaintext (taken every 4 KiB) is in the bytes. */
function holdsPlain(bytes: Buffer, plain: Buffer): boolean {
  for (let at = 0; at + 32 <= plain.length; at += 4096) if (bytes.includes(plain.subarray(at, at + 32))) return true;
  return false;
}

/** Exactly n bytes of a letter naming its writer. */
const text = (n: number) => Buffer.from(Array.from({ length: Math.ceil(n / 40) + 1 }, (_, i) => `Line ${i} Mr Garfield Clarke, 53 Tottenham High Road\n`).join('').slice(0, n));

describe('the sealed blob store on disk', () => {
  let dir: string;
  const kek = new LocalKeyFile(randomBytes(32));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ims-server-sealed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stages each chunk sealed, resumes after a restart and a record cut short by a crash, and stores only ciphertext', async () => {
    const plain = text(300_001);
    const hash = sha256(plain);
    const store = new FsBlobStore(join(dir, 'a'), kek);
    expect(await store.append(hash, 0, plain.subarray(0, 100_000))).toBe(100_000);
    expect(await store.append(hash, 100_000, plain.subarray(100_000, 100_077))).toBe(100_077);
    for (const f of filesUnder(join(dir, 'a'))) expect(holdsPlain(f.bytes, plain), f.path).toBe(false);
    // kill -9 while the next record was being written; the server starts again.
    appendFileSync(join(dir, 'a', 'partial', hash), Buffer.from([0, 0, 9, 9, 1, 2, 3]));
    const again = new FsBlobStore(join(dir, 'a'), kek);
    expect(await again.partial(hash)).toBe(100_077);
    await expect(again.append(hash, 5, plain.subarray(5, 10))).rejects.toThrow(/holds 100077 bytes/);
    expect(await again.append(hash, 100_077, plain.subarray(100_077))).toBe(plain.length);
    expect(await again.finish(hash)).toBe('complete');
    expect(await again.size(hash)).toBe(plain.length);
    const files = filesUnder(join(dir, 'a'));
    expect(files.map((f) => f.path)).toEqual([again.pathOf(hash)]);
    expect(files[0]?.bytes.subarray(0, 7).toString('latin1')).toBe('IMSSBLB');
    expect(holdsPlain(files[0]?.bytes as Buffer, plain)).toBe(false);
    const whole = await again.open(hash);
    expect(Buffer.concat(await whole.stream.toArray()).equals(plain)).toBe(true);
    const part = await again.open(hash, { start: 65_530, end: 131_080 });
    expect(Buffer.concat(await part.stream.toArray()).equals(plain.subarray(65_530, 131_081))).toBe(true);
  });

  it('stores an empty blob and one of exactly one segment, each whole', async () => {
    const store = new FsBlobStore(join(dir, 'b'), kek);
    for (const plain of [Buffer.alloc(0), text(65_536), text(131_072)]) {
      const hash = sha256(plain);
      await store.append(hash, 0, plain);
      expect(await store.finish(hash)).toBe('complete');
      const opened = await store.open(hash);
      expect(opened.size).toBe(plain.length);
      expect(Buffer.concat(await opened.stream.toArray()).equals(plain)).toBe(true);
    }
  });

  it('refuses, with a clear error and no plaintext, a blob altered, cut short, added to, renamed or sealed under another key', async () => {
    const plain = text(200_000);
    const hash = sha256(plain);
    const root = join(dir, 'c');
    const store = new FsBlobStore(root, kek);
    await store.append(hash, 0, plain);
    await store.finish(hash);
    const path = store.pathOf(hash);
    const good = readFileSync(path);
    const refused = async (s: FsBlobStore = store, h = hash, range?: { start: number; end: number }) => {
      const e = await s.open(h, range).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(BlobDamagedError);
      return (e as Error).message;
    };
    const flipped = Buffer.from(good);
    flipped[good.length - 70_000]! ^= 1;
    writeFileSync(path, flipped);
    expect(await refused()).toMatch(/blob [0-9a-f]{12}… does not verify: segment 2 of 4 does not verify/);
    writeFileSync(path, good.subarray(0, good.length - 1000));
    expect(await refused()).toMatch(/cut short/);
    // Cut at a segment boundary: the new last segment was sealed as not the last; even a range at the start is refused.
    writeFileSync(path, good.subarray(0, good.length - (200_000 - 3 * 65_536) - 28));
    expect(await refused(store, hash, { start: 0, end: 9 })).toMatch(/segment 3 of 3 does not verify/);
    writeFileSync(path, Buffer.concat([good, Buffer.from('extra')]));
    expect(await refused()).toMatch(/does not verify/);
    writeFileSync(path, good);
    const other = sha256(Buffer.from('another blob'));
    mkdirSync(join(store.pathOf(other), '..'), { recursive: true });
    writeFileSync(store.pathOf(other), good);
    expect(await refused(store, other)).toMatch(/its key does not unwrap/);
    const elsewhere = new FsBlobStore(root, new LocalKeyFile(randomBytes(32)));
    expect(await refused(elsewhere)).toMatch(/its key does not unwrap under local:/);
    // The store itself is unharmed by all this.
    expect(Buffer.concat(await (await store.open(hash)).stream.toArray()).equals(plain)).toBe(true);
  });

  it('verifies a blob too large to hold in memory before the first byte goes out', async () => {
    const plain = Buffer.concat([randomBytes(17 * 1024 * 1024), text(1000)]);
    const hash = sha256(plain);
    const store = new FsBlobStore(join(dir, 'd'), kek);
    for (let at = 0; at < plain.length; at += 8 * 1024 * 1024) await store.append(hash, at, plain.subarray(at, at + 8 * 1024 * 1024));
    expect(await store.finish(hash)).toBe('complete');
    expect(Buffer.concat(await (await store.open(hash)).stream.toArray()).equals(plain)).toBe(true);
    const path = store.pathOf(hash);
    const bytes = readFileSync(path);
    bytes[bytes.length - 100_000]! ^= 0x80;
    writeFileSync(path, bytes);
    await expect(store.open(hash)).rejects.toThrow(BlobDamagedError);
  });

  it('discards an upload whose staged bytes were altered, and one that does not hash to its name', async () => {
    const plain = text(70_000);
    const hash = sha256(plain);
    const store = new FsBlobStore(join(dir, 'e'), kek);
    await store.append(hash, 0, plain);
    const staged = join(dir, 'e', 'partial', hash);
    const bytes = readFileSync(staged);
    bytes[bytes.length - 5]! ^= 1;
    writeFileSync(staged, bytes);
    expect(await store.finish(hash)).toBe('corrupt');
    expect(filesUnder(join(dir, 'e'))).toEqual([]);
    await store.append(hash, 0, text(70_001).subarray(1));
    expect(await store.finish(hash)).toBe('corrupt');
    expect(await store.partial(hash)).toBe(0);
  });

  it('seals at start what an older server stored plain, and drops its plain staged uploads', async () => {
    const plain = text(100_000);
    const hash = sha256(plain);
    const root = join(dir, 'f');
    const old = join(root, hash.slice(0, 2), hash.slice(2, 4));
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, hash), plain);
    mkdirSync(join(root, 'partial'), { recursive: true });
    writeFileSync(join(root, 'partial', sha256(Buffer.from('half'))), plain.subarray(0, 500));
    const store = new FsBlobStore(root, kek);
    expect(await store.sealLegacy()).toEqual({ sealed: 1, dropped: 1 });
    for (const f of filesUnder(root)) expect(holdsPlain(f.bytes, plain)).toBe(false);
    expect(Buffer.concat(await (await store.open(hash)).stream.toArray()).equals(plain)).toBe(true);
    expect(await store.sealLegacy()).toEqual({ sealed: 0, dropped: 0 });
  });
});

eachDatabase('sealed blobs through the HTTP API', (h) => {
  let wmid: TestDesk;
  let emid: TestDesk;
  const scan = text(200_000);
  const hash = sha256(scan);
  const put = (desk: TestDesk, offset: number, chunk: Uint8Array) =>
    h.request<{ received: number; complete: boolean }>('PUT', `/v1/blobs/${hash}?offset=${offset}&size=${scan.length}`, { desk: desk.token, raw: chunk, contentType: 'application/octet-stream' });

  beforeAll(async () => {
    const analyst = await h.addUser('s.analyst', 'analyst', 'WMID');
    const other = await h.addUser('s.other', 'analyst', 'EMID');
    wmid = await h.desk('WMID sealed', 'WMID', [analyst]);
    emid = await h.desk('EMID sealed', 'EMID', [other]);
  });

  it('keeps only ciphertext in the data folder, serves the plaintext to the desk allowed it, and nothing to another', async () => {
    expect((await put(wmid, 0, scan.subarray(0, 70_000))).body.received).toBe(70_000);
    for (const f of filesUnder(join(h.dataDir, 'blobs'))) expect(holdsPlain(f.bytes, scan), f.path).toBe(false);
    expect((await put(wmid, 70_000, scan.subarray(70_000))).body.complete).toBe(true);
    const stored = filesUnder(join(h.dataDir, 'blobs'));
    expect(stored).toHaveLength(1);
    expect(holdsPlain(stored[0]?.bytes as Buffer, scan)).toBe(false);
    expect(stored[0]?.bytes.toString('latin1')).not.toContain('Garfield');
    const own = await fetch(`${h.url}/v1/blobs/${hash}`, { headers: { 'x-desk-token': wmid.token } });
    expect(own.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await own.arrayBuffer()).equals(scan)).toBe(true);
    expect((await h.request('GET', `/v1/blobs/${hash}`, { desk: emid.token })).status).toBe(403);
  });

  it('answers a damaged or cut blob with 503 and a message saying so, never with part of it', async () => {
    const path = readdirSync(join(h.dataDir, 'blobs'), { recursive: true, withFileTypes: true }).find((e) => e.isFile() && e.name === hash);
    const file = join(path?.parentPath as string, hash);
    const good = readFileSync(file);
    const bytes = Buffer.from(good);
    bytes[bytes.length - 10]! ^= 1;
    writeFileSync(file, bytes);
    const damaged = await h.request<{ code: string; message: string }>('GET', `/v1/blobs/${hash}`, { desk: wmid.token });
    expect(damaged.status).toBe(503);
    expect(damaged.body.code).toBe('unavailable');
    expect(damaged.body.message).toMatch(/does not verify: segment 4 of 4 does not verify.*No part of it is served/);
    truncateSync(file, good.length - 65_536 - 28 - (200_000 - 3 * 65_536) + 65_536);
    const cut = await h.request<{ message: string }>('GET', `/v1/blobs/${hash}`, { desk: wmid.token, headers: { range: 'bytes=0-99' } });
    expect(cut.status).toBe(503);
    expect(JSON.stringify(cut.body)).not.toContain('Garfield');
    writeFileSync(file, good);
    expect((await h.request('GET', `/v1/blobs/${hash}`, { desk: wmid.token, headers: { range: 'bytes=0-99' } })).status).toBe(206);
  });
});
