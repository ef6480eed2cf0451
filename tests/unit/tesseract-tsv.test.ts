import { describe, expect, it } from 'vitest';
import { wordsFromTsv } from '../../electron/attachments/tesseract-tsv.ts';

const TSV = [
  'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
  '1\t1\t0\t0\t0\t0\t0\t0\t1524\t2000\t-1\t',
  '4\t1\t1\t1\t1\t0\t100\t200\t300\t40\t-1\t',
  '5\t1\t1\t1\t1\t1\t100\t200\t120\t40\t96.51\tRESTRICTED',
  '5\t1\t1\t1\t1\t2\t240\t202\t60\t38\t91\tfax',
  '5\t1\t2\t1\t1\t1\t100\t400\t81\t40\t12.2\tee',
].join('\n');

describe("tesseract's TSV as words", () => {
  it('reads words with their confidence, their line, and boxes scaled back to the page image', () => {
    expect(wordsFromTsv(TSV, 0.5)).toEqual([
      { text: 'RESTRICTED', confidence: 96.5, line: 1, bbox: { x0: 50, y0: 100, x1: 110, y1: 120 } },
      { text: 'fax', confidence: 91, line: 1, bbox: { x0: 120, y0: 101, x1: 150, y1: 120 } },
      { text: 'ee', confidence: 12.2, line: 2, bbox: { x0: 50, y0: 200, x1: 91, y1: 220 } },
    ]);
  });

  it('reads a lone bar before a word in lower case as the capital I it was, and leaves a table rule alone', () => {
    const row = (block: number, line: number, n: number, left: number, text: string) => `5\t1\t${block}\t1\t${line}\t${n}\t${left}\t100\t10\t40\t90\t${text}`;
    const tsv = [row(1, 1, 1, 100, '|'), row(1, 1, 2, 120, 'also'), row(1, 1, 3, 200, 'know'), row(2, 1, 1, 100, '|'), row(2, 1, 2, 120, 'Name'), row(3, 1, 1, 100, '|'), row(4, 1, 1, 100, 'left')].join('\n');
    expect(wordsFromTsv(tsv, 1).map((w) => w.text)).toEqual(['I', 'also', 'know', '|', 'Name', '|', 'left']);
  });
});
