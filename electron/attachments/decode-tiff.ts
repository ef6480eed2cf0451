// TIFF pages, including multi-page CCITT G3/G4 faxes. utif2 reads the page directories (count, size,
// resolution) without decoding pixels; sharp/libtiff decodes one page at a time. A multi-page TIFF must be
// split here: given whole to tesseract it silently reads page 1 only.
// Standard-mode faxes are 204 x 98 dpi: each row is duplicated so pixels are square (CER 0.29 -> 0.21).
import sharp from 'sharp';
import UTIF from 'utif2';
import { AttachmentError } from './errors.ts';
import { checkPixels, imageError, toGreyRaster } from './decode-image.ts';
import type { DecodedDocument, DecodeLimits } from './page-types.ts';

interface TiffPageInfo {
  width: number;
  height: number;
  xdpi: number | null;
  ydpi: number | null;
}

function rational(v: unknown): number | null {
  // utif2 gives rationals as [[numerator, denominator]] or [value].
  const first = Array.isArray(v) ? v[0] : v;
  const n = Array.isArray(first) ? Number(first[0]) / Number(first[1] || 1) : Number(first);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function num(v: unknown): number {
  const first = Array.isArray(v) ? v[0] : v;
  return Number(first ?? 0);
}

export function tiffPages(bytes: Buffer): TiffPageInfo[] {
  let ifds: UTIF.IFD[];
  try {
    ifds = UTIF.decode(bytes);
  } catch (err) {
    throw new AttachmentError('corrupt', `This TIFF file is damaged: its page directory cannot be read (${(err as Error).message})`);
  }
  const pages: TiffPageInfo[] = [];
  for (const ifd of ifds) {
    if (ifd['t256'] === undefined || ifd['t257'] === undefined) continue;
    // Resolution unit 3 is centimetres.
    const perCm = num(ifd['t296']) === 3;
    const x = rational(ifd['t282']);
    const y = rational(ifd['t283']);
    pages.push({
      width: num(ifd['t256']),
      height: num(ifd['t257']),
      xdpi: x === null ? null : perCm ? x * 2.54 : x,
      ydpi: y === null ? null : perCm ? y * 2.54 : y,
    });
  }
  if (pages.length === 0) {
    throw new AttachmentError('corrupt', 'This TIFF file is truncated or damaged: no readable page was found in it (the file may have been cut short in transfer)');
  }
  return pages;
}

export async function openTiff(bytes: Buffer, limits: DecodeLimits): Promise<DecodedDocument> {
  const pages = tiffPages(bytes);
  if (pages.length > limits.maxPages) throw new AttachmentError('too_many_pixels', `This TIFF file has ${pages.length} pages, over the limit of ${limits.maxPages}`);
  return {
    kind: 'tiff',
    pageCount: pages.length,
    async page(index) {
      const info = pages[index];
      if (!info) throw new AttachmentError('not_found', `page ${index + 1} does not exist (the TIFF has ${pages.length})`);
      const what = `Page ${index + 1} of this TIFF`;
      checkPixels(info.width, info.height, limits, what);
      const { xdpi, ydpi } = info;
      // Fax standard mode (204 x 98, half the lines of fine mode's 204 x 196): each row is repeated, a
      // whole number of times, so that pixels are (near enough) square.
      const rowFactor = xdpi && ydpi && xdpi / ydpi >= 1.5 ? Math.round(xdpi / ydpi) : 1;
      const height = Math.round(info.height * rowFactor);
      checkPixels(info.width, height, limits, what);
      try {
        let img = sharp(bytes, { page: index, limitInputPixels: limits.maxPixels });
        if (rowFactor !== 1) img = img.resize(info.width, height, { fit: 'fill', kernel: 'nearest' });
        return { kind: 'raster', raster: await toGreyRaster(img, xdpi) };
      } catch (err) {
        throw imageError(err, what);
      }
    },
    async close() {},
  };
}
