// A worker process of the OCR pool: decodes one page at a time, preprocesses it and recognises it with
// tesseract.js. It runs in its own process so that a hostile file (a decompression bomb, a crash in a native
// decoder) takes down only this process: the pool kills it at its time or memory limit and starts another.
import sharp from 'sharp';
import { assemblePageText, isLikelyNoise, meanConfidence } from '../../shared/attachments/page-text.ts';
import { openDocument } from './document.ts';
import { toFailure, AttachmentError } from './errors.ts';
import { choosePreprocessing, prepareForOcr } from './preprocess.ts';
import { rereadRepairedPostcodes } from './postcode-reread.ts';
import { startTesseract, type TesseractEngine } from './tesseract-engine.ts';
import { wordsFromTsv } from './tesseract-tsv.ts';
import type { DecodedDocument } from './page-types.ts';
import type { PageOcrResult, ProbeResult, SanitiseResult, WorkerConfig, WorkerReply, WorkerRequest } from './worker-protocol.ts';

// One libvips thread: the pool already runs one process per core.
sharp.concurrency(1);
sharp.cache(false);

const config = JSON.parse(process.env.IMS_OCR_WORKER_CONFIG ?? '{}') as WorkerConfig;
const send = (m: WorkerReply) => process.send?.(m);

// Started without top-level await, so that the worker can be bundled as CommonJS for the packaged app.
let tesseract: TesseractEngine;
let engineBroken = false;
async function startEngine(): Promise<boolean> {
  try {
    tesseract = await startTesseract(config.langPath);
    // Tesseract's default retry of low-confidence lines as white-on-black text stays on: forms print labels
    // in black bars (on FUNSD it costs about 5% more time for 0.0015 less CER).
    return true;
  } catch (err) {
    send({ type: 'startup-failed', error: toFailure(err, 'ocr_failed', 'The OCR engine could not start') });
    process.exit(1);
  }
}

// The document last opened, so that the pages of one attachment are neither sent nor parsed again each time.
let open: { id: string; doc: DecodedDocument } | null = null;
async function documentOf(req: WorkerRequest): Promise<DecodedDocument> {
  if (open?.id === req.doc) return open.doc;
  if (open) await open.doc.close().catch(() => {});
  open = null;
  // The pool sends the bytes whenever this process may not hold the document: their absence is the pool's bug.
  if (!req.bytes) throw new AttachmentError('not_found', 'The attachment was not handed to the worker reading it');
  const doc = await openDocument(Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength), config.limits);
  open = { id: req.doc, doc };
  return doc;
}

async function probe(req: WorkerRequest): Promise<ProbeResult> {
  const doc = await documentOf(req);
  return { kind: doc.kind, pageCount: doc.pageCount };
}

async function recognisePage(req: WorkerRequest, index: number): Promise<PageOcrResult> {
  const cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const c = process.cpuUsage(cpu0);
    return Math.round((c.user + c.system) / 1000);
  };
  const doc = await documentOf(req);
  const page = await doc.page(index);
  if (page.kind === 'text') {
    const { layer } = page;
    return { source: 'text-layer', text: layer.text, confidence: 100, words: layer.words, width: layer.width, height: layer.height, preprocessing: null, cpuMs: cpuMs() };
  }
  const { raster } = page;
  const pre = choosePreprocessing(raster);
  const image = await prepareForOcr(raster, pre);
  let tsv: string;
  try {
    // TSV (one row per word, built in C++) costs 5-7% less than the nested blocks output, built in JS.
    tsv = tesseract.recognise(image, { psm: pre.psm, dpi: pre.ocrDpi });
  } catch (err) {
    // A trap inside the WebAssembly engine leaves its memory in an unknown state: this process answers for
    // this page, then ends, and the pool starts a fresh one for the next.
    if (!(err instanceof AttachmentError)) engineBroken = true;
    throw new AttachmentError('ocr_failed', `OCR failed on page ${index + 1}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const words = wordsFromTsv(tsv, 1 / pre.scale);
  try {
    await rereadRepairedPostcodes(words, raster, pre, tesseract);
  } catch {
    // The page's first reading stands; the engine may be in an unknown state, so this process ends after the page.
    engineBroken = true;
  }
  const assembled = assemblePageText(words.filter((w) => !isLikelyNoise(w)));
  return { source: 'ocr', text: assembled.text, confidence: meanConfidence(assembled.words), words: assembled.words, width: raster.width, height: raster.height, preprocessing: pre, cpuMs: cpuMs() };
}

async function sanitise(req: WorkerRequest & { op: 'sanitise' }): Promise<SanitiseResult> {
  const index = req.page;
  const doc = await documentOf(req);
  const page = await doc.page(index, { raster: true });
  if (page.kind !== 'raster') throw new AttachmentError('corrupt', `page ${index + 1} could not be rendered`);
  const { raster } = page;
  const inside = req.boxes
    .map((b) => ({ left: Math.max(0, Math.floor(b.x0)), top: Math.max(0, Math.floor(b.y0)), right: Math.min(raster.width, Math.ceil(b.x1)), bottom: Math.min(raster.height, Math.ceil(b.y1)) }))
    .filter((b) => b.right > b.left && b.bottom > b.top);
  const black = (w: number, h: number) => ({ create: { width: w, height: h, channels: 3 as const, background: '#000000' } });
  let img = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 1 } }).toColourspace('srgb');
  if (inside.length) img = img.composite(inside.map((b) => ({ input: black(b.right - b.left, b.bottom - b.top), left: b.left, top: b.top })));
  const png = await img.toColourspace('b-w').png().toBuffer();
  return { png, width: raster.width, height: raster.height, boxes: inside.length };
}

// The pool going away (its process exits or closes the channel) ends this process too.
process.on('disconnect', () => process.exit(0));
void startEngine().then(() => {
  process.on('message', async (msg: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      const value = msg.op === 'probe' ? await probe(msg) : msg.op === 'page' ? await recognisePage(msg, msg.page) : await sanitise(msg);
      reply = { type: 'result', id: msg.id, ok: true, value };
    } catch (err) {
      reply = { type: 'result', id: msg.id, ok: false, error: toFailure(err) };
    }
    process.send?.(reply, () => {
      if (engineBroken) process.exit(1);
    });
  });
  send({ type: 'ready' });
});
