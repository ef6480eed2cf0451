// Group 3 fax TIFFs for tests (CCITT T.4 one-dimensional Modified Huffman, TIFF Compression 3, each row
// starting with an EOL, as fax servers file them). libvips, and so sharp, writes only Group 4; Debian's tiffcp
// or ImageMagick would write Group 3 but are not on every machine that runs the benchmark. The decoder under
// test (sharp/libtiff) reads these back pixel for pixel (tests/unit/fax-g3.test.ts).

// T.4 code words, as bit strings: terminating codes for runs 0-63, make-up codes for multiples of 64 to 1728.
const WHITE_TERMINATING = [
  '00110101', '000111', '0111', '1000', '1011', '1100', '1110', '1111', '10011', '10100', '00111', '01000', '001000', '000011', '110100', '110101',
  '101010', '101011', '0100111', '0001100', '0001000', '0010111', '0000011', '0000100', '0101000', '0101011', '0010011', '0100100', '0011000', '00000010', '00000011', '00011010',
  '00011011', '00010010', '00010011', '00010100', '00010101', '00010110', '00010111', '00101000', '00101001', '00101010', '00101011', '00101100', '00101101', '00000100', '00000101', '00001010',
  '00001011', '01010010', '01010011', '01010100', '01010101', '00100100', '00100101', '01011000', '01011001', '01011010', '01011011', '01001010', '01001011', '00110010', '00110011', '00110100',
];
const WHITE_MAKEUP = [
  '11011', '10010', '010111', '0110111', '00110110', '00110111', '01100100', '01100101', '01101000', '01100111', '011001100', '011001101', '011010010', '011010011',
  '011010100', '011010101', '011010110', '011010111', '011011000', '011011001', '011011010', '011011011', '010011000', '010011001', '010011010', '011000', '010011011',
];
const BLACK_TERMINATING = [
  '0000110111', '010', '11', '10', '011', '0011', '0010', '00011', '000101', '000100', '0000100', '0000101', '0000111', '00000100', '00000111', '000011000',
  '0000010111', '0000011000', '0000001000', '00001100111', '00001101000', '00001101100', '00000110111', '00000101000', '00000010111', '00000011000', '000011001010', '000011001011', '000011001100', '000011001101', '000001101000', '000001101001',
  '000001101010', '000001101011', '000011010010', '000011010011', '000011010100', '000011010101', '000011010110', '000011010111', '000001101100', '000001101101', '000011011010', '000011011011', '000001010100', '000001010101', '000001010110', '000001010111',
  '000001100100', '000001100101', '000001010010', '000001010011', '000000100100', '000000110111', '000000111000', '000000100111', '000000101000', '000001011000', '000001011001', '000000101011', '000000101100', '000001011010', '000001100110', '000001100111',
];
const BLACK_MAKEUP = [
  '0000001111', '000011001000', '000011001001', '000001011011', '000000110011', '000000110100', '000000110101', '0000001101100', '0000001101101', '0000001001010', '0000001001011', '0000001001100', '0000001001101', '0000001110010',
  '0000001110011', '0000001110100', '0000001110101', '0000001110110', '0000001110111', '0000001010010', '0000001010011', '0000001010100', '0000001010101', '0000001011010', '0000001011011', '0000001100100', '0000001100101',
];
const EOL = '000000000001';

class BitWriter {
  private bytes: number[] = [];
  private current = 0;
  private used = 0;
  write(bits: string): void {
    for (const b of bits) {
      this.current = (this.current << 1) | (b === '1' ? 1 : 0);
      if (++this.used === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.used = 0;
      }
    }
  }
  finish(): Buffer {
    if (this.used) this.bytes.push(this.current << (8 - this.used));
    this.used = 0;
    this.current = 0;
    return Buffer.from(this.bytes);
  }
}

