// Attachments through the API, as the renderer uses it: a file uploaded in pieces is stored once by content and
// read in the background page by page, with progress as events; a word only on page 2 is found with its page;
// broken and hostile files fail on their own attachment and leave the allegation and the pool as they were;
// failed pages are read again on request; a letter that reveals its writer is withheld, sanitised and
// restricted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/core.ts';
import type { CoreEvent } from '../../shared/api/events.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { readAllegation } from '../../electron/store/allegations.ts';
import { UPLOAD_CHUNK_BYTES } from '../../shared/api/attachments.ts';
import { addUser, signIn, tempDir, openCore } from '../helpers.ts';
import { BAD_PDFS, FAX, faxOf, FUNSD, letterScan, pdfBomb, scannedPdf, truncatedFax } from '../scan-maker.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;
type Progress = Extract<CoreEvent, { type: 'attachment.progress' }>;

const tmp = tempDir('ims-attach-api-');
let core: Core;
let sifter: Caller;
let analyst: Caller;
let nsu: Caller;
const events: Progress[] = [];

function faxForm(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return {
    ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'),
    offenceTypes: ['illegal_working'],
    freeText: 'Fax received about a car wash employing men with no papers.',
    ...overrides,
  };
}

/** Uploads a file the way the renderer does: begin, base64 pieces in order, finish. */
async function upload(caller: Caller, allegationId: string, fileName: string, bytes: Buffer) {
  const { uploadId, chunkBytes } = await caller.call('attachments.begin', { allegationId, fileName, size: bytes.length });
  expect(chunkBytes).toBe(UPLOAD_CHUNK_BYTES);
  for (let i = 0, at = 0; at < bytes.length; i++, at += chunkBytes) {
    await caller.call('attachments.chunk', { uploadId, index: i, data: bytes.subarray(at, at + chunkBytes).toString('base64') });
  }
  return caller.call('attachments.finish', { uploadId });
}

async function newAllegation(overrides: Partial<AllegationFormInput> = {}): Promise<string> {
  return (await sifter.call('allegations.create', { form: faxForm(overrides) })).id;
}

