import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { coreBuild, startTesseract } from '../../electron/attachments/tesseract-engine.ts';
import { defaultLangPath } from '../../electron/attachments/tesseract-data.ts';
import { greyBmp } from '../../electron/attachments/preprocess.ts';
import { wordsFromTsv } from '../../electron/attachments/tesseract-tsv.ts';

describe('the tesseract engine', () => {
  it('loads the LSTM-only core with relaxed SIMD on Node 22 (tesseract.js itself picked the full core)', () => {
    expect(coreBuild()).toBe('tesseract-core-relaxedsimd-lstm');
  });

  it('reads the BMP prepared for it and returns TSV words', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="120"><rect width="600" height="120" fill="white"/><text x="20" y="80" font-family="DejaVu Sans, sans-serif" font-size="48">Hello world</text></svg>';
    const { data, info } = await sharp(Buffer.from(svg)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const bmp = greyBmp(data, info.width, info.height);
    const engine = await startTesseract(defaultLangPath());
    const words = wordsFromTsv(engine.recognise(bmp, { psm: '6', dpi: 300 }), 1).map((w) => w.text);
    expect(words).toEqual(['Hello', 'world']);
    // A second page on the same engine: the first page's image and results do not leak into it.
    expect(wordsFromTsv(engine.recognise(bmp, { psm: '6', dpi: 300 }), 1).map((w) => w.text)).toEqual(['Hello', 'world']);
  }, 30_000);
});
