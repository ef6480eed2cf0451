// The lines of a JSON Lines file, read as bytes with a bounded line length. node:readline holds a whole line
// in one string before handing it over: a corrupt or hostile file with one 600 MB line ends in V8's
// "Invalid string length" and nothing of the file is imported. Here a line longer than the limit is never
// held: its bytes are counted and dropped up to the next newline, and the line is reported by its number.
import { createReadStream } from 'node:fs';

/**
 * The longest line accepted, in bytes. The longest submission in the 10k corpus is about 6 KB; the format's own
 * field limits allow a record of a few MB (a 100,000-character account, legacy OCR text of its attachments).
 * 16 MB leaves room for any real record while bounding what one line can cost in memory (the line, its
 * string and its parsed JSON: well under 100 MB).
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type JsonlLine =
  | { kind: 'text'; lineNo: number; text: string }
  | { kind: 'too_long'; lineNo: number; bytes: number }
  | { kind: 'not_utf8'; lineNo: number };

export class UnreadableFileError extends Error {}

const NEWLINE = 0x0a;

/** Which text encoding a file's first bytes announce, when it is one we cannot read as UTF-8. */
function foreignEncoding(head: Buffer): string | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'UTF-16 (little-endian)';
  if (head[0] === 0xfe && head[1] === 0xff) return 'UTF-16 (big-endian)';
  return null;
}

/**
 * Yields every line of the file (1-based numbers, blank lines included, a trailing CR removed, the UTF-8 byte
 * order mark dropped from the first). `onBytes` is told how many bytes have been read so far.
 */
export async function* jsonlLines(file: string, options: { maxLineBytes?: number; onBytes?: (bytes: number) => void } = {}): AsyncGenerator<JsonlLine> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of the current line, counted even when it is being skipped. */
  let length = 0;
  let skipping = false;
  let lineNo = 0;
  let bytesRead = 0;
  let first = true;

  const finish = (): JsonlLine => {
    lineNo++;
    const bytes = length;
    const chunks = parts;
    parts = [];
    held = 0;
    length = 0;
    if (skipping) {
      skipping = false;
      return { kind: 'too_long', lineNo, bytes };
    }
    let buf = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    try {
      return { kind: 'text', lineNo, text: decoder.decode(buf) };
    } catch {
      return { kind: 'not_utf8', lineNo };
    }
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        const foreign = foreignEncoding(chunk);
        if (foreign) throw new UnreadableFileError(`the file is ${foreign} text; import reads UTF-8 (save the file as UTF-8 and import it again)`);
      }
      bytesRead += chunk.length;
      let start = 0;
      while (start <= chunk.length) {
        const nl = chunk.indexOf(NEWLINE, start);
        const end = nl < 0 ? chunk.length : nl;
        const piece = chunk.subarray(start, end);
        length += piece.length;
        if (!skipping) {
          if (held + piece.length > max) {
            skipping = true;
            parts = [];
            held = 0;
          } else if (piece.length) {
            parts.push(piece);
            held += piece.length;
          }
        }
        if (nl < 0) break;
        yield finish();
        start = nl + 1;
      }
      options.onBytes?.(bytesRead);
    }
  } finally {
    stream.destroy();
  }
  if (length > 0 || skipping) yield finish();
}
