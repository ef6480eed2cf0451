import { describe, expect, it } from 'vitest';
import { choosePreprocessing, estimateDpi, prepareForOcr } from '../../electron/attachments/preprocess.ts';

describe('preprocessing chosen per page', () => {
  it('upscales a low-resolution scan 2x and reads it as sparse text, telling the engine the resolution', () => {
    // FUNSD pages: 762 x 1000 pixels, no usable DPI in the file (~90 dpi on letter paper).
    expect(choosePreprocessing({ width: 762, height: 1000, dpi: null })).toEqual({ sourceDpi: 90, dpiEstimated: true, scale: 2, psm: '11', ocrDpi: 180 });
  });

  it('leaves fax and 300 dpi pages at their own resolution', () => {
    expect(choosePreprocessing({ width: 1728, height: 2179, dpi: 204 })).toMatchObject({ scale: 1, ocrDpi: 204, dpiEstimated: false });
    expect(choosePreprocessing({ width: 2550, height: 3300, dpi: 300 })).toMatchObject({ scale: 1, ocrDpi: 300 });
  });

  it('estimates resolution from the shorter side of a letter-sized page, portrait or landscape', () => {
    expect(estimateDpi(2550, 3300)).toBe(300);
    expect(estimateDpi(3300, 2550)).toBe(300);
  });

  it('hands the engine one grey channel, uncompressed, upscaled as chosen', async () => {
    const raster = { data: Buffer.alloc(40 * 30, 200), width: 40, height: 30, dpi: null };
    const pgm = await prepareForOcr(raster, { sourceDpi: 100, dpiEstimated: true, scale: 2, psm: '11', ocrDpi: 200 });
    const header = 'P5\n80 60\n255\n';
    expect(pgm.subarray(0, header.length).toString('latin1')).toBe(header);
    expect(pgm.length).toBe(header.length + 80 * 60);
    expect(pgm[header.length + 100]).toBe(200);
  });
});