function writeRun(w: BitWriter, run: number, black: boolean): void {
  const makeup = black ? BLACK_MAKEUP : WHITE_MAKEUP;
  const terminating = black ? BLACK_TERMINATING : WHITE_TERMINATING;
  while (run >= 64) {
    const m = Math.min(Math.floor(run / 64), 27);
    w.write(makeup[m - 1] as string);
    run -= m * 64;
  }
  w.write(terminating[run] as string);
}

/** Encodes a 1-bit page (true = black), row by row, as T.4 1-D with an EOL before each row. */
export function encodeG3(black: Uint8Array, width: number, height: number): Buffer {
  if (width > 1728) throw new Error('A Group 3 row is at most 1728 pixels wide');
  const w = new BitWriter();
  for (let y = 0; y < height; y++) {
    w.write(EOL);
    let x = 0;
    let colour = false; // every row starts with a white run, perhaps of length 0
    while (x < width) {
      let run = 0;
      while (x + run < width && (black[y * width + x + run] === 1) === colour) run++;
      writeRun(w, run, colour);
      x += run;
      colour = !colour;
    }
  }
  // Return to control: six EOLs.
  for (let i = 0; i < 6; i++) w.write(EOL);
  return w.finish();
}

export interface FaxPage {
  /** 1 = black, row-major. */
  black: Uint8Array;
  width: number;
  height: number;
  xdpi: number;
  ydpi: number;
}

/** A multi-page TIFF of Group 3 pages (little-endian, one strip per page, WhiteIsZero). */
export function g3Tiff(pages: readonly FaxPage[]): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  parts.push(header);
  let offset = 8;
  const ifdOffsets: number[] = [];
  const pending: Array<{ at: number; ifd: Buffer }> = [];
  pages.forEach((p, n) => {
    const strip = encodeG3(p.black, p.width, p.height);
    const stripAt = offset;
    parts.push(strip);
    offset += strip.length;
    if (offset % 2) {
      parts.push(Buffer.alloc(1));
      offset++;
    }
    // Resolutions (rationals) after the directory.
    const tags: Array<[number, number, number, number]> = [
      // tag, type (3 short, 4 long, 5 rational), count, value
      [256, 4, 1, p.width],
      [257, 4, 1, p.height],
      [258, 3, 1, 1],
      [259, 3, 1, 3],
      [262, 3, 1, 0],
      [266, 3, 1, 1],
      [273, 4, 1, stripAt],
      [277, 3, 1, 1],
      [278, 4, 1, p.height],
      [279, 4, 1, strip.length],
      [282, 5, 1, 0],
      [283, 5, 1, 0],
      [292, 4, 1, 0],
      [296, 3, 1, 2],
      [297, 3, 2, n | (pages.length << 16)],
    ];
    const ifdSize = 2 + tags.length * 12 + 4;
    const rationalsAt = offset + ifdSize;
    const ifd = Buffer.alloc(ifdSize + 16);
    ifd.writeUInt16LE(tags.length, 0);
    tags.forEach(([tag, type, count, value], i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(count, at + 4);
      if (type === 5) ifd.writeUInt32LE(rationalsAt + (tag === 282 ? 0 : 8), at + 8);
      else if (type === 3 && count === 2) {
        ifd.writeUInt16LE(value & 0xffff, at + 8);
        ifd.writeUInt16LE(value >>> 16, at + 10);
      } else if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    ifd.writeUInt32LE(Math.round(p.xdpi), ifdSize);
    ifd.writeUInt32LE(1, ifdSize + 4);
    ifd.writeUInt32LE(Math.round(p.ydpi), ifdSize + 8);
    ifd.writeUInt32LE(1, ifdSize + 12);
    ifdOffsets.push(offset);
    pending.push({ at: parts.length, ifd });
    parts.push(ifd);
    offset += ifd.length;
  });
  // Link the directories: the header to the first, each to the next (the last to 0).
  header.writeUInt32LE(ifdOffsets[0] ?? 0, 4);
  pending.forEach(({ ifd }, i) => ifd.writeUInt32LE(ifdOffsets[i + 1] ?? 0, 2 + 15 * 12));
  return Buffer.concat(parts);
}
