// What decoders hand to preprocessing and OCR, and what a recognised page looks like.
import type { PlacedWord } from '../../shared/attachments/page-text.ts';
import type { AttachmentKind } from './sniff.ts';

/** A page as 8-bit greyscale pixels, square pixels (fax rows already duplicated). */
export interface PageRaster {
  data: Buffer;
  width: number;
  height: number;
  /** Resolution in dots per inch, when the file says (or, for PDFs, the resolution it was rendered at). */
  dpi: number | null;
}

/** A page whose text came from a PDF text layer: no OCR needed. */
export interface PageTextLayer {
  text: string;
  words: PlacedWord[];
  /** The page size in pixels at RENDER_DPI, the frame of the word boxes. */
  width: number;
  height: number;
}

export type DecodedPage = { kind: 'raster'; raster: PageRaster } | { kind: 'text'; layer: PageTextLayer };

export interface DocumentInfo {
  kind: AttachmentKind;
  pageCount: number;
}

export interface DecodedDocument extends DocumentInfo {
  /** Page by 0-based index. With `raster`, PDF pages are rendered even when they have a text layer. */
  page(index: number, options?: { raster?: boolean }): Promise<DecodedPage>;
  close(): Promise<void>;
}

export interface DecodeLimits {
  /** Largest page we will decode, in pixels (width x height). */
  maxPixels: number;
  /** Most pages one document may have. */
  maxPages: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPixels: 100_000_000, maxPages: 2000 };

/** PDFs are rasterised at this resolution for OCR and for sanitised copies. */
export const RENDER_DPI = 300;
