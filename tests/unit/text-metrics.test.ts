import { describe, expect, it } from 'vitest';
import { cer, levenshtein, wer, werRawTokens } from '../../bench/_text-metrics.ts';

describe('OCR error rates', () => {
  it('counts character edits over the reference, whitespace collapsed', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(cer('R&D  QUALITY\nFORM', 'R&D QUALITY FORM')).toBe(0);
    expect(cer('R&D QUALTY FORM', 'R&D QUALITY FORM')).toBeCloseTo(1 / 16);
    expect(cer('', 'abcd')).toBe(1);
  });

  it('counts word edits on case-folded letter/digit words; raw tokens are stricter', () => {
    expect(wer('Name / Phone Ext.: M. Hamann', 'Name / Phone Ext. : M. Hamann')).toBe(0);
    expect(werRawTokens('Name / Phone Ext.: M. Hamann', 'Name / Phone Ext. : M. Hamann')).toBeCloseTo(2 / 7);
    expect(wer('the cat sat', 'the cat sat on')).toBeCloseTo(1 / 4);
  });
});
