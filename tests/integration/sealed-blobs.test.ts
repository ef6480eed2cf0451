// Issue 16, "Sealed originals": attachment blobs (originals and sanitised copies) were plain files in blobs/ and
// rendered pages plain in cache/pages, so a letter's signature block naming its writer could be read there. Every
// blob is now sealed (AES-256-GCM, the vault's "blobs" data key); workers get decrypted bytes in memory; no page is
// kept on disk; plain blobs of older desks are sealed at unlock; a blob altered on disk is refused, never shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Core } from '../../electron/core/core.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { addUser, signIn, tempDir, openCore, uploadFile } from '../helpers.ts';
import { faxOf, letterScan } from '../scan-maker.ts';
import { makeTextPdf } from '../pdf-maker.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;
const tmp = tempDir('ims-sealed-blobs-');
const profile = join(tmp.dir, 'profile');
let core: Core;
let sifter: Caller;
let nsu: Caller;

// The writers of the two letters, as they sign: name, street and phone of each.
const WRITERS = [
  { name: 'Okonkwo-Hale', street: 'Larkspur Close', phone: '07700 900461' },
  { name: 'Fenwick-Ashdown', street: 'Quarrybank Terrace', phone: '07700 900873' },
];
const NEEDLES = WRITERS.flatMap((w) => [w.name, w.street, w.phone, w.phone.replace(/\s/g, '')]);
const typedLetter = () =>
  makeTextPdf([['Dear Sir', '', 'RE: TARIQ MAHMOOD works at the car wash on Elm Road every night.', '', 'Yours faithfully', 'Beatrice Okonkwo-Hale', '14 Larkspur Close, Wolverhampton', 'Tel 07700 900461']]);
const scannedLetter = () =>
  letterScan(['Dear Sir', '', 'RE: LI WEI works at the takeaway on Mill Lane without papers.', '', 'Yours faithfully', 'Gordon Fenwick-Ashdown', '9 Quarrybank Terrace, Dudley', 'Tel 07700 900873']);


function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every needle found in any file under `dir`, as UTF-8 or UTF-16, any case. */
function grep(dir: string): string[] {
  const hits: string[] = [];
  for (const f of filesUnder(dir)) {
    const bytes = readFileSync(f);
    const latin = bytes.toString('latin1').toLowerCase();
    const wide = bytes.toString('utf16le').toLowerCase();
    for (const n of NEEDLES) if (latin.includes(n.toLowerCase()) || wide.includes(n.toLowerCase())) hits.push(`${n} in ${f}`);
  }
  return hits;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  core = await openCore(profile, { attachments: { ocr: { concurrency: 1 } } });
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'nsu.officer', 'nsu', null);
  sifter = await signIn(core, 'nat.sifter');
  nsu = await signIn(core, 'nsu.officer');
}, 120_000);
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('sealed attachment blobs', () => {
  let pdfId = '';
  let pdfHash = '';

  it('leaves nothing of the writers of letters that name them anywhere in the profile once they are read', async () => {
    const id = (await sifter.call('allegations.create', { form: { ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'), offenceTypes: ['illegal_working'], freeText: 'Two letters about illegal working.' } })).id;
    const pdf = typedLetter();
    const png = await scannedLetter();
    // The test can fail: the typed letter carries its writer in plain text, as blobs/ did before sealing.
    expect(pdf.toString('latin1')).toContain('Larkspur Close');
    const a = await uploadFile(sifter, id, 'letter.pdf', pdf);
    const b = await uploadFile(sifter, id, 'letter-scan.png', png);
    const c = await uploadFile(sifter, id, 'letter-fax.tif', await faxOf(png));
    for (const x of [a, b, c]) await core.attachments.whenIdle(x.id);
    for (const x of [a, b, c]) expect(await nsu.call('attachments.get', { id: x.id })).toMatchObject({ ocrStatus: expect.stringMatching(/^(done|text_layer)$/), revealsSource: true, source: { sanitisedPages: 1 } });
    // The viewer and the export have been used: their pages and files are not left behind either.
    for (const x of [a, b, c]) {
      expect(await nsu.call('attachments.page', { id: x.id, page: 1, variant: 'original' })).toMatchObject({ variant: 'original' });
      expect(await sifter.call('attachments.page', { id: x.id, page: 1, variant: 'auto' })).toMatchObject({ variant: 'sanitised' });
    }
    expect((await sifter.call('attachments.export', { id: a.id, offset: 0, length: 1 << 20 })).sanitised).toBe(true);
    pdfId = a.id;
    pdfHash = sha(pdf);
    // The original still opens, whole, to NSU: sealing loses nothing.
    const whole = await nsu.call('attachments.content', { id: a.id, offset: 0, length: 1 << 20 });
    expect(Buffer.from(whole.data, 'base64').equals(pdf)).toBe(true);

    core.store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(grep(profile)).toEqual([]);
    // Any image a test can OCR: every file under the profile that decodes as an image is read for the writers.
    const images: string[] = [];
    for (const f of filesUnder(profile)) {
      try {
        if (((await sharp(readFileSync(f)).metadata()).width ?? 0) > 0) images.push(f);
      } catch {
        // not an image
      }
    }
    for (const f of images) {
      const text = (await core.attachments.pool().ocrAttachment(f)).pages.map((p) => p.text).join('\n').toLowerCase();
      for (const w of WRITERS) for (const n of [w.name, w.street]) expect(text).not.toContain(n.toLowerCase());
    }
    expect(images).toEqual([]);
  }, 400_000);

  it('refuses a blob whose bytes were altered on disk, with a clear error, and shows nothing of it', async () => {
    const sanitisedHash = (core.store.db.prepare('SELECT blob_hash FROM attachment_sanitised WHERE attachment_id = ? AND page_no = 1').get(pdfId) as { blob_hash: string }).blob_hash;
    const restore: Array<[string, Buffer]> = [];
    for (const h of [pdfHash, sanitisedHash]) {
      const path = join(profile, 'blobs', h.slice(0, 2), h.slice(2));
      const bytes = readFileSync(path);
      restore.push([path, bytes]);
      const altered = Buffer.from(bytes);
      altered[Math.floor(altered.length / 2)]! ^= 0x01;
      writeFileSync(path, altered);
    }
    try {
      const r = await nsu.raw('attachments.content', { id: pdfId, offset: 0, length: 1 << 20 });
      expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/does not verify \(it was altered or damaged on disk/) } });
      expect(JSON.stringify(r)).not.toContain('%PDF');
      // The sanitised page the open record shows, too.
      expect(await sifter.raw('attachments.page', { id: pdfId, page: 1, variant: 'auto' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/does not verify/) } });
      // And reading the scan again: the worker is never handed bytes that did not verify.
      const again = await core.attachments.pool().ocrAttachment(core.attachments.blobs.source(pdfHash));
      expect(again).toMatchObject({ status: 'failed', error: { code: 'corrupt', message: expect.stringMatching(/does not verify/) } });
    } finally {
      for (const [path, bytes] of restore) writeFileSync(path, bytes);
    }
    expect((await nsu.call('attachments.content', { id: pdfId, offset: 0, length: 16 })).total).toBeGreaterThan(0);
  }, 120_000);
});

