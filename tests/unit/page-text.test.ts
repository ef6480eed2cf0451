import { describe, expect, it } from 'vitest';
import { assemblePageText, boxesForSpan, isLikelyNoise, meanConfidence, type OcrWord } from '../../shared/attachments/page-text.ts';

const w = (text: string, x0: number, y0: number, line?: number, confidence = 90): OcrWord => ({ text, confidence, bbox: { x0, y0, x1: x0 + text.length * 10, y1: y0 + 20 }, ...(line === undefined ? {} : { line }) });

describe('page text in visual rows', () => {
  it('reads a form row across the page: label and value side by side, top row first', () => {
    const page = assemblePageText([w('Date:', 400, 100, 2), w('9/3/92', 460, 102, 2), w('Name:', 10, 98, 1), w('M.', 70, 99, 1), w('Hamann', 100, 99, 1), w('Signed', 10, 200, 3)]);
    expect(page.text).toBe('Name: M. Hamann Date: 9/3/92\nSigned');
  });

  it('keeps an engine line whole even when the page is skewed', () => {
    // One slanted line: its last word sits lower than a separate line's words beside it.
    const slanted = [w('twenty', 10, 100, 1), w('cents', 80, 106, 1), w('off', 150, 112, 1), w('pack', 200, 118, 1)];
    const page = assemblePageText([...slanted, w('next', 10, 160, 2)]);
    expect(page.text.split('\n')[0]).toBe('twenty cents off pack');
  });

  it('gives each word its offset in the page text, and the boxes of a span per row', () => {
    const page = assemblePageText([w('FROM:', 10, 10, 1), w('0113', 70, 10, 1), w('496', 120, 10, 1), w('0000', 160, 10, 1), w('Dear', 10, 60, 2)]);
    const phone = page.text.indexOf('0113 496 0000');
    const words = page.words.filter((x) => x.start >= phone && x.end <= phone + 13).map((x) => x.text);
    expect(words).toEqual(['0113', '496', '0000']);
    expect(boxesForSpan(page.words, phone, phone + 13)).toEqual([{ x0: 70, y0: 10, x1: 200, y1: 30 }]);
    expect(boxesForSpan(page.words, 0, page.text.length)).toHaveLength(2);
  });

  it('weights confidence by word length and has none for an empty page', () => {
    expect(meanConfidence([w('a', 0, 0, 1, 10), w('abcd', 0, 0, 1, 60)])).toBe(50);
    expect(meanConfidence([])).toBeNull();
    expect(assemblePageText([]).text).toBe('');
  });

  it('treats what the engine made of rules and specks as noise, and unsure real words too', () => {
    expect(isLikelyNoise(w('———', 0, 0, 1, 45))).toBe(true);
    expect(isLikelyNoise(w('emmeeeeeeeseac', 0, 0, 1, 0))).toBe(true);
    expect(isLikelyNoise(w('$20,580.00', 0, 0, 1, 84))).toBe(false);
    expect(isLikelyNoise(w('(31,000.00)', 0, 0, 1, 45))).toBe(false);
    expect(isLikelyNoise(w('—', 0, 0, 1, 75))).toBe(false);
  });
});
