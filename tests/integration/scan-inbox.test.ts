// The NAT scan inbox: an administrator points the desk at the folder the post-room scanner writes to; every scan
// that appears there (once the scanner has finished it) waits for a sifter to make it an allegation or attach it
// to one; files that are not scans are refused with the reason. The folder shows what is left to take.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import type { CoreEvent } from '../../shared/api/events.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { addUser, openCore, signIn, tempDir } from '../helpers.ts';
import { FAX, FUNSD } from '../scan-maker.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;
const tmp = tempDir('ims-scan-inbox-');
const folder = join(tmp.dir, 'scanner');
let core: Core;
let admin: Caller;
let sifter: Caller;
let analyst: Caller;
const changes: Array<Extract<CoreEvent, { type: 'scans.changed' }>> = [];

/** Puts a file in the folder as a finished scan (written a while ago). */
function drop(name: string, bytes: Buffer | string): void {
  const file = join(folder, name);
  writeFileSync(file, bytes);
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
}

beforeAll(async () => {
  mkdirSync(folder);
  core = await openCore(join(tmp.dir, 'profile'), { attachments: { ocr: { concurrency: 1 } } });
  core.on((e) => e.type === 'scans.changed' && changes.push(e));
  await addUser(core, 'the.admin', 'admin', null);
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'wm.analyst', 'analyst', 'WMID');
  admin = await signIn(core, 'the.admin');
  sifter = await signIn(core, 'nat.sifter');
  analyst = await signIn(core, 'wm.analyst');
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('the watched scan folder', () => {
  it('is set by an administrator, to a folder that exists and can be written', async () => {
    expect(await sifter.call('scans.settings', {})).toMatchObject({ folder: null, state: { ok: false, message: expect.stringMatching(/No scan folder is set/) } });
    expect(await sifter.raw('scans.configure', { folder: folder })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await admin.raw('scans.configure', { folder: 'scans' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/full path/) } });
    expect(await admin.raw('scans.configure', { folder: join(tmp.dir, 'nowhere') })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/does not exist/) } });
    const set = await admin.call('scans.configure', { folder, intervalSeconds: 1 });
    expect(set).toMatchObject({ folder, intervalSeconds: 1, state: { ok: true, message: `Watching ${folder} every 1 s` } });
    expect(core.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'scans.configure'").get()).toEqual({ n: 1 });
  });

  it('takes finished scans, refuses what is not a scan with the reason, and leaves a file still being written', async () => {
    drop('post 0912.tif', readFileSync(FAX));
    drop('blank.pdf', '');
    drop('readme.txt', 'Scanner settings: 200 dpi, black and white');
    // Still being written: changed a moment ago.
    writeFileSync(join(folder, 'in progress.png'), readFileSync(join(FUNSD, '0000971160.png')));
    expect(await core.scans.pollOnce()).toEqual({ taken: 1, refused: 2 });
    const { scans } = await sifter.call('scans.list', {});
    expect(scans.map((s) => [s.fileName, s.status, s.kind, s.pages])).toEqual([['post 0912.tif', 'waiting', 'tiff', 3]]);
    const all = (await sifter.call('scans.list', { include: 'all' })).scans;
    expect(Object.fromEntries(all.filter((s) => s.status === 'refused').map((s) => [s.fileName, s.error]))).toEqual({
      'blank.pdf': 'blank.pdf is empty (0 bytes): there is nothing to attach',
      'readme.txt': 'readme.txt is not a PDF, TIFF, JPEG or PNG file (its content matches none of them, whatever its name says)',
    });
    expect(readdirSync(folder).sort()).toEqual(['in progress.png', 'ingested', 'refused']);
    expect(readdirSync(join(folder, 'ingested'))).toEqual(['post 0912.tif']);
    expect(readdirSync(join(folder, 'refused')).sort()).toEqual(['blank.pdf', 'readme.txt']);
    // Unchanged at the next look: the scanner has finished with it.
    expect(await core.scans.pollOnce()).toEqual({ taken: 1, refused: 0 });
    expect(changes.at(-1)).toEqual({ type: 'scans.changed', waiting: 2 });
  });

  it('shows a waiting scan page by page, to sifters', async () => {
    const waiting = (await sifter.call('scans.list', {})).scans.find((s) => s.fileName === 'post 0912.tif')!;
    const page = await sifter.call('scans.page', { id: waiting.id, page: 2 });
    expect(page).toMatchObject({ width: 1728, height: 2179, variant: 'original' });
    expect(Buffer.from(page.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(await analyst.raw('scans.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('attaches a waiting scan to the allegation the sifter makes from it, where it is read', async () => {
    const waiting = (await sifter.call('scans.list', {})).scans.find((s) => s.fileName === 'post 0912.tif')!;
    // Keyed from the scan: it routes to the West Midlands, away from NAT; the sifter still attaches the original.
    const created = await sifter.call('allegations.create', {
      form: {
        ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'),
        offenceTypes: ['illegal_working'],
        freeText: 'Faxed report of men working at a car wash with no papers.',
        addresses: [{ type: 'offence_location', line1: '12 Coventry Road', line2: '', town: 'Birmingham', postcode: 'B10 0RX' }],
      },
    });
    expect(created.unit).toBe('WMID');
    const { attachment } = await sifter.call('scans.attach', { scanId: waiting.id, allegationId: created.id });
    expect(attachment).toMatchObject({ fileName: 'post 0912.tif', kind: 'tiff' });
    await core.attachments.whenIdle(attachment.id);
    expect((await analyst.call('attachments.list', { allegationId: created.id }))[0]).toMatchObject({ ocrStatus: 'done', pagesDone: 3 });
    const all = (await sifter.call('scans.list', { include: 'all' })).scans;
    expect(all.find((s) => s.id === waiting.id)).toMatchObject({ status: 'attached', attachedTo: created.reference, attachedBy: expect.stringContaining('nat.sifter') });
    expect(await sifter.raw('scans.attach', { scanId: waiting.id, allegationId: created.id })).toMatchObject({ ok: false, error: { code: 'conflict', message: 'post 0912.tif is already attached to an allegation' } });
    // The record no longer lacks its original scan.
    expect((await analyst.call('allegations.get', { id: created.id })).attachments).toHaveLength(1);
  });

  it('watches the folder in the background', async () => {
    core.scans.start();
    copyFileSync(join(FUNSD, '0000971160.png'), join(folder, 'letter 0930.png'));
    const deadline = Date.now() + 20_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      names = (await sifter.call('scans.list', {})).scans.map((s) => s.fileName);
      if (names.includes('letter 0930.png')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(names).toContain('letter 0930.png');
    expect(existsSync(join(folder, 'ingested', 'letter 0930.png'))).toBe(true);
  });
});
