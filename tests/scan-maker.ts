// Scans for tests, made offline from what the repository holds: scanned PDFs of real FUNSD pages, typed letters
// rendered to page images (as a scanner would give them), single-page G4 fax TIFFs, and a PDF decompression bomb.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { openDocument } from '../electron/attachments/document.ts';
import { makeScannedPdf, makeTextPdf } from './pdf-maker.ts';
import { DATA } from './helpers.ts';

export const FAX = join(DATA, 'ocr', 'fax-fine-g4-3pages.tif');
export const FUNSD = join(DATA, 'ocr', 'funsd-training', 'images');
export const BAD_PDFS = join(DATA, 'bad-inputs', 'pdf');

/** A scanned PDF (greyscale JPEG pages, no text layer) of FUNSD pages, at their ~90 dpi. */
export async function scannedPdf(ids: string[]): Promise<Buffer> {
  const pages = await Promise.all(
    ids.map(async (id) => {
      const img = sharp(join(FUNSD, `${id}.png`)).greyscale();
      const { width = 0, height = 0 } = await img.metadata();
      return { jpeg: await img.jpeg({ quality: 92 }).toBuffer(), width, height, dpi: 90 };
    }),
  );
  return makeScannedPdf(pages);
}

/** A typed letter as a scanner would give it: the page rendered to greyscale pixels at 300 dpi, as PNG. */
export async function letterScan(lines: string[]): Promise<Buffer> {
  const doc = await openDocument(makeTextPdf([lines]));
  try {
    const page = await doc.page(0, { raster: true });
    if (page.kind !== 'raster') throw new Error('the letter did not render');
    const { data, width, height } = page.raster;
    return await sharp(data, { raw: { width, height, channels: 1 } }).withMetadata({ density: 300 }).png().toBuffer();
  } finally {
    await doc.close();
  }
}

/** A one-page fine-mode fax (204 x 196 dpi, 1-bit, CCITT Group 4) of a page image. */
export async function faxOf(png: Buffer): Promise<Buffer> {
  return sharp(png)
    .resize({ width: 1728, height: Math.round((1728 * 11) / 8.5), fit: 'fill' })
    .threshold(160)
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: 196 / 25.4 })
    .toBuffer();
}

/** A multi-page G4 fax TIFF of one-page faxes, as a fax server files a transmission. */
export async function faxPages(pages: Buffer[]): Promise<Buffer> {
  return sharp(pages, { join: { animated: true } })
    .extractChannel(0)
    .threshold(128)
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: 196 / 25.4 })
    .toBuffer();
}

/**
 * A decompression bomb: one scanned page whose 10000 x 10000 image (100 megapixels, 100 MB decoded) compresses to
 * about 100 KB. Rendering it at the resolution it claims would need 10000 x 12941 pixels.
 */
export function pdfBomb(): Buffer {
  const side = 10000;
  const pixels = deflateSync(Buffer.alloc(side * side, 0xff), { level: 9 });
  const parts: Buffer[] = [];
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${pixels.length} >>\nstream\n`), pixels, Buffer.from('\nendstream')]),
    Buffer.from('<< /Length 34 >>\nstream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream'),
  ];
  parts.push(Buffer.from('%PDF-1.4\n'));
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((o, i) => {
    offsets.push(length);
    const body = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(body);
    length += body.length;
  });
  parts.push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** The first part of the three-page fax, cut short as a failed transfer leaves it. */
export function truncatedFax(): Buffer {
  return readFileSync(FAX).subarray(0, 5000);
}
