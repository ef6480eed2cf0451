// Messages between the OCR pool and its worker processes.
import type { Box, PlacedWord } from '../../shared/attachments/page-text.ts';
import type { AttachmentFailure } from './errors.ts';
import type { DecodeLimits } from './page-types.ts';
import type { Preprocessing } from './preprocess.ts';
import type { AttachmentKind } from './sniff.ts';

/**
 * Workers never open attachment files (blobs are sealed at rest): the pool hands over the plaintext, in memory,
 * the first time a worker is asked about a document (`bytes`); later requests for the same `doc` omit it and the
 * worker uses the copy it holds.
 */
export type WorkerRequest =
  | { id: number; op: 'probe'; doc: string; bytes?: Uint8Array }
  | { id: number; op: 'page'; doc: string; bytes?: Uint8Array; page: number }
  | { id: number; op: 'sanitise'; doc: string; bytes?: Uint8Array; page: number; boxes: Box[] };

export interface ProbeResult {
  kind: AttachmentKind;
  pageCount: number;
}

export interface PageOcrResult {
  /** Where the text came from: a PDF's own text layer, or OCR of the page image. */
  source: 'text-layer' | 'ocr';
  text: string;
  /** Mean word confidence 0-100 (null when the page has no words). */
  confidence: number | null;
  words: PlacedWord[];
  /** Size of the page image the word boxes refer to. */
  width: number;
  height: number;
  preprocessing: Preprocessing | null;
  /** CPU time the worker process spent on this page, in milliseconds. */
  cpuMs: number;
}

export interface SanitiseResult {
  /** The page as PNG, returned in memory: never written to disk by the worker. */
  png: Uint8Array;
  width: number;
  height: number;
  boxes: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'startup-failed'; error: AttachmentFailure }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: AttachmentFailure };

export interface WorkerConfig {
  langPath: string;
  limits: DecodeLimits;
}
