// Tesseract in WebAssembly, driven directly from the page worker, without tesseract.js's worker thread.
//
// Why not tesseract.js's createWorker: under Node it loads the full core (legacy engine included) even for
// OEM 1, because its Node getCore() compares the OEM constants with the boolean it is given; it runs the
// engine in a worker thread that every image is copied into, and it posts a progress message to the parent
// thread for every few percent of every page. Our worker process already is the isolation, so the engine
// runs on that process's own thread, from the smallest core with the best instructions this CPU offers.
// With the BMP input (preprocess.ts), bench/ocr.ts on FUNSD went from 1.36 to 1.23 CPU seconds a page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AttachmentError } from './errors.ts';
import { checkLangPath } from './tesseract-data.ts';

/** The parts of tesseract.js-core's Emscripten module that we use. */
interface TessModule {
  FS: { writeFile(path: string, data: Uint8Array | string): void };
  TessBaseAPI: new () => TessBaseApi;
}

interface TessBaseApi {
  Init(datapath: string | null, language: string, oem: number): number;
  SetVariable(name: string, value: string): boolean;
  /** Reads /input (any format Leptonica knows); exif 1 = upright, angle in radians. Returns 1 on failure. */
  SetImageFile(exif: number, angle: number): number;
  Recognize(monitor: null): number;
  GetTSVText(page: number): string;
  Clear(): void;
}

type CoreFactory = (module: { TesseractProgress?: (percent: number) => void }) => Promise<TessModule>;

// The smallest modules that use a SIMD and a relaxed-SIMD instruction (the same probes as wasm-feature-detect).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
const RELAXED_SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]);

// The Node types declare WebAssembly as a namespace of types only; the global is there at run time.
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** The LSTM-only core build for this engine: relaxed SIMD where V8 has it (Node 22, Electron), else SIMD, else plain. */
export function coreBuild(): string {
  if (wasm.validate(RELAXED_SIMD_PROBE)) return 'tesseract-core-relaxedsimd-lstm';
  if (wasm.validate(SIMD_PROBE)) return 'tesseract-core-simd-lstm';
  return 'tesseract-core-lstm';
}

/** Engine settings for one page. */
export interface PageSettings {
  psm: string;
  dpi: number;
}

export interface TesseractEngine {
  /** Recognises one greyscale image (the BMP prepareForOcr makes, or any format Leptonica reads); returns TSV. */
  recognise(image: Uint8Array, settings: PageSettings): string;
}

const LSTM_ONLY = 1;

export async function startTesseract(langPath: string): Promise<TesseractEngine> {
  checkLangPath(langPath);
  const load = createRequire(import.meta.url)(`tesseract.js-core/${coreBuild()}`) as CoreFactory;
  const tess = await load({});
  tess.FS.writeFile('/eng.traineddata', gunzipSync(readFileSync(join(langPath, 'eng.traineddata.gz'))));
  const api = new tess.TessBaseAPI();
  if (api.Init(null, 'eng', LSTM_ONLY) !== 0) throw new AttachmentError('ocr_failed', `The OCR engine could not load ${join(langPath, 'eng.traineddata.gz')}`);
  return {
    recognise(image, settings) {
      api.SetVariable('tessedit_pageseg_mode', settings.psm);
      api.SetVariable('user_defined_dpi', String(settings.dpi));
      tess.FS.writeFile('/input', image);
      if (api.SetImageFile(1, 0) === 1) throw new AttachmentError('ocr_failed', 'The OCR engine could not read the prepared page image');
      if (api.Recognize(null) !== 0) throw new AttachmentError('ocr_failed', 'The OCR engine failed on this page');
      const tsv = api.GetTSVText(0);
      // Frees the page's image and results now rather than when the next page replaces them.
      api.Clear();
      return tsv;
    },
  };
}
