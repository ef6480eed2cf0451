// The browser host under a flood from one signed-in analyst (a page or a script with a session): 20,000
// `attachments.begin` calls, every procedure called with garbage, a hundred event streams, requests cut off
// half-way. The process must survive all of it without running out of file handles, refuse what is over its
// bounds with a sentence, and then serve the desk normally: an upload attaches, search answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { startWebHost, type WebHost } from '../../electron/host/web.ts';
import { PROCEDURE_NAMES } from '../../shared/api.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { UPLOAD_CHUNK_BYTES } from '../../shared/api/attachments.ts';
import { addUser, openCore, signIn, tempDir } from '../helpers.ts';
import { FAX } from '../scan-maker.ts';

const tmp = tempDir('ims-flood-');
let core: Core;
let host: WebHost;
const TOKEN = 'launch-token-for-flood';
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const logged: string[] = [];
/** The uploads' clock, moved on by the test to let abandoned uploads lapse. */
let now = Date.now();

interface Reply {
  status: number;
  body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

function call(session: string, name: string, input: unknown): Promise<Reply> {
  const body = JSON.stringify({ input });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: host.port,
        path: `/api/call/${name}`,
        method: 'POST',
        headers: { Host: `127.0.0.1:${host.port}`, 'X-IMS-Launch': TOKEN, 'Content-Type': 'application/json', 'X-IMS-Client': 'renderer', 'X-IMS-Session': session, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Reply['body'] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `n` calls, `width` at a time. */
async function flood<T>(n: number, width: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await one(i);
      }
    }),
  );
  return out;
}

const openFiles = () => readdirSync('/proc/self/fd').length;

let flooder: string;
/** Another session of the same analyst, for calling everything (auth.signOut among it). */
let garbler: string;
let other: string;
let allegationId: string;

