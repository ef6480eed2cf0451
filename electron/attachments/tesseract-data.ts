// The English model, read from the @tesseract.js-data/eng package and never fetched: the app runs offline.
// The LSTM-only best_int model is as accurate here as the combined one and a pool of two needs 230 MB
// instead of 380 MB.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AttachmentError } from './errors.ts';

export function defaultLangPath(): string {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json'));
  } catch {
    throw new AttachmentError('ocr_failed', 'The OCR language data (@tesseract.js-data/eng) is not installed');
  }
  return join(root, '4.0.0_best_int');
}

/** Throws unless `langPath` holds the English model tesseract.js will look for. */
export function checkLangPath(langPath: string): void {
  const file = join(langPath, 'eng.traineddata.gz');
  if (!existsSync(file)) throw new AttachmentError('ocr_failed', `The OCR language data is missing: ${file} does not exist`);
}
