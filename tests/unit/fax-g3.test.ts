// The Group 3 writer the letter replay set uses: what it writes, the product's TIFF decoder reads back
// pixel for pixel, in fine and standard mode, page by page.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { g3Tiff, type FaxPage } from '../fax-g3.ts';
import { openDocument } from '../../electron/attachments/document.ts';

function page(width: number, height: number, seed: number, ydpi: number): FaxPage {
  const black = new Uint8Array(width * height);
  let s = seed;
  for (let i = 0; i < black.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    // Runs of every length, short and long (up to whole rows), in both colours.
    black[i] = (s >>> 16) % 97 < (i % width < width / 3 ? 3 : 60) ? 1 : 0;
  }
  for (let x = 0; x < width; x++) black[5 * width + x] = 1; // a whole black row
  return { black, width, height, xdpi: 204, ydpi };
}

describe('Group 3 fax TIFFs', () => {
  it('are read back pixel for pixel by the TIFF decoder, every page', async () => {
    const pages = [page(1728, 40, 1, 196), page(1728, 30, 2, 196)];
    const tiff = g3Tiff(pages);
    for (const [i, p] of pages.entries()) {
      const { data, info } = await sharp(tiff, { page: i }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([p.width, p.height]);
      let differing = 0;
      for (let k = 0; k < p.black.length; k++) if ((data[k] === 0 ? 1 : 0) !== p.black[k]) differing++;
      expect(differing).toBe(0);
    }
  });

  it('carry the fax resolution, so standard mode has its rows doubled when decoded', async () => {
    const doc = await openDocument(g3Tiff([page(1728, 50, 3, 98)]));
    const p = await doc.page(0);
    expect(doc.kind).toBe('tiff');
    if (p.kind !== 'raster') throw new Error('expected a raster');
    expect([p.raster.width, p.raster.height]).toEqual([1728, 100]);
    await doc.close();
  });
});
