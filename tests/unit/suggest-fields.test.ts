import { describe, expect, it } from 'vitest';
import { suggestFields } from '../../shared/attachments/suggest-fields.ts';
import { assemblePageText, type OcrWord } from '../../shared/attachments/page-text.ts';

const FAX = `FAX    FROM: 01143 037177    6 Jan 2020 07:03    P.001/001
TO: Immigration Enforcement Allegations

RE: KASHIF ASLAM DOB 18/12/1981

He lives at 198 Cross Street LS2 3XG with 12 other people. His brother
Arshad Nawaz also lives there and has no visa either. I also want to
mention Zeeshan Siddiqui who is doing the same thing. He has also been seen driving a black
Audi A4 K398 KOJ. His other car is a Range Rover BW16 VTO.
I heard him say he has bookecl flight PK2S62 to Lahore on 14 March 2020.
Call him on 07700 900123 or email kaslam@example.com.`;

const pick = (kind: string) => suggestFields([{ page: 1, text: FAX }]).filter((s) => s.kind === kind);

describe('suggested fields from a letter or fax', () => {
  it('finds the subject on the RE: line and associates named with a relation or "mention"', () => {
    const names = pick('name');
    expect(names.map((n) => [n.value, n.role])).toEqual([
      ['Kashif Aslam', 'subject'],
      ['Arshad Nawaz', 'brother'],
      ['Zeeshan Siddiqui', 'associate'],
    ]);
  });

  it('reads the date of birth day-first, as the UK writes it', () => {
    expect(pick('dob').map((d) => d.value)).toEqual(['1981-12-18']);
  });

  it('finds the address with its postcode, and the postcode itself', () => {
    expect(pick('address').map((a) => a.value)).toEqual(['198 Cross Street LS2 3XG']);
    expect(pick('postcode').map((p) => p.value)).toEqual(['LS2 3XG']);
  });

  it('finds vehicles in any UK format, passing over the car model', () => {
    expect(pick('vrm').map((v) => v.value)).toEqual(['K398KOJ', 'BW16VTO']);
  });

  it('reads a flight number through OCR noise and gives its date', () => {
    const [flight] = pick('flight');
    expect(flight).toMatchObject({ value: 'PK2562', text: 'PK2S62', date: '2020-03-14' });
  });

  it('finds phones and emails in canonical form, each with the page and the span it came from', () => {
    const [phone] = pick('phone').filter((p) => p.value === '07700900123');
    expect(phone).toBeDefined();
    expect(FAX.slice(phone!.start, phone!.end)).toBe('07700 900123');
    expect(pick('email').map((e) => e.value)).toEqual(['kaslam@example.com']);
  });

  it("leaves out what lies in an excluded span (the source's own details)", () => {
    const from = FAX.indexOf('01143 037177');
    const phones = suggestFields([{ page: 1, text: FAX }], [{ page: 1, start: from, end: from + 12 }]).filter((s) => s.kind === 'phone');
    expect(phones.map((p) => p.value)).toEqual(['07700900123']);
  });

  it('gives the boxes on the page image when the OCR words are known', () => {
    const words: OcrWord[] = ['He', 'has', 'booked', 'flight', 'TK2584', 'to', 'Istanbul'].map((t, i) => ({ text: t, confidence: 90, line: 1, bbox: { x0: i * 100, y0: 50, x1: i * 100 + 80, y1: 70 } }));
    const page = assemblePageText(words);
    const [flight] = suggestFields([{ page: 2, text: page.text, words: page.words }]).filter((s) => s.kind === 'flight');
    expect(flight).toMatchObject({ page: 2, value: 'TK2584', boxes: [{ x0: 400, y0: 50, x1: 480, y1: 70 }] });
  });
});
