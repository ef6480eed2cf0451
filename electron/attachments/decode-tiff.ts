// TIFF pages, including multi-page CCITT G3/G4 faxes. The page directories (count, size, resolution) are read
// with every bound checked (tiff-directory.ts) and without decoding pixels; sharp/libtiff decodes one page at a
// time. A multi-page TIFF must be split here: given whole to tesseract it silently reads page 1 only.
// Standard-mode faxes are 204 x 98 dpi: each row is duplicated so pixels are square (CER 0.29 -> 0.21).
import sharp from 'sharp';
import { AttachmentError } from './errors.ts';
import { checkPixels, imageError, toGreyRaster } from './decode-image.ts';
import { readTiffDirectories } from './tiff-directory.ts';
import type { DecodedDocument, DecodeLimits } from './page-types.ts';

export async function openTiff(bytes: Buffer, limits: DecodeLimits): Promise<DecodedDocument> {
  const pages = readTiffDirectories(bytes, limits.maxPages);
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
        let img = sharp(bytes, { page: info.ifdIndex, limitInputPixels: limits.maxPixels });
        if (rowFactor !== 1) img = img.resize(info.width, height, { fit: 'fill', kernel: 'nearest' });
        return { kind: 'raster', raster: await toGreyRaster(img, xdpi) };
      } catch (err) {
        throw imageError(err, what);
      }
    },
    async close() {},
  };
}
