// Issue 16 finding 3: a scan that names its source was open before OCR decided. Between upload and the end of
// reading — and forever for a scan whose reading failed — `attachments.content` handed the original to anyone
// who could reach the attachment (a sifter, an analyst of another unit), unaudited; rendered pages were kept in
// plain in cache/pages. Until its pages are read, a scan is restricted like the source pane: allocated staff and
// NSU, every opening audited, every refusal too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { addUser, signIn, tempDir, openCore, uploadFile } from '../helpers.ts';
import { faxOf, letterScan, truncatedFax } from '../scan-maker.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;
const tmp = tempDir('ims-unread-scans-');
const profile = join(tmp.dir, 'profile');
let core: Core;
let sifter: Caller;
let otherAnalyst: Caller;
let nsu: Caller;


const audited = (action: string, id: string) =>
  (core.store.db.prepare('SELECT actor, details FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq').all(action, id) as Array<{ actor: string; details: string }>).map((r) => ({ actor: r.actor, ...(JSON.parse(r.details) as Record<string, unknown>) }));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  core = await openCore(profile, { attachments: { ocr: { concurrency: 1 } } });
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  await addUser(core, 'nsu.officer', 'nsu', null);
  sifter = await signIn(core, 'nat.sifter');
  otherAnalyst = await signIn(core, 'wm.analyst');
  nsu = await signIn(core, 'nsu.officer');
}, 120_000);
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('a scan not yet read', () => {
  it('is refused to a sifter and to an analyst of another unit while it is read, and each refusal is audited', async () => {
    const id = (await sifter.call('allegations.create', { form: { ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'), offenceTypes: ['illegal_working'], freeText: 'Letter about a car wash.' } })).id;
    const letter = await faxOf(await letterScan(['Dear Sir', '', 'RE: TARIQ MAHMOOD works at the car wash on Elm Road.', '', 'Yours faithfully', 'Beatrice Okonkwo-Hale', '14 Larkspur Close, Wolverhampton']));
    const attachment = await uploadFile(sifter, id, 'letter.tif', letter);
    expect(['pending', 'running']).toContain(attachment.ocrStatus);

    expect(await sifter.raw('attachments.content', { id: attachment.id })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/has not been read yet/) } });
    expect(await otherAnalyst.raw('attachments.content', { id: attachment.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sifter.raw('attachments.page', { id: attachment.id, page: 1, variant: 'original' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sifter.call('attachments.get', { id: attachment.id })).toMatchObject({ view: 'none', source: { canOpenOriginal: false } });
    expect(audited('attachment.original_refused', attachment.id)).toEqual([
      expect.objectContaining({ actor: expect.stringContaining('nat.sifter'), because: 'not_read' }),
      expect.objectContaining({ actor: expect.stringContaining('wm.analyst'), because: 'not_read' }),
      expect.objectContaining({ actor: expect.stringContaining('nat.sifter'), because: 'not_read' }),
    ]);

    // NSU may open it, and that is audited with why it was restricted.
    const whole = await nsu.call('attachments.content', { id: attachment.id });
    expect(Buffer.from(whole.data, 'base64').equals(letter.subarray(0, Buffer.from(whole.data, 'base64').length))).toBe(true);
    expect(audited('attachment.original_opened', attachment.id)).toEqual([expect.objectContaining({ actor: expect.stringContaining('nsu.officer'), because: 'not_read' })]);

    // Once read, it names its writer: still restricted, now because it reveals its source.
    await core.attachments.whenIdle(attachment.id);
    const read = await sifter.call('attachments.get', { id: attachment.id });
    expect(read).toMatchObject({ ocrStatus: 'done', revealsSource: true });
    expect(await sifter.raw('attachments.content', { id: attachment.id })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/reveals who sent it/) } });
  }, 180_000);

  it('stays restricted for good when its reading failed', async () => {
    const id = (await sifter.call('allegations.create', { form: { ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'), offenceTypes: ['illegal_working'], freeText: 'A fax that arrived cut short.' } })).id;
    const attachment = await uploadFile(sifter, id, 'cut.tif', truncatedFax());
    await core.attachments.whenIdle(attachment.id);
    const d = await sifter.call('attachments.get', { id: attachment.id });
    expect(d.ocrStatus).not.toBe('done');
    expect(d.view).toBe('none');
    expect(await sifter.raw('attachments.content', { id: attachment.id })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/has not been read yet/) } });
  }, 120_000);

  it('keeps no rendered page on disk, and stores originals readable by this user only', async () => {
    const letter = (core.store.db.prepare("SELECT id FROM attachments WHERE file_name = 'letter.tif'").get() as { id: string }).id;
    expect(await nsu.call('attachments.page', { id: letter, page: 1, variant: 'original' })).toMatchObject({ variant: 'original' });
    expect(filesUnder(join(profile, 'cache', 'pages'))).toEqual([]);
    expect(filesUnder(join(profile, 'cache', 'render'))).toEqual([]);
    const blobs = filesUnder(join(profile, 'blobs'));
    expect(blobs.length).toBeGreaterThan(0);
    for (const f of blobs) expect(statSync(f).mode & 0o077).toBe(0);
    expect(readFileSync(blobs[0] as string).length).toBeGreaterThan(0);
  }, 120_000);
});
