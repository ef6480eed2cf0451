// JPEG and PNG pages through sharp (libvips). Dimensions are checked from the header before any pixel is
// decoded, so an image that claims 100000 x 100000 pixels is refused without allocating 10 GB.
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { AttachmentError } from './errors.ts';
import type { DecodedDocument, DecodeLimits, PageRaster } from './page-types.ts';

export function checkPixels(width: number, height: number, limits: DecodeLimits, what: string): void {
  if (!(width > 0 && height > 0)) throw new AttachmentError('corrupt', `${what} has no size (width ${width}, height ${height}): the file is damaged`);
  if (width * height > limits.maxPixels) {
    const mp = Math.round((width * height) / 1e6);
    throw new AttachmentError('too_many_pixels', `${what} claims ${width} x ${height} pixels (${mp} megapixels), over the ${Math.round(limits.maxPixels / 1e6)}-megapixel limit: refused rather than decoded`);
  }
}

/** libvips' and its loaders' words for what is wrong with a file, in plain words. */
const DETAILS: Array<[RegExp, string]> = [
  [/premature end|unexpected end|truncated|not enough (?:data|image data)|end of (?:file|stream)/i, 'it ends too early: cut short in transfer?'],
  [/bad seek|seek|beyond (?:the )?end|out of range/i, 'its image data lies beyond the end of the file'],
  [/corrupt header|bad header|not a known file format|unsupported image format|invalid (?:PNG|JPEG|TIFF)? ?header/i, 'its header is damaged'],
  [/failOn|crc|checksum/i, "its data does not check out: a checksum does not match"],
  [/libpng read error|zlib|inflate|huffman|corrupt (?:JPEG )?data/i, 'its compressed image data is damaged'],
  [/empty jpeg|DNL not supported/i, 'it holds no image'],
];

function plainDetail(msg: string): string {
  const first = msg.split('\n')[0]?.trim() ?? '';
  return DETAILS.find(([pattern]) => pattern.test(msg))?.[1] ?? (first.replace(/^[\w ]+: /, '') || 'the decoder gave no reason');
}

/** Turns libvips' messages into one an analyst can act on. */
export function imageError(err: unknown, what: string): AttachmentError {
  if (err instanceof AttachmentError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) return new AttachmentError('too_many_pixels', `${what} is larger than the pixel limit`);
  return new AttachmentError('corrupt', `${what} is damaged or truncated and cannot be decoded (${plainDetail(msg)})`);
}

function densityOf(meta: Metadata): number | null {
  // 72 dpi is what many programs write when they know nothing: treat it as unknown.
  const d = meta.density;
  return d && d !== 72 && d >= 50 && d <= 2400 ? d : null;
}

export async function toGreyRaster(img: Sharp, dpi: number | null): Promise<PageRaster> {
  const { data, info } = await img.greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, dpi };
}

export async function openImage(bytes: Buffer, kind: 'jpeg' | 'png', limits: DecodeLimits): Promise<DecodedDocument> {
  const what = kind === 'jpeg' ? 'This JPEG image' : 'This PNG image';
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw imageError(err, what);
  }
  // Phone photos are often stored sideways with an EXIF orientation: autoOrient turns them upright.
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  checkPixels(width, height, limits, what);
  return {
    kind,
    pageCount: 1,
    async page(index) {
      if (index !== 0) throw new AttachmentError('not_found', `an image has one page; page ${index + 1} does not exist`);
      try {
        return { kind: 'raster', raster: await toGreyRaster(sharp(bytes, { limitInputPixels: limits.maxPixels, autoOrient: true }).flatten({ background: '#ffffff' }), densityOf(meta)) };
      } catch (err) {
        throw imageError(err, what);
      }
    },
    async close() {},
  };
}