beforeAll(async () => {
  core = await openCore(join(tmp.dir, 'profile'), { uploads: { perUserBytes: 1024 ** 3, now: () => now } });
  await addUser(core, 'flood.analyst', 'analyst', 'NAT');
  await addUser(core, 'calm.analyst', 'analyst', 'NAT');
  const a = await signIn(core, 'flood.analyst');
  flooder = a.token;
  garbler = (await signIn(core, 'flood.analyst')).token;
  other = (await signIn(core, 'calm.analyst')).token;
  allegationId = (await a.call('allegations.create', { form: { ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'), offenceTypes: ['illegal_working'], freeText: 'Flood test: a car wash employing men with no papers.' } })).id;
  host = await startWebHost({ core, rendererDir: join(tmp.dir, 'renderer'), token: TOKEN, log: (l) => logged.push(l) });
});

afterAll(async () => {
  agent.destroy();
  await host.close();
  core.close();
  tmp.cleanup();
});

describe('one analyst flooding the browser host', () => {
  it('takes 20,000 attachments.begin calls without running out of file handles: eight are open, the rest refused with a sentence', async () => {
    const before = openFiles();
    let most = before;
    const replies = await flood(20_000, 32, async (i) => {
      const r = await call(flooder, 'attachments.begin', { allegationId, fileName: `scan-${i}.tif`, size: 1_000_000 });
      if (i % 500 === 0) most = Math.max(most, openFiles());
      return r;
    });
    most = Math.max(most, openFiles());
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const accepted = replies.filter((r) => r.body.ok);
    const refused = replies.filter((r) => !r.body.ok);
    expect(accepted.length).toBe(8);
    expect(refused.length).toBe(19_992);
    expect(new Set(refused.map((r) => r.body.error?.code))).toEqual(new Set(['unavailable']));
    expect(refused[0]?.body.error?.message).toMatch(/^You are already sending 8 files, the most one person may send at once: wait for them to finish, then send scan-\d+\.tif$/);
    // Eight temporary files and the sockets of the flood, not twenty thousand files.
    expect(most - before).toBeLessThan(100);
    expect(core.uploads.open()).toBe(8);
  }, 600_000);

  it('refuses a person whose files in flight add up to too much, whatever their number', async () => {
    const r = await call(other, 'attachments.begin', { allegationId, fileName: 'whole archive.pdf', size: 200 * 1024 * 1024 });
    expect(r.body.ok).toBe(true);
    // (This desk allows 1 GB in flight per person.) 200 MB + three of 240 MB fit; a fourth would not.
    const big = await flood(5, 1, (i) => call(other, 'attachments.begin', { allegationId, fileName: `big-${i}.pdf`, size: 240 * 1024 * 1024 }));
    expect(big.map((x) => x.body.ok)).toEqual([true, true, true, false, false]);
    expect(big[3]?.body.error?.message).toBe('You are already sending 920 MB; with big-3.pdf (240 MB) that is over the 1.0 GB one person may send at once: wait for them to finish, then send it');
  }, 120_000);

  it('answers every procedure called 40 times with garbage, and cut-off requests, without an unhandled error', async () => {
    const replies = await flood(PROCEDURE_NAMES.length * 40, 32, (i) => call(garbler, PROCEDURE_NAMES[i % PROCEDURE_NAMES.length] as string, i % 2 ? { garbage: 'x'.repeat(i % 300) } : null));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies.filter((r) => r.body.error?.code === 'internal')).toEqual([]);
    // Requests cut off mid-body and mid-header, 200 of each.
    await flood(400, 40, (i) =>
      new Promise<void>((resolve) => {
        const s = connect(host.port, '127.0.0.1', () => {
          s.write(i % 2 ? `POST /api/call/attachments.chunk HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-IMS-Launch: ${TOKEN}\r\nContent-Type: application/json\r\nX-IMS-Client: renderer\r\nContent-Length: 100000\r\n\r\n{"input":{"uploadId":"` : 'GET /index.html HTTP/1.1\r\nHost: 127.0');
          s.destroy();
          resolve();
        });
        s.on('error', () => resolve());
      }),
    );
  }, 300_000);

  it('refuses event streams past its bound instead of holding a hundred open', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `127.0.0.1:${host.port}`, 'X-IMS-Launch': TOKEN, 'X-IMS-Client': 'renderer' } }, (res) => {
            resolve(res.statusCode ?? 0);
            // Held open (as a page does) until the test ends; the refused ones close.
            if (res.statusCode !== 200) res.resume();
          });
          req.on('error', reject);
          req.end();
        }),
      ),
    );
    expect(statuses.filter((s) => s === 200).length).toBe(32);
    expect(statuses.filter((s) => s === 503).length).toBe(68);
  });

  it('then serves the desk normally: once the abandoned uploads lapse (ten idle minutes) the same analyst attaches a fax, and search answers', async () => {
    now += 11 * 60_000;
    const bytes = readFileSync(FAX);
    const begun = await call(flooder, 'attachments.begin', { allegationId, fileName: 'fax.tif', size: bytes.length });
    expect(begun.body, JSON.stringify(begun.body)).toMatchObject({ ok: true });
    const { uploadId } = begun.body.value as { uploadId: string };
    for (let i = 0, at = 0; at < bytes.length; i++, at += UPLOAD_CHUNK_BYTES) {
      const piece = await call(flooder, 'attachments.chunk', { uploadId, index: i, data: bytes.subarray(at, at + UPLOAD_CHUNK_BYTES).toString('base64') });
      expect(piece.body, JSON.stringify(piece.body)).toMatchObject({ ok: true });
    }
    const finished = await call(flooder, 'attachments.finish', { uploadId });
    expect(finished.body, JSON.stringify(finished.body)).toMatchObject({ ok: true, value: { alreadyAttached: false, attachment: { fileName: 'fax.tif' } } });
    // The lapsed uploads (the flood's and the calm analyst's) left no temporary files behind.
    expect(readdirSync(join(tmp.dir, 'profile', 'tmp')).filter((f) => f.startsWith('upload-'))).toEqual([]);
    expect(core.uploads.open()).toBe(0);
    const found = await call(other, 'search.query', { q: 'car wash' });
    expect(found.body.ok).toBe(true);
    expect((found.body.value as { hits: Array<{ allegationId: string }> }).hits.some((h) => h.allegationId === allegationId)).toBe(true);
    expect(logged.filter((l) => /\n\s+at /.test(l))).toEqual([]);
  }, 120_000);
});