beforeAll(async () => {
  // A tighter memory limit than the desk's stops the decompression bomb sooner; everything else is as shipped.
  core = await openCore(join(tmp.dir, 'profile'), { attachments: { ocr: { concurrency: 2, memoryLimitMb: 900 } } });
  core.on((e) => e.type === 'attachment.progress' && events.push(e));
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  await addUser(core, 'nat.analyst', 'analyst', 'NAT');
  await addUser(core, 'nsu.officer', 'nsu', null);
  sifter = await signIn(core, 'nat.sifter');
  analyst = await signIn(core, 'nat.analyst');
  nsu = await signIn(core, 'nsu.officer');
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('attaching and reading scans', () => {
  let faxAllegation: string;

  it('reads a three-page G4 fax page by page with progress events, and search finds a page-2 word on page 2', async () => {
    faxAllegation = await newAllegation();
    const { attachment, alreadyAttached } = await upload(sifter, faxAllegation, 'fax.tif', readFileSync(FAX));
    expect(alreadyAttached).toBe(false);
    expect(attachment).toMatchObject({ fileName: 'fax.tif', kind: 'tiff', mimeType: 'image/tiff', hasFile: true });
    // The API answered before the pages were read: reading is in the background.
    expect(['pending', 'running']).toContain(attachment.ocrStatus);
    await core.attachments.whenIdle(attachment.id);

    const mine = events.filter((e) => e.attachmentId === attachment.id);
    expect(mine[0]).toMatchObject({ stage: 'queued' });
    expect(mine.find((e) => e.stage === 'started')).toMatchObject({ pageCount: 3, pagesDone: 0 });
    expect(mine.filter((e) => e.stage === 'page').map((e) => e.pagesDone)).toEqual([1, 2, 3]);
    expect(mine.at(-1)).toMatchObject({ stage: 'finished', status: 'done', pagesDone: 3, pagesFailed: 0, finished: true });

    const detail = await analyst.call('attachments.get', { id: attachment.id });
    expect(detail).toMatchObject({ ocrStatus: 'done', pages: 3, pagesDone: 3, view: 'original', export: { allowed: true, sanitised: false } });
    expect(detail.pageDetails.map((p) => [p.page, p.status, p.method, p.width, p.height])).toEqual([
      [1, 'done', 'ocr', 1728, 2179],
      [2, 'done', 'ocr', 1728, 2179],
      [3, 'done', 'ocr', 1728, 2179],
    ]);
    expect(detail.pageDetails.map((p) => /RESTRICTED/.test(p.text))).toEqual([false, true, false]);

    const found = await analyst.call('search.query', { q: 'RESTRICTED' });
    const hit = found.hits.find((h) => h.allegationId === faxAllegation);
    expect(hit?.matches[0]?.place).toEqual({ kind: 'attachment', attachmentId: attachment.id, page: 2, fileName: 'fax.tif' });

    // The viewer's page image, rendered through the pool.
    const img = await analyst.call('attachments.page', { id: attachment.id, page: 2 });
    expect(img).toMatchObject({ variant: 'original', width: 1728, height: 2179 });
    expect(Buffer.from(img.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('stores the same file once, and attaches it once to the same allegation', async () => {
    const blobs = () => readdirSync(join(core.store.profileDir, 'blobs')).filter((d) => d !== 'tmp').flatMap((d) => readdirSync(join(core.store.profileDir, 'blobs', d)));
    const before = blobs().length;
    const again = await upload(sifter, faxAllegation, 'fax (copy).tif', readFileSync(FAX));
    expect(again.alreadyAttached).toBe(true);
    const other = await newAllegation();
    const second = await upload(sifter, other, 'fax.tif', readFileSync(FAX));
    expect(second.alreadyAttached).toBe(false);
    await core.attachments.whenIdle(second.attachment.id);
    expect(blobs().length).toBe(before);
    expect((await sifter.call('attachments.list', { allegationId: faxAllegation })).length).toBe(1);
  });

  it('reads a scanned PDF page by page, and search finds a page-2 word on page 2', async () => {
    const id = await newAllegation({ channel: 'letter' });
    const { attachment } = await upload(sifter, id, 'scanned letter.pdf', await scannedPdf(['0000971160', '89817999_8002']));
    await core.attachments.whenIdle(attachment.id);
    const pages = events.filter((e) => e.attachmentId === attachment.id && e.stage === 'page');
    expect(pages.map((e) => e.page).sort()).toEqual([1, 2]);
    const detail = await sifter.call('attachments.get', { id: attachment.id });
    expect(detail.pageDetails.map((p) => [p.status, p.method])).toEqual([
      ['done', 'ocr'],
      ['done', 'ocr'],
    ]);
    const found = await sifter.call('search.query', { q: 'EFFECTIVENESS' });
    expect(found.hits.find((h) => h.allegationId === id)?.matches[0]?.place).toMatchObject({ kind: 'attachment', page: 2 });
    // Page 2 is a memo "FROM: J. J. BUXTON": the sender's line is withheld from the open text, kept restricted.
    expect(detail.pageDetails[1]?.text).not.toMatch(/BUXTON/);
    expect(detail.revealsSource).toBe(true);
    // The original is restricted (it reveals its sender); NSU reads it, in pieces.
    expect(await sifter.raw('attachments.content', { id: attachment.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bytes = await nsu.call('attachments.content', { id: attachment.id });
    expect(Buffer.from(bytes.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.total).toBe(attachment.byteSize);
  });
});

describe('broken and hostile files', () => {
  it('gives each a clear error on its own attachment, leaves the allegation untouched, and the pool recovers', async () => {
    const id = await newAllegation();
    const record = () => {
      const { attachments: _a, updatedAt: _u, ...rest } = readAllegation(core.store.db, id)!;
      return rest;
    };
    const before = record();
    const corrupt = await upload(sifter, id, 'fuzzed.pdf', readFileSync(join(BAD_PDFS, 'poppler-395-0-fuzzed.pdf')));
    const truncated = await upload(sifter, id, 'cut short.tif', truncatedFax());
    const bomb = await upload(sifter, id, 'bomb.pdf', pdfBomb());
    await Promise.all([corrupt, truncated, bomb].map((r) => core.attachments.whenIdle(r.attachment.id)));

    const outcome = async (attachmentId: string) => {
      const d = await sifter.call('attachments.get', { id: attachmentId });
      return { status: d.ocrStatus, error: d.error, pages: d.pageDetails.map((p) => p.error?.code ?? p.status) };
    };
    expect(await outcome(corrupt.attachment.id)).toEqual({ status: 'failed', error: { code: 'corrupt', message: 'This PDF is not a valid PDF (Invalid Root reference.)' }, pages: [] });
    expect(await outcome(truncated.attachment.id)).toMatchObject({ status: 'failed', error: { code: 'corrupt', message: expect.stringMatching(/truncated/) } });
    const b = await outcome(bomb.attachment.id);
    expect(b.status).toBe('failed');
    expect(b.pages).toHaveLength(1);
    expect(['out_of_memory', 'too_many_pixels', 'timeout']).toContain(b.pages[0]);
    expect(b.error?.message).toMatch(/^1 of 1 page could not be read \(.*(memory|pixels|longer).*\): retry it$/);

    // Refused before any of it is stored: nothing to attach, and too large to attach.
    const empty = await sifter.raw('attachments.begin', { allegationId: id, fileName: 'blank.pdf', size: 0 });
    expect(empty).toEqual({ ok: false, error: { code: 'bad_request', message: 'blank.pdf is empty (0 bytes): there is nothing to attach' } });
    const huge = await sifter.raw('attachments.begin', { allegationId: id, fileName: 'whole batch.pdf', size: 300 * 1024 * 1024 });
    expect(huge).toEqual({ ok: false, error: { code: 'bad_request', message: 'whole batch.pdf is 300 MB, over the 250 MB limit for one attachment: split it or scan at a lower resolution' } });
    // A 300 MB file attached from the desk's own disk (the CLI's way) is refused the same way, before it is read.
    const big = join(tmp.dir, 'big.pdf');
    writeFileSync(big, '%PDF-1.4\n');
    const { truncateSync } = await import('node:fs');
    truncateSync(big, 300 * 1024 * 1024);
    await expect(core.attachments.attachFile({ userId: null, name: 'test' }, id, big)).rejects.toThrow(/big\.pdf is 300 MB, over the 250 MB limit/);
    // A program renamed .pdf is refused on its first piece.
    const { uploadId } = await sifter.call('attachments.begin', { allegationId: id, fileName: 'invoice.pdf', size: 1000 });
    const exe = await sifter.raw('attachments.chunk', { uploadId, index: 0, data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(998)]).toString('base64') });
    expect(exe).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/invoice\.pdf is a Windows program/) } });

    expect(record()).toEqual(before);
    // The pool still reads a good scan.
    const good = await upload(sifter, id, 'form.png', readFileSync(join(FUNSD, '0000971160.png')));
    await core.attachments.whenIdle(good.attachment.id);
    expect((await sifter.call('attachments.get', { id: good.attachment.id })).pageDetails[0]?.text).toMatch(/QUALITY/);
  });

  it('reads failed pages again on request', async () => {
    const id = await newAllegation();
    const { attachment } = await upload(sifter, id, 'fax.tif', readFileSync(FAX));
    // Kill the workers while they read the first pages: those pages fail with the reason.
    await new Promise<void>((resolve) => {
      const off = core.on((e) => {
        if (e.type === 'attachment.progress' && e.attachmentId === attachment.id && e.stage === 'started') {
          off();
          setTimeout(() => {
            for (const w of core.attachments.pool().workerPids()) if (w.busy && w.pid) process.kill(w.pid, 'SIGKILL');
            resolve();
          }, 300);
        }
      });
    });
    await core.attachments.whenIdle(attachment.id);
    const failed = await sifter.call('attachments.get', { id: attachment.id });
    const bad = failed.pageDetails.filter((p) => p.status === 'failed');
    expect(failed.ocrStatus).toBe('failed');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0]?.error).toMatchObject({ code: 'worker_crashed', message: expect.stringMatching(/stopped unexpectedly/) });
    expect(failed.export).toMatchObject({ allowed: false, reason: expect.stringMatching(/Not every page has been read/) });

    const { queued } = await sifter.call('attachments.retry', { id: attachment.id });
    expect(queued).toEqual(bad.map((p) => p.page));
    await core.attachments.whenIdle(attachment.id);
    const done = await sifter.call('attachments.get', { id: attachment.id });
    expect(done).toMatchObject({ ocrStatus: 'done', pagesDone: 3, pagesFailed: 0, error: null });
    expect((await sifter.raw('attachments.retry', { id: attachment.id })).ok).toBe(false);
  });
});

describe('a scan that reveals its writer', () => {
  it('withholds the writer from the open text and search, restricts the original, sanitises the copy, and moves the details into the pane', async () => {
    const id = await newAllegation({ channel: 'letter' });
    const letter = await letterScan([
      'FAX FROM: 0113 496 0000',
      '',
      'Dear Sir',
      '',
      'RE: TARIQ MAHMOOD',
      'He is flying to Istanbul on flight TK 1984 on 14 March 2026.',
      'He works at the car wash on Elm Road every day.',
      '',
      'Yours faithfully',
      'Margaret Thompson',
    ]);
    const { attachment } = await upload(sifter, id, 'letter.tif', await faxOf(letter));
    await core.attachments.whenIdle(attachment.id);

    const d = await sifter.call('attachments.get', { id: attachment.id });
    expect(d).toMatchObject({ ocrStatus: 'done', revealsSource: true, view: 'sanitised', export: { allowed: true, sanitised: true }, source: { canOpenOriginal: false, sanitisedPages: 1 } });
    expect(d.source.regions.map((r) => [r.kind, r.reveals]).sort()).toEqual([
      ['fax-header', ['phone']],
      ['signature', ['name']],
    ]);
    const text = d.pageDetails[0]!.text;
    expect(text).toMatch(/flight TK 1984/);
    expect(text).not.toMatch(/Thompson|496/);
    expect(text).toContain('[source withheld]');
    // Suggestions: the subject and the flight, never the writer.
    expect(d.suggestionList.map((s) => [s.kind, s.value, s.page])).toEqual(expect.arrayContaining([['name', 'Tariq Mahmood', 1], ['flight', 'TK1984', 1]]));
    expect(d.suggestionList.find((s) => s.kind === 'flight')).toMatchObject({ date: '2026-03-14' });
    expect(d.suggestionList.some((s) => /Thompson|496/.test(s.text))).toBe(false);
    expect((await sifter.call('search.query', { q: 'Thompson' })).hits.some((h) => h.allegationId === id)).toBe(false);
    expect((await sifter.call('search.query', { q: 'TK1984' })).hits.some((h) => h.allegationId === id)).toBe(true);

    // The original is restricted; the sanitised copy is what is shown and exported.
    expect(await sifter.raw('attachments.content', { id: attachment.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sifter.raw('attachments.page', { id: attachment.id, page: 1, variant: 'original' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sifter.call('attachments.page', { id: attachment.id, page: 1 })).toMatchObject({ variant: 'sanitised', width: 1728 });
    const exported = await sifter.call('attachments.export', { id: attachment.id });
    expect(exported).toMatchObject({ sanitised: true, mimeType: 'application/pdf', fileName: 'letter (sanitised).pdf' });
    expect(Buffer.from(exported.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // NSU may see the original, and that is audited.
    expect(await nsu.call('attachments.page', { id: attachment.id, page: 1, variant: 'original' })).toMatchObject({ variant: 'original' });
    const audit = (action: string) => core.store.db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ? AND entity_id = ?').get(action, attachment.id) as { n: number };
    expect(audit('attachment.original_opened').n).toBe(1);
    expect(audit('attachment.original_refused').n).toBe(2);
    expect(audit('attachment.export').n).toBe(1);

    // Move what it reveals into the restricted pane: nothing comes back to the sifter.
    const moved = await sifter.call('attachments.moveSource', { id: attachment.id, reason: 'Letter signed by the reporter' });
    expect(moved).toEqual({ moved: ['name', 'phone'], createdSource: true, as: 'source' });
    // NSU opens the pane without an allocation (nobody allocates themselves into a source pane: issue 16).
    const pane = await nsu.call('source.open', { allegationId: id, reason: 'Check the reporter' });
    expect(pane.details).toMatchObject({ name: 'Margaret Thompson', phone: '01134960000' });
    expect(pane.originals.map((o) => o.text).join('\n')).toMatch(/Margaret Thompson/);
  });

  it('sanitises a revealing scan that arrived as a file (scanner folder, ims attach) on a desk that has had no upload yet', async () => {
    // Uploads are what first make the profile's working folder; a scan filed straight from disk must not need one.
    rmSync(join(tmp.dir, 'profile', 'tmp'), { recursive: true, force: true });
    const id = await newAllegation({ channel: 'letter' });
    const file = join(tmp.dir, 'signed letter.tif');
    writeFileSync(file, await faxOf(await letterScan(['Dear Sir', '', 'He works at the car wash on Elm Road every day.', '', 'Yours faithfully', 'Margaret Thompson'])));
    const { attachment } = await core.attachments.attachFile({ userId: null, name: 'scanner' }, id, file);
    await core.attachments.whenIdle(attachment.id);
    const d = await sifter.call('attachments.get', { id: attachment.id });
    expect(d).toMatchObject({ ocrStatus: 'done', revealsSource: true, view: 'sanitised', export: { allowed: true, sanitised: true }, source: { sanitisedPages: 1 } });
  });
});
