// Preprocessing chosen per page before OCR. Measured on FUNSD's real ~100 dpi scans (bench/ocr.ts):
// upscaling low-resolution pages 2x with Lanczos and using sparse-text segmentation (PSM 11) halves the
// character error rate (0.35 -> 0.17); 3x does not help further. Tesseract is also told the resolution:
// without it, images that carry no DPI cost 2-3 CER points.
import sharp from 'sharp';
import type { PageRaster } from './page-types.ts';

export interface Preprocessing {
  /** Resolution the page was scanned at: from the file, or estimated from its size. */
  sourceDpi: number;
  dpiEstimated: boolean;
  /** Upscaling factor applied before OCR (1 = none). */
  scale: number;
  /** Tesseract page segmentation mode. */
  psm: '3' | '4' | '6' | '11';
  /** The resolution tesseract is told (sourceDpi x scale). */
  ocrDpi: number;
}

/** Below this resolution a page is upscaled. */
export const LOW_RES_DPI = 150;

/**
 * The resolution of a page whose file does not say: documents are letters and forms, so the shorter side
 * is taken as about 8.5 inches (A4 is 8.27, US Letter 8.5).
 */
export function estimateDpi(width: number, height: number): number {
  return Math.min(width, height) / 8.5;
}

export function choosePreprocessing(page: Pick<PageRaster, 'width' | 'height' | 'dpi'>): Preprocessing {
  const dpiEstimated = page.dpi === null;
  const sourceDpi = Math.round(page.dpi ?? estimateDpi(page.width, page.height));
  const scale = sourceDpi < LOW_RES_DPI ? 2 : 1;
  return { sourceDpi, dpiEstimated, scale, psm: '11', ocrDpi: Math.round(sourceDpi * scale) };
}

/**
 * The image given to tesseract: an uncompressed 8-bit greyscale BMP, upscaled as chosen. Uncompressed because it
 * is read once, at once; BMP because Leptonica reads its rows in bulk, where it reads a PGM byte by byte and a PNG
 * through zlib: in the WebAssembly engine a 1524 x 2000 page takes 2-10 ms as BMP, 40-140 ms as PGM, and a PNG
 * cost its compression here too. The file carries no resolution: the engine is told `ocrDpi` with the image.
 */
export async function prepareForOcr(raster: PageRaster, pre: Preprocessing): Promise<Buffer> {
  let img = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 1 } });
  if (pre.scale !== 1) img = img.resize(Math.round(raster.width * pre.scale), Math.round(raster.height * pre.scale), { kernel: 'lanczos3' });
  // Without the colourspace, libvips hands back three identical channels for a one-channel input.
  const { data, info } = await img.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`prepareForOcr: expected one channel, got ${info.channels}`);
  return greyBmp(data, info.width, info.height);
}

const BMP_HEADERS = 14 + 40;
const GREY_PALETTE = Buffer.alloc(256 * 4);
for (let i = 0; i < 256; i++) GREY_PALETTE.fill(i, i * 4, i * 4 + 3);

/** An 8-bit BMP with a grey palette, rows stored top-down (negative height), each padded to 4 bytes. */
export function greyBmp(pixels: Buffer, width: number, height: number): Buffer {
  const stride = (width + 3) & ~3;
  const header = Buffer.alloc(BMP_HEADERS);
  const offset = BMP_HEADERS + GREY_PALETTE.length;
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(offset + stride * height, 2);
  header.writeUInt32LE(offset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(-height, 22);
  header.writeUInt16LE(1, 26); // planes
  header.writeUInt16LE(8, 28); // bits per pixel
  header.writeUInt32LE(stride * height, 34);
  header.writeUInt32LE(256, 46); // palette entries
  let rows = pixels;
  if (stride !== width) {
    rows = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) pixels.copy(rows, y * stride, y * width, (y + 1) * width);
  }
  return Buffer.concat([header, GREY_PALETTE, rows]);
}
