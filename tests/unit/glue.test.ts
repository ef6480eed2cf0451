import { describe, expect, it } from 'vitest';
import { originalOffset, splitGluedWords } from '../../shared/text/glue.ts';

// [OCR text, what it is read as]
const CASES: Array<[string, string]> = [
  ['his friend calledAfia Mensah', 'his friend called Afia Mensah'],
  ['flying onUL241 to Colombo', 'flying on UL241 to Colombo'],
  ['OnEZY8741 he leaves', 'On EZY8741 he leaves'],
  ['call on07700900123 today', 'call on 07700900123 today'],
  ['flight UL241from Gatwick', 'flight UL241 from Gatwick'],
  ['met withMohammed Nasser', 'met with Mohammed Nasser'],
  // Left alone: names with an inner capital, brands, ordinals and units, ordinary text
  ['Mr McDonald and Mrs MacKenzie', 'Mr McDonald and Mrs MacKenzie'],
  ['Joao DeSouza and LaToya Jones', 'Joao DeSouza and LaToya Jones'],
  ['an iPhone bought on eBay', 'an iPhone bought on eBay'],
  ['on the 14th at 7am, 20kg', 'on the 14th at 7am, 20kg'],
  ['He works nights at the car wash.', 'He works nights at the car wash.'],
];

describe('words glued together by OCR', () => {
  it.each(CASES)('%s', (ocr, read) => {
    expect(splitGluedWords(ocr).text).toBe(read);
  });

  it('maps positions in the repaired text back to the text as given', () => {
    const ocr = 'calledAfia Mensah';
    const r = splitGluedWords(ocr);
    const at = r.text.indexOf('Afia');
    expect(ocr.slice(originalOffset(r, at), originalOffset(r, at + 4))).toBe('Afia');
    expect(originalOffset(r, r.text.indexOf('Mensah'))).toBe(ocr.indexOf('Mensah'));
  });
});
