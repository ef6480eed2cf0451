import { describe, expect, it } from 'vitest';
import { choosePreprocessing, estimateDpi, greyBmp, prepareForOcr } from '../../electron/attachments/preprocess.ts';

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
    const bmp = await prepareForOcr(raster, { sourceDpi: 100, dpiEstimated: true, scale: 2, psm: '11', ocrDpi: 200 });
    expect(bmp.subarray(0, 2).toString('latin1')).toBe('BM');
    expect([bmp.readInt32LE(18), bmp.readInt32LE(22), bmp.readUInt16LE(28)]).toEqual([80, -60, 8]);
    expect(bmp.length).toBe(bmp.readUInt32LE(10) + 80 * 60);
    expect(bmp[bmp.readUInt32LE(10) + 100]).toBe(200);
  });

  it('pads BMP rows to four bytes and keeps the first row first', () => {
    const pixels = Buffer.from([0, 50, 100, 150, 200, 250]); // 3 x 2
    const bmp = greyBmp(pixels, 3, 2);
    const offset = bmp.readUInt32LE(10);
    expect(bmp.length).toBe(offset + 2 * 4);
    expect([...bmp.subarray(offset, offset + 8)]).toEqual([0, 50, 100, 0, 150, 200, 250, 0]);
    expect(bmp.readInt32LE(22)).toBe(-2);
  });
});
