// Problems with one attachment, each with a code the API can store and a message an analyst can read.
// A bad file must fail on its own attachment and nowhere else: never the allegation, never the pool.

export const ATTACHMENT_ERROR_CODES = [
  'empty', // zero bytes
  'too_large', // over the blob store's size limit
  'unsupported_type', // not a PDF, TIFF, JPEG or PNG (by content, whatever the name says)
  'corrupt', // the right kind of file, but damaged or truncated
  'too_many_pixels', // an image (or PDF page) larger than we will decode
  'timeout', // decoding or recognising took longer than the limit
  'out_of_memory', // the worker passed its memory limit (a decompression bomb, a giant page)
  'worker_crashed', // the worker process died for another reason
  'ocr_failed', // the OCR engine itself reported an error
  'not_found', // the blob is missing
  'cancelled', // the pool was closed before the page ran
] as const;
export type AttachmentErrorCode = (typeof ATTACHMENT_ERROR_CODES)[number];

export interface AttachmentFailure {
  code: AttachmentErrorCode;
  message: string;
}

export class AttachmentError extends Error {
  readonly code: AttachmentErrorCode;
  constructor(code: AttachmentErrorCode, message: string) {
    super(message);
    this.name = 'AttachmentError';
    this.code = code;
  }
  toFailure(): AttachmentFailure {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as a failure: AttachmentErrors keep their code, anything else is reported as `fallback`. */
export function toFailure(err: unknown, fallback: AttachmentErrorCode = 'corrupt', prefix = ''): AttachmentFailure {
  if (err instanceof AttachmentError) return err.toFailure();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && ATTACHMENT_ERROR_CODES.includes((err as AttachmentFailure).code)) {
    return { code: (err as AttachmentFailure).code, message: String((err as AttachmentFailure).message) };
  }
  const message = err instanceof Error ? err.message : String(err);
  // Errors of the runtime itself, whatever decoder met them: said as what they mean for the file.
  if (/maximum call stack/i.test(message)) return { code: 'corrupt', message: 'This file is damaged: its contents are nested too deeply to read (a damaged or deliberately malformed file)' };
  if (/allocation failed|invalid (?:string|array|typed array) length/i.test(message)) return { code: 'out_of_memory', message: 'This file is too large to read: it asks for more memory than a reader may use' };
  return { code: fallback, message: prefix ? `${prefix}: ${message}` : message };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${Math.round(n / 1024 / 1024)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
