// The page directories (IFDs) of a TIFF file, read with every bound checked before anything is allocated:
// each directory must lie inside the file, no directory may be visited twice (two pages pointing at each
// other would loop for ever), no more than the page limit are followed, and only the few tags needed (size,
// resolution) are read. utif2's decoder follows the chain without these checks: a file whose two directories
// point at each other grew its page list until the worker ran out of memory (1.2 GB in 23 s). Pixels are
// decoded by libtiff (through sharp), one page at a time, and only after this has accepted the file.
import { AttachmentError } from './errors.ts';

export interface TiffPageInfo {
  /** The directory's position in the file's chain: the page number libtiff (sharp's `page`) knows it by. */
  ifdIndex: number;
  width: number;
  height: number;
  xdpi: number | null;
  ydpi: number | null;
}

const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8 };

const damaged = (why: string) => new AttachmentError('corrupt', `This TIFF file is damaged: ${why}`);

/**
 * Reads the page directories of a TIFF (classic or BigTIFF). Throws AttachmentError: 'corrupt' with a sentence
 * a sifter understands, or 'too_many_pixels' past `maxPages`.
 */
export function readTiffDirectories(bytes: Buffer, maxPages: number): TiffPageInfo[] {
  if (bytes.length < 8) throw new AttachmentError('corrupt', 'This TIFF file is truncated: it ends before its header does');
  const le = bytes[0] === 0x49;
  const u16 = (at: number) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const u64 = (at: number) => Number(le ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at));
  const big = u16(2) === 43;
  if (big && (bytes.length < 16 || u16(4) !== 8)) throw damaged('its BigTIFF header is not valid');
  const offsetBytes = big ? 8 : 4;
  const readOffset = big ? u64 : u32;
  const countBytes = big ? 8 : 2;
  const entryBytes = big ? 20 : 12;
  const readCount = big ? u64 : u16;

  const pages: TiffPageInfo[] = [];
  const seen = new Set<number>();
  let offset = readOffset(big ? 8 : 4);
  let index = 0;
  while (offset !== 0) {
    if (seen.has(offset)) throw damaged('its pages point at each other (the list of pages goes round in a circle)');
    seen.add(offset);
    if (index >= maxPages) throw new AttachmentError('too_many_pixels', `This TIFF file has more than ${maxPages} pages, over the limit of ${maxPages}: refused rather than read`);
    if (offset < 8 || offset + countBytes > bytes.length) {
      if (index === 0) throw new AttachmentError('corrupt', 'This TIFF file is truncated or damaged: no readable page was found in it (the file may have been cut short in transfer)');
      throw new AttachmentError('corrupt', `This TIFF file is truncated or damaged: page ${index + 1} lies beyond the end of the file (the file may have been cut short in transfer)`);
    }
    const count = readCount(offset);
    const end = offset + countBytes + count * entryBytes + offsetBytes;
    if (count === 0 || end > bytes.length) {
      if (index === 0) throw new AttachmentError('corrupt', 'This TIFF file is truncated or damaged: no readable page was found in it (the file may have been cut short in transfer)');
      throw new AttachmentError('corrupt', `This TIFF file is truncated or damaged: page ${index + 1}'s description runs past the end of the file`);
    }
    const tags = new Map<number, { type: number; n: number; at: number }>();
    for (let i = 0; i < count; i++) {
      const at = offset + countBytes + i * entryBytes;
      const tag = u16(at);
      const type = u16(at + 2);
      const n = big ? u64(at + 4) : u32(at + 4);
      const size = (TYPE_BYTES[type] ?? 0) * n;
      const inline = big ? 8 : 4;
      const valueAt = size <= inline ? at + (big ? 12 : 8) : readOffset(at + (big ? 12 : 8));
      tags.set(tag, { type, n, at: valueAt });
    }
    const value = (tag: number): number | null => {
      const t = tags.get(tag);
      if (!t || t.n < 1) return null;
      const size = TYPE_BYTES[t.type] ?? 0;
      if (size === 0 || t.at + size > bytes.length) return null;
      switch (t.type) {
        case 3:
          return u16(t.at);
        case 4:
          return u32(t.at);
        case 16:
          return u64(t.at);
        case 5: {
          const den = u32(t.at + 4);
          return den ? u32(t.at) / den : null;
        }
        default:
          return null;
      }
    };
    const width = value(256);
    const height = value(257);
    if (width !== null && height !== null) {
      // Resolution unit 3 is centimetres.
      const perCm = value(296) === 3;
      const dpi = (v: number | null) => (v && Number.isFinite(v) && v > 0 ? (perCm ? v * 2.54 : v) : null);
      pages.push({ ifdIndex: index, width, height, xdpi: dpi(value(282)), ydpi: dpi(value(283)) });
    }
    offset = readOffset(end - offsetBytes);
    index++;
  }
  if (pages.length === 0) throw new AttachmentError('corrupt', 'This TIFF file is truncated or damaged: no readable page was found in it (the file may have been cut short in transfer)');
  return pages;
}