describe('sealing the plain blobs of a desk from before', () => {
  const legacy = join(tmp.dir, 'legacy');
  const plain = [Buffer.from('%PDF-1.4 Yours faithfully, Beatrice Okonkwo-Hale, 14 Larkspur Close, Tel 07700 900461'), Buffer.alloc(200_000, 'Quarrybank Terrace ')];
  const placeOf = (b: Buffer) => join(legacy, 'blobs', sha(b).slice(0, 2), sha(b).slice(2));

  it('keeps them while the vault is locked, says why they cannot be opened, and seals them at unlock', async () => {
    // A profile with a vault, then plain blobs as an older desk left them (and plaintext a killed copy left in tmp/).
    (await openCore(legacy)).close();
    for (const b of plain) {
      mkdirSync(join(placeOf(b), '..'), { recursive: true });
      writeFileSync(placeOf(b), b);
    }
    writeFileSync(join(legacy, 'blobs', 'tmp', '1700000000000-abcdef'), plain[0]!);
    writeFileSync(join(legacy, 'blobs', 'tmp', `${sha(plain[1]!)}.part`), plain[1]!.subarray(0, 5000));

    const locked = Core.open(legacy);
    try {
      expect(() => locked.attachments.blobs.read(sha(plain[0]!))).toThrow(/The vault is locked: attached files are sealed and cannot be read or stored until the desk passphrase is given/);
      for (const b of plain) expect(readFileSync(placeOf(b)).equals(b)).toBe(true);
    } finally {
      locked.close();
    }

    const opened = await openCore(legacy);
    try {
      expect(grep(legacy)).toEqual([]);
      for (const b of plain) expect(opened.attachments.blobs.read(sha(b)).equals(b)).toBe(true);
      expect(readdirSync(join(legacy, 'blobs', 'tmp'))).toEqual([]);
      const audit = opened.store.db.prepare("SELECT details FROM audit_log WHERE action = 'attachment.blobs_sealed'").all() as Array<{ details: string }>;
      expect(audit.map((r) => JSON.parse(r.details) as unknown)).toEqual([{ sealed: 2, mismatched: 0 }]);
    } finally {
      opened.close();
    }
  }, 120_000);

  it('finishes a pass stopped by kill -9: a half-sealed temporary file is dropped, and the plain blob is sealed next time', async () => {
    const more = Buffer.from('Tel 07700 900873, Fenwick-Ashdown');
    mkdirSync(join(placeOf(more), '..'), { recursive: true });
    writeFileSync(placeOf(more), more);
    // What a kill between writing the sealed copy and renaming it leaves: the plain blob, and a sealed temporary file.
    writeFileSync(join(legacy, 'blobs', 'tmp', '1700000000001-000000'), Buffer.concat([Buffer.from('IMSBLOB\x01', 'latin1'), Buffer.alloc(40)]));
    const opened = await openCore(legacy);
    try {
      expect(grep(legacy)).toEqual([]);
      expect(opened.attachments.blobs.read(sha(more)).equals(more)).toBe(true);
      expect(opened.attachments.blobs.plainFiles()).toEqual([]);
      expect(readdirSync(join(legacy, 'blobs', 'tmp'))).toEqual([]);
    } finally {
      opened.close();
    }
  }, 120_000);
});
