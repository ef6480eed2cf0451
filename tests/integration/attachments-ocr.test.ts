// Real scans, real OCR: a multi-page G4 fax, a scanned PDF, a born-digital PDF, and a sanitised copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { OcrPool, type OcrProgress } from '../../electron/attachments/ocr-pool.ts';
import { openDocument } from '../../electron/attachments/document.ts';
import { analyseScan } from '../../shared/analysis/analyse-text.ts';
import { sanitiseAttachment } from '../../electron/attachments/sanitise.ts';
import { suggestFields } from '../../shared/attachments/suggest-fields.ts';
import { makeScannedPdf, makeTextPdf } from '../pdf-maker.ts';
import { DATA, tempDir } from '../helpers.ts';
import { cer } from '../../bench/_text-metrics.ts';
import { findIdentifiers } from '../../shared/text/identifiers.ts';
import { renderLetter } from '../fixtures/letters/generate.ts';

const FAX = join(DATA, 'ocr', 'fax-fine-g4-3pages.tif');
const FUNSD = join(DATA, 'ocr', 'funsd-training', 'images');
const tmp = tempDir('ims-ocr-');
let pool: OcrPool;

beforeAll(() => {
  pool = new OcrPool({ concurrency: 2 });
});
afterAll(async () => {
  await pool.close();
  tmp.cleanup();
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Is every pixel of the box black in the image? */
async function allBlack(file: string, box: { x0: number; y0: number; x1: number; y1: number }): Promise<boolean> {
  const { data } = await sharp(file).extract({ left: box.x0, top: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.every((v) => v === 0);
}

describe('OCR of attachments, page by page', () => {
  it('reads a three-page G4 fax page by page with progress, and finds a page-2 word on page 2', async () => {
    const events: OcrProgress[] = [];
    const r = await pool.ocrAttachment(FAX, { onProgress: (p) => events.push(p) });
    expect(r).toMatchObject({ kind: 'tiff', pageCount: 3, status: 'done', error: null });
    expect(events[0]).toMatchObject({ event: 'started', pageCount: 3, pagesDone: 0 });
    expect(events.filter((e) => e.event === 'page').map((e) => e.pagesDone)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toMatchObject({ event: 'finished', pagesDone: 3, pagesFailed: 0 });
    for (const page of r.pages) {
      expect(page).toMatchObject({ status: 'done', source: 'ocr', width: 1728, height: 2179, error: null });
      expect(page.confidence).toBeGreaterThan(60);
      expect(page.preprocessing).toMatchObject({ sourceDpi: 204, dpiEstimated: false });
    }
    // "RESTRICTED" is printed on the second page only (FUNSD 0000989556).
    expect(r.pages.map((p) => /RESTRICTED/.test(p.text))).toEqual([false, true, false]);
    const word = r.pages[1]!.words.find((w) => w.text.includes('RESTRICTED'))!;
    expect(r.pages[1]!.text.slice(word.start, word.end)).toBe(word.text);
    expect(word.bbox.x1).toBeLessThanOrEqual(1728);
    expect(word.bbox.y1).toBeLessThanOrEqual(2179);
  });

  it('reads again, as a line of its own, a postcode that needs an OCR repair: the skewed letter 07 says M8 8EP, not M8 5EP', async () => {
    // Read with the rest of the page, "8EP" comes out "SEP.", which the shape-based repair would make "M8 5EP".
    const { bytes, truth } = await renderLetter('07');
    expect(truth.postcodes).toEqual(['M8 8EP']);
    const file = join(tmp.dir, truth.file);
    writeFileSync(file, bytes);
    const r = await pool.ocrAttachment(file);
    expect(r.status).toBe('done');
    expect(r.pages[0]!.text).toMatch(/Manchester M8 8EP\b/);
    expect(findIdentifiers(r.pages[0]!.text).filter((i) => i.kind === 'postcode').map((i) => i.value)).toEqual(['M8 8EP', 'M25 0EG']);
  });

  it('squares the pixels of a standard-mode fax (204 x 98 dpi) before reading it', async () => {
    const standard = join(tmp.dir, 'standard.tif');
    await sharp(FAX, { page: 1 }).resize(1728, 1090, { fit: 'fill' }).threshold(128).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: 98 / 25.4 }).toFile(standard);
    const doc = await openDocument(readFileSync(standard));
    const page = await doc.page(0);
    expect(page.kind === 'raster' && [page.raster.width, page.raster.height]).toEqual([1728, 2180]);
    const r = await pool.ocrPage(standard, 1);
    expect(r.status).toBe('done');
    // Half the vertical resolution costs some accuracy, but the page stays readable (fine mode: about 0.1).
    const reference = readFileSync(join(DATA, 'ocr', 'funsd-training', 'gt_text', '0000989556.txt'), 'utf8');
    expect(cer(r.text, reference)).toBeLessThan(0.25);
  });

  it('reads a scanned PDF page by page, and finds a page-2 word on page 2', async () => {
    const scan = async (id: string) => {
      const img = sharp(join(FUNSD, `${id}.png`)).greyscale();
      const { width = 0, height = 0 } = await img.metadata();
      return { jpeg: await img.jpeg({ quality: 92 }).toBuffer(), width, height, dpi: 90 };
    };
    const pdf = join(tmp.dir, 'scanned.pdf');
    writeFileSync(pdf, makeScannedPdf([await scan('0000971160'), await scan('89817999_8002')]));
    const pages: number[] = [];
    const r = await pool.ocrAttachment(pdf, { onProgress: (p) => p.page && pages.push(p.page) });
    expect(r).toMatchObject({ kind: 'pdf', pageCount: 2, status: 'done' });
    expect(pages.sort()).toEqual([1, 2]);
    expect(r.pages.map((p) => p.source)).toEqual(['ocr', 'ocr']);
    expect(r.pages[0]!.text).toMatch(/QUALITY IMPROVEMENT/);
    // "BUXTON" signs the second page's memo only.
    expect(r.pages.map((p) => /BUXTON/.test(p.text))).toEqual([false, true]);
  });

  it('takes a born-digital PDF from its text layer without OCR, and suggests fields with their place', async () => {
    const pdf = join(tmp.dir, 'typed.pdf');
    writeFileSync(pdf, makeTextPdf([['Home Office', 'RE: WASEEM IQBAL', 'He works at the car wash every day.'], ['His brother Arshad Nawaz is flying out on flight TK2584 on 14 March 2026.']]));
    const r = await pool.ocrAttachment(pdf);
    expect(r.pages.map((p) => [p.source, p.confidence])).toEqual([['text-layer', 100], ['text-layer', 100]]);
    const suggestions = suggestFields(r.pages.map((p) => ({ page: p.page, text: p.text, words: p.words })));
    expect(suggestions.map((s) => [s.kind, s.value, s.page])).toEqual([
      ['name', 'Waseem Iqbal', 1],
      ['name', 'Arshad Nawaz', 2],
      ['flight', 'TK2584', 2],
    ]);
    const flight = suggestions.find((s) => s.kind === 'flight')!;
    expect(flight.date).toBe('2026-03-14');
    expect(flight.boxes).toHaveLength(1);
    expect(flight.boxes[0]!.x1).toBeGreaterThan(flight.boxes[0]!.x0);
  });

  it('blacks out where a scanned letter reveals its writer, in a copy, leaving the original as it was', async () => {
    // A typed letter rendered to a 300 dpi page image: a scan of a letter.
    const typed = join(tmp.dir, 'letter.pdf');
    writeFileSync(typed, makeTextPdf([['FAX FROM: 0113 496 0000', '', 'Dear Sir', '', 'RE: YING HU', 'She works at the nail bar on Elm Road every day.', '', 'Yours faithfully', 'Margaret Thompson']]));
    const scan = join(tmp.dir, 'letter-scan.png');
    await pool.sanitisePage(typed, 1, [], scan);
    const before = sha(scan);

    const ocr = await pool.ocrAttachment(scan);
    const page = ocr.pages[0]!;
    expect(page.status).toBe('done');
    const { pages, suggestions } = analyseScan(ocr.pages.map((p) => ({ page: p.page, text: p.text, words: p.words })), { receivedAt: new Date() });
    const sourceRegions = pages.flatMap((p) => p.withheld);
    expect(sourceRegions.map((r) => [r.kind, page.text.slice(r.start, r.end).trim()])).toEqual([
      ['fax-header', '0113 496 0000'],
      ['signature', 'Margaret Thompson'],
    ]);
    // The writer's number is for the restricted pane, not a suggestion for the form; the subject is.
    expect(suggestions.map((s) => [s.kind, s.value])).toEqual([['name', 'Ying Hu']]);
    const [copy] = await sanitiseAttachment(pool, scan, ocr.pageCount, sourceRegions);
    expect(copy).toMatchObject({ page: 1, width: page.width, height: page.height, boxes: 2 });
    const copyFile = join(tmp.dir, 'sanitised-page-1.png');
    writeFileSync(copyFile, copy!.png);
    for (const box of sourceRegions.flatMap((r) => r.boxes)) expect(await allBlack(copyFile, box)).toBe(true);
    // The rest of the page is still there to read, and the original is untouched.
    const again = await pool.ocrPage(copyFile, 1);
    expect(again.text).toMatch(/nail bar/);
    expect(again.text).not.toMatch(/Thompson|496/);
    expect(sha(scan)).toBe(before);
  });

  it('holds back a long attachment so that no more than maxQueued pages wait at once', async () => {
    const small = new OcrPool({ concurrency: 1, maxQueued: 2 });
    try {
      const pdf = join(tmp.dir, 'long.pdf');
      writeFileSync(pdf, makeTextPdf(Array.from({ length: 12 }, (_, i) => [`This is page ${i + 1} of a long typed statement.`])));
      const queued: number[] = [];
      const r = await small.ocrAttachment(pdf, { onProgress: () => queued.push(small.stats().queued) });
      expect(r.status).toBe('done');
      expect(r.pages.map((p) => p.text)).toEqual(Array.from({ length: 12 }, (_, i) => `This is page ${i + 1} of a long typed statement.`));
      expect(Math.max(...queued)).toBeLessThanOrEqual(2);
    } finally {
      await small.close();
    }
  });
});
