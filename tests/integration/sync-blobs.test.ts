// Attachment files and sync once blobs are sealed at rest (issue 16): each desk seals under its own key, which no
// other desk holds, so a file travels as its plaintext (checked by its SHA-256) and is sealed again by the desk
// that fetches it — as it arrives: a download stopped half-way resumes from a sealed partial file, and bytes that
// do not match the file's name are thrown away, never stored. The server seals its copies under its own key service
// (ADR 0003).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { BlobStore } from '../../electron/attachments/blob-store.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { signIn, tempDir } from '../helpers.ts';
import { joinDesk, startTestServer, syncOk, type TestServer } from '../sync/fixtures.ts';
import { makeTextPdf } from '../pdf-maker.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = tempDir('ims-sync-blobs-');
afterAll(() => tmp.cleanup());

describe('an attachment file sent to the server', () => {
  let s: TestServer;
  const serverDir = join(tmp.dir, 'server');
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const cores: Core[] = [];
  beforeAll(async () => {
    mkdirSync(serverDir, { recursive: true });
    s = await startTestServer({ dataDir: serverDir });
    await s.addUser('nat.sifter', 'sifter', 'NAT');
  }, 600_000);
  afterAll(async () => {
    for (const c of cores) c.close();
    await s?.stop();
    for (const d of dirs) d.cleanup();
  });

  it('goes as its plaintext, read range by range from the sealed blob, and arrives whole', async () => {
    const d = tempDir('ims-sync-blobs-desk-');
    dirs.push(d);
    const nat = await joinDesk(s, d.dir, 'NAT post room', 'NAT', 'nat.sifter');
    cores.push(nat);
    const sifter = await signIn(nat, 'nat.sifter');
    const form: AllegationFormInput = {
      ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'),
      reporterType: 'public',
      offenceTypes: ['illegal_working'],
      freeText: 'The car wash on Soho Road employs men with no papers and pays them cash.',
      addresses: [{ type: 'offence_location', line1: '140 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9LP' }],
      scanMissingReason: 'Letter scanned at the NAT post room',
    };
    const id = (await sifter.call('allegations.create', { form })).id;
    // Larger than one transfer chunk (4 MB) and than many sealed segments.
    const pdf = makeTextPdf(Array.from({ length: 100 }, (_, p) => Array.from({ length: 40 }, (_, l) => `Page ${p + 1} line ${l + 1} Soho Road car wash ${randomBytes(600).toString('hex')}`)));
    expect(pdf.length).toBeGreaterThan(4 * 1024 * 1024);
    const file = join(tmp.dir, 'bundle.pdf');
    appendFileSync(file, pdf);
    await nat.attachments.attachFile({ userId: null, name: 'test' }, id, file, 'bundle.pdf', { read: false });
    await syncOk(nat);
    const hash = sha(pdf);
    expect(nat.store.db.prepare('SELECT direction, done_at IS NOT NULL AS done, error FROM sync_blobs WHERE hash = ?').all(hash)).toEqual([{ direction: 'up', done: 1, error: null }]);
    // The server holds it sealed under its own key service (ADR 0003): whole, and none of it readable on its disk.
    const onServer = readdirSync(join(serverDir, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(onServer.map((e) => e.name)).toEqual([hash]);
    expect(readFileSync(join(onServer[0]?.parentPath as string, hash)).toString('latin1')).not.toContain('Soho Road car wash');
    expect(await s.server.ctx.blobs.size(hash)).toBe(pdf.length);
    // On the desk it stays sealed.
    expect(readFileSync(nat.attachments.blobs.pathOf(hash)).toString('latin1')).not.toContain('Soho Road car wash');
  }, 600_000);
});

describe('a download stopped half-way', () => {
  const bytes = randomBytes(300_000);
  const hash = sha(bytes);
  const key = randomBytes(32);

  it('resumes after a restart from what was fetched, sealed, and drops a record cut short by a crash', async () => {
    const profile = join(tmp.dir, 'resume');
    const first = new BlobStore(profile, { key: () => key });
    first.appendPartial(hash, bytes.subarray(0, 100_000));
    first.appendPartial(hash, bytes.subarray(100_000, 150_000));
    const partial = join(profile, 'blobs', 'tmp', `${hash}.part`);
    expect(readFileSync(partial).includes(bytes.subarray(0, 64))).toBe(false);
    // kill -9 in the middle of writing the next record.
    appendFileSync(partial, Buffer.from([0, 1, 0, 0, 9, 9, 9]));
    const after = new BlobStore(profile, { key: () => key });
    expect(after.partialHeld(hash)).toBe(150_000);
    after.appendPartial(hash, bytes.subarray(150_000));
    await after.finishPartial(hash);
    expect(after.read(hash).equals(bytes)).toBe(true);
    expect(readdirSync(join(profile, 'blobs', 'tmp'))).toEqual([]);
  });

  it('throws away bytes that do not match the file’s name, storing nothing', async () => {
    const profile = join(tmp.dir, 'mismatch');
    const store = new BlobStore(profile, { key: () => key });
    store.appendPartial(hash, randomBytes(1000));
    await expect(store.finishPartial(hash)).rejects.toThrow(/does not match its name: fetched again next time/);
    expect(store.has(hash)).toBe(false);
    expect(readdirSync(join(profile, 'blobs', 'tmp'))).toEqual([]);
    expect(statSync(join(profile, 'blobs')).isDirectory()).toBe(true);
  });
});
