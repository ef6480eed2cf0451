// PDF pages through pdf.js (the pdfjs-dist that react-pdf pins, legacy build for Node). Born-digital pages
// give their text layer and are not OCR'd; image-only (scanned) pages are rendered to pixels at RENDER_DPI
// with @napi-rs/canvas. Hostile PDFs are contained by the worker process this runs in (time and memory
// limits): here we only make sure pdf.js is told the limits it understands and its errors read clearly.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AttachmentError } from './errors.ts';
import { checkPixels } from './decode-image.ts';
import { RENDER_DPI, type DecodedDocument, type DecodeLimits, type DecodedPage } from './page-types.ts';
import type { OcrWord } from '../../shared/attachments/page-text.ts';
import { assemblePageText } from '../../shared/attachments/page-text.ts';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const asDir = (p: string) => `${p}/`;

/** Pages with fewer visible characters than this in their text layer are treated as scans. */
const MIN_TEXT_LAYER_CHARS = 20;

function pdfError(err: unknown, what: string): AttachmentError {
  if (err instanceof AttachmentError) return err;
  const e = err as { name?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.name === 'PasswordException') return new AttachmentError('unsupported_type', `${what} is password-protected: ask the sender for an unprotected copy`);
  // pdf.js parses recursively: an object nested thousands deep (damaged or hostile) exhausts the stack.
  // (pdf.js hands errors from its parser across as plain errors carrying the message.)
  if (/maximum call stack/i.test(msg)) return new AttachmentError('corrupt', `${what} is damaged: its contents are nested too deeply to read (a damaged or deliberately malformed file)`);
  if (/allocation failed|invalid (?:string|array|typed array) length/i.test(msg)) return new AttachmentError('out_of_memory', `${what} is too large to read: it asks for more memory than a reader may use`);
  if (e?.name === 'InvalidPDFException') return new AttachmentError('corrupt', `${what} is not a valid PDF (${msg})`);
  return new AttachmentError('corrupt', `${what} is damaged and cannot be read (${msg})`);
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

export async function openPdf(bytes: Buffer, limits: DecodeLimits): Promise<DecodedDocument> {
  let doc: PDFDocumentProxy;
  let task: ReturnType<typeof getDocument> | null = null;
  try {
    task = getDocument({
      data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      disableFontFace: true,
      useSystemFonts: false,
      // Everything pdf.js may need for fonts, CJK and JPX comes from the package, never the network.
      standardFontDataUrl: asDir(join(pdfjsRoot, 'standard_fonts')),
      cMapUrl: asDir(join(pdfjsRoot, 'cmaps')),
      cMapPacked: true,
      wasmUrl: asDir(join(pdfjsRoot, 'wasm')),
      iccUrl: asDir(join(pdfjsRoot, 'iccs')),
      maxImageSize: limits.maxPixels,
      stopAtErrors: false,
      verbosity: 0,
    });
    doc = await task.promise;
  } catch (err) {
    void task?.destroy();
    throw pdfError(err, 'This PDF');
  }
  if (doc.numPages < 1) throw new AttachmentError('corrupt', 'This PDF has no pages');
  if (doc.numPages > limits.maxPages) throw new AttachmentError('too_many_pixels', `This PDF has ${doc.numPages} pages, over the limit of ${limits.maxPages}`);
  return {
    kind: 'pdf',
    pageCount: doc.numPages,
    async page(index, options = {}): Promise<DecodedPage> {
      const what = `Page ${index + 1} of this PDF`;
      if (index < 0 || index >= doc.numPages) throw new AttachmentError('not_found', `page ${index + 1} does not exist (the PDF has ${doc.numPages})`);
      try {
        const page = await doc.getPage(index + 1);
        let viewport = page.getViewport({ scale: RENDER_DPI / 72 });
        let width = Math.ceil(viewport.width);
        let height = Math.ceil(viewport.height);
        const content = await page.getTextContent();
        const items = content.items.filter((i): i is TextItem & typeof i => 'str' in i);
        const visible = items.reduce((n, i) => n + i.str.replace(/\s/g, '').length, 0);
        if (visible >= MIN_TEXT_LAYER_CHARS && !options.raster) {
          const words: OcrWord[] = [];
          for (const item of items) words.push(...wordsOfItem(item, viewport.transform));
          const layer = assemblePageText(words);
          page.cleanup();
          return { kind: 'text', layer: { text: layer.text, words: layer.words, width, height } };
        }
        // A scan is rendered at the resolution it was scanned at (up to RENDER_DPI), so that it gets the same
        // preprocessing as the same scan sent as an image: rendering a 100 dpi scan at 300 dpi blurs it.
        const dpi = (await scanResolution(page)) ?? RENDER_DPI;
        if (dpi !== RENDER_DPI) {
          viewport = page.getViewport({ scale: dpi / 72 });
          width = Math.ceil(viewport.width);
          height = Math.ceil(viewport.height);
        }
        checkPixels(width, height, limits, what);
        const canvasFactory = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: unknown; context: unknown }; destroy(c: unknown): void } }).canvasFactory;
        const entry = canvasFactory.create(width, height);
        const ctx = entry.context as { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, width, height);
        await page.render({ canvas: entry.canvas as never, canvasContext: ctx as never, viewport }).promise;
        const rgba = ctx.getImageData(0, 0, width, height).data;
        const grey = Buffer.allocUnsafe(width * height);
        for (let i = 0, p = 0; p < grey.length; i += 4, p++) {
          // ITU-R BT.601 luma, as libvips uses for greyscale.
          grey[p] = (rgba[i]! * 299 + rgba[i + 1]! * 587 + rgba[i + 2]! * 114) / 1000;
        }
        canvasFactory.destroy(entry);
        page.cleanup();
        return { kind: 'raster', raster: { data: grey, width, height, dpi } };
      } catch (err) {
        throw pdfError(err, what);
      }
    },
    async close() {
      await task?.destroy();
    },
  };
}

