// Hostile and broken files: each fails on its own attachment with a clear error (or renders what it can),
// never crashing the process, hanging the pool or exhausting memory; and the pool works afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { OcrPool } from '../../electron/attachments/ocr-pool.ts';
import { ATTACHMENT_ERROR_CODES } from '../../electron/attachments/errors.ts';
import { DATA, tempDir } from '../helpers.ts';

const BAD_PDFS = join(DATA, 'bad-inputs', 'pdf');
const FAX = join(DATA, 'ocr', 'fax-fine-g4-3pages.tif');
const PAGE = join(DATA, 'ocr', 'funsd-training', 'images', '0000971160.png');
const tmp = tempDir('ims-hostile-');
let pool: OcrPool;

beforeAll(() => {
  pool = new OcrPool({ concurrency: 2, pageTimeoutMs: 60_000, probeTimeoutMs: 20_000, memoryLimitMb: 1024 });
});
afterAll(async () => {
  await pool.close();
  tmp.cleanup();
});

function write(name: string, bytes: Buffer): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A PNG whose header claims a size, with almost no pixel data behind it. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(10))), chunk('IEND', Buffer.alloc(0))]);
}

describe('hostile and broken attachments', () => {
  it('gives each of pdf.js\'s malformed, fuzzed and bomb PDFs a clear outcome of its own', async () => {
    const files = readdirSync(BAD_PDFS).filter((f) => f.endsWith('.pdf'));
    expect(files.length).toBeGreaterThanOrEqual(12);
    const outcomes: Record<string, string> = {};
    for (const f of files) {
      const r = await pool.ocrAttachment(join(BAD_PDFS, f), { pages: [1, 2] });
      expect(['done', 'partial', 'failed']).toContain(r.status);
      if (r.status === 'failed') {
        expect(ATTACHMENT_ERROR_CODES).toContain(r.error?.code);
        expect(r.error?.message.length).toBeGreaterThan(10);
      }
      for (const p of r.pages) if (p.status === 'failed') expect(p.error?.message).toMatch(/PDF|page/i);
      outcomes[f] = r.status === 'failed' ? `${r.error?.code}: ${r.error?.message}` : r.pages.map((p) => p.status).join(',');
    }
    expect(outcomes['poppler-395-0-fuzzed.pdf']).toBe('corrupt: This PDF is not a valid PDF (Invalid Root reference.)');
    expect(outcomes['poppler-937-0-fuzzed.pdf']).toMatch(/^failed$|^corrupt/);
    // The bomb's page carries a text layer: it is read from that, and its giant image is never decoded.
    expect(outcomes['bomb_giant.pdf']).toBe('done');
  });

  it('renders the PDF bomb for a sanitised copy within the limits, or stops it with a clear error', async () => {
    const out = join(tmp.dir, 'bomb.png');
    let outcome: string;
    try {
      const r = await pool.sanitisePage(join(BAD_PDFS, 'bomb_giant.pdf'), 1, [], out);
      outcome = `rendered ${r.width}x${r.height}`;
    } catch (err) {
      outcome = (err as { code: string }).code;
    }
    expect(outcome).toMatch(/^rendered \d+x\d+$|^out_of_memory$|^timeout$/);
  });

  it('says a truncated TIFF is truncated', async () => {
    const r = await pool.ocrAttachment(write('truncated.tif', readFileSync(FAX).subarray(0, 5000)));
    expect(r).toMatchObject({ status: 'failed', error: { code: 'corrupt', message: expect.stringMatching(/truncated/) } });
  });

  it('refuses an empty file, a renamed program and an image claiming 100000 x 100000 pixels', async () => {
    expect((await pool.ocrAttachment(write('empty.pdf', Buffer.alloc(0)))).error).toMatchObject({ code: 'empty' });
    expect((await pool.ocrAttachment(write('setup.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500)])))).error).toMatchObject({ code: 'unsupported_type', message: expect.stringMatching(/Windows program/) });
    const started = Date.now();
    const giant = await pool.ocrAttachment(write('giant.png', pngClaiming(100_000, 100_000)));
    expect(giant.error).toEqual({ code: 'too_many_pixels', message: 'This PNG image claims 100000 x 100000 pixels (10000 megapixels), over the 100-megapixel limit: refused rather than decoded' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('still reads a real page after all of that', async () => {
    const r = await pool.ocrPage(PAGE, 1);
    expect(r.status).toBe('done');
    expect(r.text).toMatch(/QUALITY/);
  });
});

describe('the pool contains failures and recovers', () => {
  it('stops a page at its time limit, replaces the worker, and the page can be retried', async () => {
    const strict = new OcrPool({ concurrency: 1, pageTimeoutMs: 300 });
    try {
      const r = await strict.ocrPage(PAGE, 1);
      expect(r).toMatchObject({ status: 'failed', error: { code: 'timeout', message: 'Reading this page took longer than 0.3 s, so it was stopped' } });
      expect(await strict.probe(FAX)).toEqual({ kind: 'tiff', pageCount: 3 });
      expect(strict.stats().restarts).toBe(1);
    } finally {
      await strict.close();
    }
    // The retry, with the ordinary limit.
    expect((await pool.ocrPage(PAGE, 1)).status).toBe('done');
  });

  it('stops a worker that passes its memory limit, and the next page is read', async () => {
    const tight = new OcrPool({ concurrency: 1, memoryLimitMb: 400 });
    try {
      // 9000 x 9000 pixels is under the pixel limit but far over 400 MB once decoded and recognised.
      const big = join(tmp.dir, 'big.png');
      await sharp({ create: { width: 9000, height: 9000, channels: 3, background: '#ffffff' } }).greyscale().png().toFile(big);
      const r = await tight.ocrPage(big, 1);
      expect(r).toMatchObject({ status: 'failed', error: { code: 'out_of_memory', message: expect.stringMatching(/more than 400 MB/) } });
      expect((await tight.ocrPage(PAGE, 1)).status).toBe('done');
      expect(tight.stats().restarts).toBe(1);
    } finally {
      await tight.close();
    }
  });

  it('reports a worker that dies mid-page, and carries on with a new one', async () => {
    const fragile = new OcrPool({ concurrency: 1 });
    try {
      await fragile.probe(FAX); // the worker is up
      const page = fragile.ocrPage(PAGE, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const busy = fragile.workerPids().find((w) => w.busy);
      expect(busy?.pid).toBeDefined();
      process.kill(busy!.pid!, 'SIGKILL');
      expect(await page).toMatchObject({ status: 'failed', error: { code: 'worker_crashed', message: expect.stringMatching(/stopped unexpectedly \(signal SIGKILL/) } });
      expect((await fragile.ocrPage(PAGE, 1)).status).toBe('done');
    } finally {
      await fragile.close();
    }
  });
});

describe('a pool that cannot start', () => {
  it('says so on every page instead of restarting workers forever', async () => {
    const broken = new OcrPool({ concurrency: 1, workerEntry: join(tmp.dir, 'no-such-worker.ts') });
    try {
      const r = await broken.ocrAttachment(PAGE);
      expect(r).toMatchObject({ status: 'failed', error: { code: 'worker_crashed', message: expect.stringMatching(/^The OCR workers cannot start/) } });
      expect(broken.stats().restarts).toBe(2);
    } finally {
      await broken.close();
    }
  });

  it('refuses a language folder without the English model, before starting anything', () => {
    expect(() => new OcrPool({ langPath: tmp.dir })).toThrow(/The OCR language data is missing: .*eng\.traineddata\.gz does not exist/);
  });
});
