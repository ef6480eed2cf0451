// Blobs on both databases: content-addressed, resumable after an interruption, deduplicated, checked against their
// hash, downloadable with ranges, and only by desks whose scope holds them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { eachDatabase, type TestDesk } from './harness.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

eachDatabase('blobs', (h) => {
  let wmid: TestDesk;
  let emid: TestDesk;
  let analyst: { id: string };
  const scan = randomBytes(300_000);
  const hash = sha256(scan);

  const put = (desk: TestDesk, name: string, offset: number, size: number, chunk: Uint8Array) =>
    h.request<{ received: number; complete: boolean; message?: string; fields?: Record<string, string> }>('PUT', `/v1/blobs/${name}?offset=${offset}&size=${size}`, {
      desk: desk.token,
      raw: chunk,
      contentType: 'application/octet-stream',
    });

  beforeAll(async () => {
    analyst = await h.addUser('b.analyst', 'analyst', 'WMID');
    const other = await h.addUser('b.other', 'analyst', 'EMID');
    wmid = await h.desk('WMID blobs', 'WMID', [analyst as { id: string; username: string }]);
    emid = await h.desk('EMID blobs', 'EMID', [other]);
  });

  it('resumes an interrupted upload from what the server holds, and checks the whole against its hash', async () => {
    expect((await h.request('GET', `/v1/blobs/${hash}/status`, { desk: wmid.token })).body).toEqual({ hash, received: 0, size: null, complete: false });
    expect((await put(wmid, hash, 0, scan.length, scan.subarray(0, 100_000))).body).toMatchObject({ received: 100_000, complete: false });
    // The connection drops; the desk asks where to go on from.
    const status = await h.request<{ received: number }>('GET', `/v1/blobs/${hash}/status`, { desk: wmid.token });
    expect(status.body.received).toBe(100_000);
    const wrongPlace = await put(wmid, hash, 50_000, scan.length, scan.subarray(50_000, 150_000));
    expect(wrongPlace.status).toBe(409);
    expect(wrongPlace.body.message).toMatch(/holds 100000 bytes of this blob: send from offset 100000/);
    expect((await put(wmid, hash, 100_000, scan.length, scan.subarray(100_000, 200_000))).body.received).toBe(200_000);
    expect((await put(wmid, hash, 200_000, scan.length, scan.subarray(200_000))).body).toMatchObject({ received: scan.length, complete: true });
  });

  it('discards an upload whose bytes do not hash to its name', async () => {
    const bytes = randomBytes(1000);
    const claimed = sha256(randomBytes(1000));
    const r = await put(wmid, claimed, 0, bytes.length, bytes);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/do not hash to the blob’s name/);
    expect((await h.request<{ received: number }>('GET', `/v1/blobs/${claimed}/status`, { desk: wmid.token })).body.received).toBe(0);
    const notHex = await h.request('GET', '/v1/blobs/not-a-hash/status', { desk: wmid.token });
    expect(notHex.status).toBe(400);
    const tooFar = await put(wmid, sha256(Buffer.from('x')), 0, 1, Buffer.from('xy'));
    expect(tooFar.status).toBe(400);
  });

  it('stores each blob once: a second desk sending the same bytes is told it is already there', async () => {
    const r = await put(emid, hash, 0, scan.length, scan.subarray(0, 10));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: scan.length, complete: true });
    const [{ n }] = (await h.server.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs WHERE hash = $1', [hash])) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('serves a blob whole or by range, only to desks whose scope holds an allegation that names it', async () => {
    const own = await fetch(`${h.url}/v1/blobs/${hash}`, { headers: { 'x-desk-token': wmid.token } });
    expect(own.status).toBe(200);
    expect(own.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await own.arrayBuffer()).equals(scan)).toBe(true);
    // Knowing a hash (even "sending" it) gives no access: only scope does.
    const foreign = await h.request<{ message: string }>('GET', `/v1/blobs/${hash}`, { desk: emid.token });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/No allegation within this desk’s scope holds this blob/);

    const colleague = await h.addUser('b.colleague', 'analyst', 'WMID');
    const wmid2 = await h.desk('WMID blobs 2', 'WMID', [colleague]);
    expect((await h.request('GET', `/v1/blobs/${hash}`, { desk: wmid2.token })).status).toBe(403);
    const attach = wmid.mutation(analyst.id, (m) => {
      const allegation = m.allegation({ unit_code: 'WMID', channel: 'fax' });
      m.insert('attachment', randomUUID(), { allegation_id: allegation, ordinal: 0, file_name: 'fax.tif', mime_type: 'image/tiff', content_hash: hash, byte_size: scan.length, pages: 1, ocr_status: 'pending', reveals_source: 0, added_at: new Date().toISOString(), added_by: 'B', kind: 'original' }, allegation);
    });
    expect((await wmid.push(attach)).body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const range = await fetch(`${h.url}/v1/blobs/${hash}`, { headers: { 'x-desk-token': wmid2.token, range: 'bytes=100-199' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 100-199/${scan.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(scan.subarray(100, 200))).toBe(true);
    const tail = await fetch(`${h.url}/v1/blobs/${hash}`, { headers: { 'x-desk-token': wmid2.token, range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(scan.subarray(scan.length - 10))).toBe(true);
    const resumed = await fetch(`${h.url}/v1/blobs/${hash}`, { headers: { 'x-desk-token': wmid2.token, range: 'bytes=299990-' } });
    expect((await resumed.arrayBuffer()).byteLength).toBe(10);
    const outside = await fetch(`${h.url}/v1/blobs/${hash}`, { headers: { 'x-desk-token': wmid2.token, range: `bytes=${scan.length}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${scan.length}`);
    expect((await h.request('GET', `/v1/blobs/${hash}`, { desk: emid.token })).status).toBe(403);
    expect((await h.request('GET', `/v1/blobs/${sha256(Buffer.from('never sent'))}`, { desk: wmid.token })).status).toBe(404);
  });
});
