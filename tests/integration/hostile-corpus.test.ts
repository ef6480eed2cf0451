// The hostile-input corpus: pdf.js's malformed, fuzzed and bomb PDFs (../shared/data/bad-inputs) and ours
// (tests/fixtures/hostile: TIFF, PNG, JPEG, PDF, JSON Lines). Every file ends in success or in one plain
// sentence a sifter can read: never a stack trace, a memory address, or a process that stays down.
import { verifyAuditTrail } from '../../electron/core/audit-trail.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OcrPool } from '../../electron/attachments/ocr-pool.ts';
import { ATTACHMENT_ERROR_CODES } from '../../electron/attachments/errors.ts';
import type { Core } from '../../electron/core/core.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { hostileAttachments, hostileImports, type HostileFile } from '../fixtures/hostile/make-hostile.ts';
import { CORPUS_1K, openCore, tempDir } from '../helpers.ts';
import { BAD_PDFS, FAX, FUNSD, scannedPdf } from '../scan-maker.ts';

const PAGE = join(FUNSD, '0000971160.png');
const tmp = tempDir('ims-hostile-corpus-');
let pool: OcrPool;
let ours: HostileFile[];

/** One plain sentence: one line, no stack frames, no memory addresses, no leaked internals. */
function expectPlainSentence(message: string | undefined, file: string): void {
  expect(message, file).toBeTypeOf('string');
  const m = message as string;
  expect(m.length, `${file}: ${m}`).toBeGreaterThan(15);
  expect(m.length, `${file}: ${m}`).toBeLessThan(400);
  expect(m, file).not.toMatch(/\n|\r/);
  expect(m, file).not.toMatch(/\bat [\w.<>]+ \(|\.[cm]?[jt]s:\d+|0x[0-9a-f]{5,}|\[object |\bundefined\b|\bNaN\b|^Error:|TypeError|RangeError|Maximum call stack/);
}

beforeAll(async () => {
  pool = new OcrPool({ concurrency: 2, pageTimeoutMs: 60_000, probeTimeoutMs: 20_000, memoryLimitMb: 1024 });
  ours = await hostileAttachments({ fax: readFileSync(FAX), page: readFileSync(PAGE), scanPdf: await scannedPdf(['0000971160']) });
}, 120_000);
afterAll(async () => {
  await pool.close();
  tmp.cleanup();
});

async function outcome(file: string): Promise<string> {
  const r = await pool.ocrAttachment(file);
  expect(['done', 'partial', 'failed'], file).toContain(r.status);
  if (r.status === 'failed') {
    expect(ATTACHMENT_ERROR_CODES, file).toContain(r.error?.code);
    expectPlainSentence(r.error?.message, file);
  }
  for (const p of r.pages) if (p.status === 'failed') expectPlainSentence(p.error?.message, `${file} page ${p.page}`);
  return r.status === 'failed' ? `${r.error?.code}: ${r.error?.message}` : `${r.status} (${r.pages.length} page${r.pages.length === 1 ? '' : 's'})`;
}

describe('the hostile attachment corpus', () => {
  it('has the 13 PDFs given and at least 30 of our own, of every kind', () => {
    expect(readdirSync(BAD_PDFS).filter((f) => f.endsWith('.pdf'))).toHaveLength(13);
    expect(ours.length).toBeGreaterThanOrEqual(30);
    for (const ext of ['.tif', '.png', '.jpg', '.pdf']) expect(ours.filter((f) => f.name.endsWith(ext)).length, ext).toBeGreaterThanOrEqual(4);
  });

  it('ends every given PDF in success or one plain sentence', async () => {
    const outcomes: Record<string, string> = {};
    for (const f of readdirSync(BAD_PDFS).filter((n) => n.endsWith('.pdf'))) outcomes[f] = await outcome(join(BAD_PDFS, f));
    console.info(`bad-inputs PDFs:\n${Object.entries(outcomes).map(([f, o]) => `  ${f}: ${o}`).join('\n')}`);
  }, 900_000);

  it('ends every file of ours in success or one plain sentence, and says what is wrong with the worst of them', async () => {
    const outcomes: Record<string, string> = {};
    for (const f of ours) {
      const file = join(tmp.dir, f.name);
      writeFileSync(file, f.bytes);
      outcomes[f.name] = await outcome(file);
    }
    // A link to a system file, given as a scan.
    symlinkSync('/etc/passwd', join(tmp.dir, 'passwords.pdf'));
    outcomes['passwords.pdf'] = await outcome(join(tmp.dir, 'passwords.pdf'));
    console.info(`our hostile files:\n${Object.entries(outcomes).map(([f, o]) => `  ${f}: ${o}`).join('\n')}`);

    expect(outcomes['ifd-loop.tif']).toBe('corrupt: This TIFF file is damaged: its pages point at each other (the list of pages goes round in a circle)');
    expect(outcomes['ifd-self-loop.tif']).toBe(outcomes['ifd-loop.tif']);
    expect(outcomes['ifd-long-loop.tif']).toBe(outcomes['ifd-loop.tif']);
    expect(outcomes['five-thousand-pages.tif']).toBe('too_many_pixels: This TIFF file has more than 2000 pages, over the limit of 2000: refused rather than read');
    expect(outcomes['first-page-beyond-end.tif']).toMatch(/^corrupt: This TIFF file is truncated or damaged: no readable page was found in it/);
    expect(outcomes['second-page-beyond-end.tif']).toBe('corrupt: This TIFF file is truncated or damaged: page 2 lies beyond the end of the file (the file may have been cut short in transfer)');
    expect(outcomes['claims-100000x100000.tif']).toMatch(/^failed|too_many_pixels|^partial/);
    expect(outcomes['tiny-blank.tif']).toBe('done (1 page)');
    expect(outcomes['empty.pdf']).toMatch(/^empty: /);
    expect(outcomes['program.tif']).toMatch(/^unsupported_type: .*a Linux program/);
    expect(outcomes['passwords.pdf']).toMatch(/^unsupported_type: /);
  }, 900_000);

  it('reads a real page after all of that', async () => {
    expect((await pool.ocrPage(PAGE, 1)).status).toBe('done');
  }, 120_000);
});

describe('a reader that crashes', () => {
  const faulty = join(import.meta.dirname, '..', 'fixtures', 'ocr-worker-faulty.ts');

  it('reports a worker that ran out of heap as out of memory, in a sentence, and reads the next page', async () => {
    const p = new OcrPool({ concurrency: 1, memoryLimitMb: 8192, workerEntry: faulty });
    try {
      const bomb = join(tmp.dir, 'heap-bomb.png');
      writeFileSync(bomb, readFileSync(PAGE));
      const r = await p.ocrPage(bomb, 1);
      expect(r).toMatchObject({ status: 'failed', error: { code: 'out_of_memory', message: 'Reading this page needed more memory than a reader may use (a decompression bomb or an enormous page?), so it was stopped' } });
      expect((await p.ocrPage(PAGE, 1)).status).toBe('done');
      expect(p.stats().restarts).toBe(1);
    } finally {
      await p.close();
    }
  }, 180_000);

  it('reports a worker that aborted without its last words, and moves on to the next file', async () => {
    const p = new OcrPool({ concurrency: 1, workerEntry: faulty });
    try {
      const abort = join(tmp.dir, 'abort.tif');
      writeFileSync(abort, readFileSync(FAX));
      const r = await p.ocrAttachment(abort);
      expect(r).toMatchObject({ status: 'failed', error: { code: 'worker_crashed', message: 'The worker reading this file stopped unexpectedly (signal SIGABRT), so the file was not read; it can be read again, and the other files are not affected' } });
      expect((await p.ocrAttachment(PAGE)).status).toBe('done');
    } finally {
      await p.close();
    }
  }, 180_000);
});

describe('the hostile import corpus', () => {
  let core: Core;
  beforeAll(async () => {
    core = await openCore(join(tmp.dir, 'import-profile'));
  });
  afterAll(() => core.close());

  it('ends every file in a summary or one plain sentence, and leaves the store whole', async () => {
    const good = JSON.parse(readFileSync(CORPUS_1K, 'utf8').split('\n')[0] as string) as Record<string, unknown>;
    const files = hostileImports(good);
    expect(files.length).toBeGreaterThanOrEqual(10);
    const outcomes: Record<string, string> = {};
    for (const f of files) {
      const file = join(tmp.dir, f.name);
      writeFileSync(file, f.bytes);
      try {
        const s = await importJsonl(core, file, { userId: null, name: 'hostile corpus' });
        for (const e of [...s.errors, ...s.warnings]) expectPlainSentence(e.reason, `${f.name} line ${e.line}`);
        expect(s.stopped, f.name).toBeNull();
        outcomes[f.name] = `${s.imported} imported, ${s.failed} failed${s.flagged ? `, ${s.flagged} flagged` : ''}`;
      } catch (error) {
        expectPlainSentence((error as Error).message, f.name);
        outcomes[f.name] = `refused: ${(error as Error).message}`;
      }
    }
    console.info(`hostile import files:\n${Object.entries(outcomes).map(([f, o]) => `  ${f}: ${o}`).join('\n')}`);
    expect(outcomes['utf16.jsonl']).toMatch(/refused: Cannot import .*utf16\.jsonl: the file is UTF-16 \(little-endian\) text; import reads UTF-8/);
    expect(outcomes['not-utf8.jsonl']).toBe('2 imported, 1 failed');
    expect(outcomes['empty.jsonl']).toBe('0 imported, 0 failed');
    expect(outcomes['from-the-future.jsonl']).toBe('1 imported, 1 failed, 1 flagged');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(core.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(verifyAuditTrail(core)).toMatchObject({ ok: true });
  }, 300_000);
});

