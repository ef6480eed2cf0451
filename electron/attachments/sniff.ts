// What a file is, by its first bytes and never by its name: a scan arrives as "letter.pdf" whatever it is,
// and an executable renamed .pdf must be refused with a message that says what it really is.
import { AttachmentError } from './errors.ts';

export type AttachmentKind = 'pdf' | 'tiff' | 'jpeg' | 'png';

export const MIME_TYPES: Record<AttachmentKind, string> = {
  pdf: 'application/pdf',
  tiff: 'image/tiff',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** How many leading bytes sniffing needs (PDF allows junk before "%PDF-" within the first 1024 bytes). */
export const SNIFF_BYTES = 1024;

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, n: number) => String.fromCharCode(...b.subarray(0, n));

/** Known kinds we refuse, so the message can name them. */
const REFUSED: Array<{ test: (b: Uint8Array) => boolean; what: string }> = [
  { test: (b) => startsWith(b, [0x4d, 0x5a]), what: 'a Windows program (.exe/.dll)' },
  { test: (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]), what: 'a Linux program (ELF)' },
  { test: (b) => startsWith(b, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(b, [0xfe, 0xed, 0xfa, 0xcf]), what: 'a macOS program (Mach-O)' },
  { test: (b) => startsWith(b, [0x23, 0x21]), what: 'a script' },
  { test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]), what: 'a ZIP archive or Office document' },
  { test: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0]), what: 'an old-style Office document' },
  { test: (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38]), what: 'a GIF image' },
  { test: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b.subarray(8), 4) === 'WEBP', what: 'a WebP image' },
  { test: (b) => startsWith(b, [0x1f, 0x8b]), what: 'a gzip archive' },
  { test: (b) => startsWith(b, [0x52, 0x61, 0x72, 0x21]), what: 'a RAR archive' },
  { test: (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf]), what: 'a 7-Zip archive' },
];

/**
 * The kind of an attachment from its first bytes (at least SNIFF_BYTES of them when the file is that long).
 * `name` is only used in messages.
 */
export function sniffKind(head: Uint8Array, name = 'the file'): AttachmentKind {
  if (head.length === 0) throw new AttachmentError('empty', `${name} is empty (0 bytes): there is nothing to attach`);
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff'; // BigTIFF
  if (ascii(head, Math.min(head.length, SNIFF_BYTES)).includes('%PDF-')) return 'pdf';
  const refused = REFUSED.find((r) => r.test(head));
  if (refused) throw new AttachmentError('unsupported_type', `${name} is ${refused.what}, not a scan: only PDF, TIFF, JPEG and PNG files can be attached`);
  throw new AttachmentError('unsupported_type', `${name} is not a PDF, TIFF, JPEG or PNG file (its content matches none of them, whatever its name says)`);
}
