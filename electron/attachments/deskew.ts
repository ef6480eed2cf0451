// Pages fed crooked through a scanner or fax come out skewed by a degree or two, and tesseract misreads more
// on a slanted line: on the letters replay set a page skewed 1.5 degrees read "M8 8EP" as "M8 SEP" (a valid
// but wrong postcode once repaired) and read it right once straightened. The skew is estimated from the
// page's own lines of text (the angle at which the rows of ink line up best, a projection profile), the page is
// rotated back before OCR, and the word boxes are carried back into the page's own frame, so the viewer's
// highlights and the sanitised copy's black boxes still cover the words on the page as it was received.
import sharp from 'sharp';
import type { OcrWord } from '../../shared/attachments/page-text.ts';
import type { PageRaster } from './page-types.ts';

/** Skews within this many degrees are looked for; a page turned further is not a crooked feed. */
export const MAX_SKEW_DEG = 5;
/** Below this, rotating (and resampling every pixel) costs more than the slant does. */
export const MIN_CORRECTED_DEG = 0.3;
/** The page is measured at about this many pixels on its longer side. */
const SAMPLE_SIDE = 1200;
/** A pixel darker than this is ink. */
const INK = 128;

/** Sum of squared row counts of the ink points sheared by `deg`: highest when the rows of text are level. */
function profileScore(xs: Int32Array, ys: Int32Array, count: number, height: number, width: number, deg: number): number {
  const t = Math.tan((deg * Math.PI) / 180);
  const pad = Math.ceil(Math.abs(t) * width) + 1;
  const rows = new Float64Array(height + 2 * pad);
  for (let i = 0; i < count; i++) {
    const y = Math.round((ys[i] as number) - (xs[i] as number) * t) + pad;
    rows[y] = (rows[y] as number) + 1;
  }
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += (rows[i] as number) * (rows[i] as number);
  return s;
}

/**
 * The angle in degrees to turn the page by (clockwise positive, as sharp's `rotate` takes it) so that its lines
 * of text are level; 0 when the page has too little ink or no angle is clearly better than none. 8-bit grey
 * pixels, dark ink on light paper.
 */
export function estimateSkew(data: Uint8Array, width: number, height: number): number {
  let count = 0;
  for (let i = 0; i < data.length; i++) if ((data[i] as number) < INK) count++;
  // A blank page, or one dark all over (a photograph), has no lines to level.
  if (count < 200 || count > data.length * 0.5) return 0;
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[y * width + x] as number) < INK) {
        xs[k] = x;
        ys[k] = y;
        k++;
      }
    }
  }
  const score = (deg: number) => profileScore(xs, ys, count, height, width, deg);
  const level = score(0);
  let best = 0;
  let bestScore = level;
  // Coarse, then fine around the best coarse angle.
  for (let d = -MAX_SKEW_DEG; d <= MAX_SKEW_DEG + 1e-9; d += 0.5) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  const coarse = best;
  for (let d = coarse - 0.5; d <= coarse + 0.5 + 1e-9; d += 0.05) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  // Only a clear gain over reading the page as it is: noise and pictures give small, random gains.
  if (bestScore < level * 1.02) return 0;
  // The shear that levels the rows is the opposite of the rotation that does.
  return Math.round(-best * 100) / 100;
}

export interface Deskewed {
  raster: PageRaster;
  /** Degrees the page was rotated by (0: left as it was). */
  angle: number;
  /** A word's box on the rotated page, back in the frame of the page as received. */
  toPage(bbox: OcrWord['bbox']): OcrWord['bbox'];
}

const identity = (raster: PageRaster): Deskewed => ({ raster, angle: 0, toPage: (b) => b });

/** The page rotated level when it is skewed by more than MIN_CORRECTED_DEG, with the way back for boxes. */
export async function deskewPage(raster: PageRaster): Promise<Deskewed> {
  const { width, height } = raster;
  const k = Math.min(1, SAMPLE_SIDE / Math.max(width, height));
  const sample = await sharp(raster.data, { raw: { width, height, channels: 1 } })
    .resize(Math.max(1, Math.round(width * k)), Math.max(1, Math.round(height * k)), { kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const angle = estimateSkew(sample.data, sample.info.width, sample.info.height);
  if (Math.abs(angle) < MIN_CORRECTED_DEG) return identity(raster);
  const { data, info } = await sharp(raster.data, { raw: { width, height, channels: 1 } })
    .rotate(angle, { background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rad = (angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  // sharp turns the page about its centre onto a canvas grown to hold it: undo that for each corner.
  const back = (x: number, y: number): [number, number] => {
    const dx = x - info.width / 2;
    const dy = y - info.height / 2;
    return [dx * cos + dy * sin + width / 2, -dx * sin + dy * cos + height / 2];
  };
  const toPage = (b: OcrWord['bbox']): OcrWord['bbox'] => {
    const corners = [back(b.x0, b.y0), back(b.x1, b.y0), back(b.x0, b.y1), back(b.x1, b.y1)];
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    return {
      x0: Math.max(0, Math.floor(Math.min(...xs))),
      y0: Math.max(0, Math.floor(Math.min(...ys))),
      x1: Math.min(width, Math.ceil(Math.max(...xs))),
      y1: Math.min(height, Math.ceil(Math.max(...ys))),
    };
  };
  return { raster: { ...raster, data, width: info.width, height: info.height }, angle, toPage };
}
