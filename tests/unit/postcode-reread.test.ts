// Which words of an OCR'd page are read a second time: only a postcode that needs a repair, and only its words.
import { describe, expect, it } from 'vitest';
import { spansToReread } from '../../electron/attachments/postcode-reread.ts';
import type { OcrWord } from '../../shared/attachments/page-text.ts';

const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
const line = (n: number, text: string): OcrWord[] => text.split(' ').map((t) => ({ text: t, confidence: 90, bbox: box, line: n }));

describe('postcodes read a second time', () => {
  it('picks the words of a postcode that reads as one only once repaired ("M8 SEP." for M8 8EP)', () => {
    const words = [...line(1, 'Cheetham Hill Road, Manchester M8 SEP. Everyone round'), ...line(2, 'Tel: 0161 496 0902')];
    expect(spansToReread(words).map((s) => s.words.map((w) => w.text))).toEqual([['M8', 'SEP.']]);
  });

  it('leaves a page alone whose postcodes read as written, and words that only look like one', () => {
    expect(spansToReread([...line(1, 'Bury Old Road Manchester M25 0EG'), ...line(2, 'SOLO SAD and 12 of them')])).toEqual([]);
  });

  it('keeps to one engine line: a postcode is not made of the end of one line and the start of the next', () => {
    expect(spansToReread([...line(1, 'lives at $65'), ...line(2, '2LU with his brother')])).toEqual([]);
    expect(spansToReread(line(1, 'lives at $65 2LU with')).map((s) => s.text)).toEqual(['$65 2LU']);
  });
});