/**
 * The resolution of a scanned page: its largest image's pixels over the page width, when that image spans
 * most of the page (a scanner's output). Null for anything else, which is rendered at RENDER_DPI.
 */
async function scanResolution(page: PDFPageProxy): Promise<number | null> {
  const ops = await page.getOperatorList();
  let widest = 0;
  for (let i = 0; i < ops.fnArray.length; i++) {
    if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
    const name = (ops.argsArray[i] as unknown[])[0] as string;
    try {
      const objs = name.startsWith('g_') ? page.commonObjs : page.objs;
      const img = objs.get(name) as { width?: number } | null;
      widest = Math.max(widest, img?.width ?? 0);
    } catch {
      // Not resolved (a broken image): no estimate from it.
    }
  }
  const pageInches = page.getViewport({ scale: 1 }).width / 72;
  const dpi = widest / pageInches;
  if (!(dpi >= 50)) return null;
  return Math.min(RENDER_DPI, Math.round(dpi));
}

/** Splits a text item into words with boxes in the rendered page's pixels (width shared by characters). */
function wordsOfItem(item: TextItem, viewportTransform: number[]): OcrWord[] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
  const [va = 1, vb = 0, vc = 0, vd = 1, ve = 0, vf = 0] = viewportTransform;
  const toView = (x: number, y: number): [number, number] => [va * x + vc * y + ve, vb * x + vd * y + vf];
  const fontHeight = Math.hypot(c, d) || item.height || 10;
  const dirX = Math.hypot(a, b) ? a / Math.hypot(a, b) : 1;
  const dirY = Math.hypot(a, b) ? b / Math.hypot(a, b) : 0;
  const out: OcrWord[] = [];
  const perChar = item.str.length ? item.width / item.str.length : 0;
  for (const m of item.str.matchAll(/\S+/g)) {
    const s = (m.index ?? 0) * perChar;
    const t = s + m[0].length * perChar;
    const corners = [
      toView(e + dirX * s, f + dirY * s),
      toView(e + dirX * t, f + dirY * t),
      toView(e + dirX * s - dirY * fontHeight, f + dirY * s + dirX * fontHeight),
      toView(e + dirX * t - dirY * fontHeight, f + dirY * t + dirX * fontHeight),
    ];
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    out.push({ text: m[0], confidence: 100, bbox: { x0: Math.floor(Math.min(...xs)), y0: Math.floor(Math.min(...ys)), x1: Math.ceil(Math.max(...xs)), y1: Math.ceil(Math.max(...ys)) } });
  }
  return out;
}
