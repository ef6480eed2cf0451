// A second look at a postcode that only reads as one once OCR misreads are repaired. The repair is a guess
// by shape: "M8 SEP" repairs to "M8 5EP" because S is the usual misreading of 5, but on letter 07 of the
// replay set (a page skewed 1.5 degrees) the letter said "M8 8EP". The page is read in sparse-text mode
// (PSM 11, best for forms); the words of the postcode alone, read as one line (PSM 7) at the page's own
// scale, are read with their neighbours as context and no longer guess: letter 07's "SEP." reads "8EP.".
// The second reading is taken only when it is a valid postcode as written, with the same number of words;
// otherwise the first reading (and its repair) stands. Only candidates that need a repair are re-read, so a
// clean page pays nothing.
import sharp from 'sharp';
import { parse as parsePostcode } from 'postcode';
import type { OcrWord } from '../../shared/attachments/page-text.ts';
import { findRepairedPostcodes } from '../../shared/text/ocr-repair.ts';
import type { PageRaster } from './page-types.ts';
import type { Preprocessing } from './preprocess.ts';
import { greyBmp } from './preprocess.ts';
import type { TesseractEngine } from './tesseract-engine.ts';
import { wordsFromTsv } from './tesseract-tsv.ts';

/** White space around the crop: tesseract reads a line poorly when its ink touches the image's edge. */
const MARGIN = 20;
/** How far around the words' boxes the crop reaches, in page pixels (a skewed line leaves its boxes). */
const PAD = 6;

interface Span {
  words: OcrWord[];
  text: string;
}

/** The runs of words, one engine line at a time, whose joined text holds a postcode that needs a repair. */
export function spansToReread(words: OcrWord[]): Span[] {
  const lines = new Map<number | undefined, OcrWord[]>();
  for (const w of words) {
    const line = lines.get(w.line) ?? [];
    line.push(w);
    lines.set(w.line, line);
  }
  const spans: Span[] = [];
  for (const line of lines.values()) {
    let text = '';
    const starts: number[] = [];
    for (const w of line) {
      if (text) text += ' ';
      starts.push(text.length);
      text += w.text;
    }
    for (const found of findRepairedPostcodes(text)) {
      const end = found.index + found.text.length;
      const covered = line.filter((w, i) => (starts[i] as number) < end && (starts[i] as number) + w.text.length > found.index);
      if (covered.length) spans.push({ words: covered, text: found.text });
    }
  }
  return spans;
}

/** Whether a reading is a valid postcode as written (punctuation around it aside). */
function readsAsPostcode(tokens: string[]): boolean {
  const joined = tokens.join(' ').replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/gi, '');
  return /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(joined) && parsePostcode(joined).valid;
}

async function readSpan(span: Span, raster: PageRaster, pre: Preprocessing, engine: TesseractEngine): Promise<OcrWord[]> {
  const left = Math.max(0, Math.min(...span.words.map((w) => w.bbox.x0)) - PAD);
  const top = Math.max(0, Math.min(...span.words.map((w) => w.bbox.y0)) - PAD);
  const width = Math.min(raster.width, Math.max(...span.words.map((w) => w.bbox.x1)) + PAD) - left;
  const height = Math.min(raster.height, Math.max(...span.words.map((w) => w.bbox.y1)) + PAD) - top;
  if (width <= 0 || height <= 0) return [];
  const crop = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 1 } })
    .extract({ left, top, width, height })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  let img = sharp(crop.data, { raw: { width: crop.info.width, height: crop.info.height, channels: 1 } }).extend({ top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, background: '#ffffff' });
  if (pre.scale !== 1) img = img.resize({ width: Math.round((crop.info.width + 2 * MARGIN) * pre.scale), kernel: 'lanczos3' });
  const { data, info } = await img.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return wordsFromTsv(engine.recognise(greyBmp(data, info.width, info.height), { psm: '7', dpi: pre.ocrDpi }), 1).filter((w) => w.text.trim());
}

/**
 * Re-reads each postcode on the page that needs an OCR repair, and where the second reading is a postcode as
 * written, puts its words in place of the first (text and confidence; the boxes stay the page's). Returns how
 * many postcodes were read again and changed.
 */
export async function rereadRepairedPostcodes(words: OcrWord[], raster: PageRaster, pre: Preprocessing, engine: TesseractEngine): Promise<number> {
  let changed = 0;
  for (const span of spansToReread(words)) {
    const again = await readSpan(span, raster, pre, engine);
    if (again.length !== span.words.length || !readsAsPostcode(again.map((w) => w.text))) continue;
    span.words.forEach((w, i) => {
      const read = again[i] as OcrWord;
      w.text = read.text;
      w.confidence = read.confidence;
    });
    changed++;
  }
  return changed;
}
