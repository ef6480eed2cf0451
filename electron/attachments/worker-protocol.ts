// Messages between the OCR pool and its worker processes.
import type { Box, PlacedWord } from '../../shared/attachments/page-text.ts';
import type { AttachmentFailure } from './errors.ts';
import type { DecodeLimits } from './page-types.ts';
import type { Preprocessing } from './preprocess.ts';
import type { AttachmentKind } from './sniff.ts';

export type WorkerRequest =
  | { id: number; op: 'probe'; file: string }
  | { id: number; op: 'page'; file: string; page: number }
  | { id: number; op: 'sanitise'; file: string; page: number; boxes: Box[]; out: string };

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
