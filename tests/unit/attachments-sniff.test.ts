import { describe, expect, it } from 'vitest';
import { sniffKind } from '../../electron/attachments/sniff.ts';
import { type AttachmentError } from '../../electron/attachments/errors.ts';

const bytes = (...xs: Array<number | string>) => new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? [...Buffer.from(x, 'latin1')] : [x])));

function refusal(head: Uint8Array, name?: string): AttachmentError {
  try {
    sniffKind(head, name);
  } catch (err) {
    return err as AttachmentError;
  }
  throw new Error('expected a refusal');
}

describe('what an attachment is, by its bytes and not its name', () => {
  it('recognises PDF, TIFF (both byte orders, BigTIFF), JPEG and PNG', () => {
    expect(sniffKind(bytes('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffKind(bytes('\r\n junk before the header %PDF-1.4'))).toBe('pdf');
    expect(sniffKind(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('tiff');
    expect(sniffKind(bytes(0x4d, 0x4d, 0x00, 0x2a))).toBe('tiff');
    expect(sniffKind(bytes(0x49, 0x49, 0x2b, 0x00))).toBe('tiff');
    expect(sniffKind(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(sniffKind(bytes(0x89, 'PNG\r\n', 0x1a, '\n'))).toBe('png');
  });

  it('says what a renamed program really is', () => {
    const e = refusal(bytes('MZ', 0x90, 0, 3, 0), 'letter.pdf');
    expect(e.code).toBe('unsupported_type');
    expect(e.message).toBe('letter.pdf is a Windows program (.exe/.dll), not a scan: only PDF, TIFF, JPEG and PNG files can be attached');
    expect(refusal(bytes(0x7f, 'ELF', 2, 1)).message).toMatch(/Linux program/);
    expect(refusal(bytes('PK', 3, 4, 20)).message).toMatch(/ZIP archive or Office document/);
  });

  it('refuses an empty file as empty, and unknown content as unknown', () => {
    const empty = refusal(new Uint8Array(0), 'scan.tif');
    expect(empty.code).toBe('empty');
    expect(empty.message).toMatch(/scan\.tif is empty \(0 bytes\)/);
    expect(refusal(bytes('hello, world')).message).toMatch(/not a PDF, TIFF, JPEG or PNG/);
  });
});
