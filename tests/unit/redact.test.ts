import { describe, expect, it } from 'vitest';
import { redactSource, SOURCE_MARKER, bareName } from '../../shared/sources/redact.ts';

const source = { name: 'Mr Garfield Clarke', phone: '07813 382035', email: 'clarkeg@icloud.com', address: '53 Tottenham High Road, Liverpool, L7 9BH' };

describe('withholding a known source from open text', () => {
  it('removes the name with or without title, in any case, across a line break', () => {
    const r = redactSource('Yours faithfully\nGarfield Clarke\n\nGARFIELD CLARKE wrote again. Mr Garfield\nClarke', source);
    expect(r.text).not.toMatch(/garfield|clarke/i);
    expect(r.count).toBe(3);
  });

  it('removes the phone in any format and the email', () => {
    const r = redactSource('FAX FROM: 07813-382-035 or +44 7813 382035, mail CLARKEG@icloud.com', source);
    expect(r.text).toBe(`FAX FROM: ${SOURCE_MARKER} or ${SOURCE_MARKER}, mail ${SOURCE_MARKER}`);
  });

  it('removes the street address line', () => {
    expect(redactSource('He lives near 53 Tottenham High Road.', source).text).toBe(`He lives near ${SOURCE_MARKER}.`);
  });

  it('leaves other people and numbers alone', () => {
    const text = 'Kashif Shah pays cash. Call 07700 900123.';
    expect(redactSource(text, source)).toEqual({ text, count: 0 });
  });

  it('strips titles and collar numbers from names', () => {
    expect(bareName('PC 4521 Jane Doe')).toBe('Jane Doe');
    expect(bareName('Rt Hon Paulette Stewart')).toBe('Paulette Stewart');
  });
});

describe('phones in running text', () => {
  it('does not swallow a date written after the number', async () => {
    const { findPhonesInText } = await import('../../shared/text/phones-in-text.ts');
    expect(findPhonesInText('FAX    FROM: 07722 918954    20th january 2020 10:51').map((p) => p.national)).toEqual(['07722918954']);
    expect(findPhonesInText('ring 0113 496 0000 or +44 (0)7700 900123.').map((p) => p.national)).toEqual(['01134960000', '07700900123']);
    expect(findPhonesInText('paid £350 a week for 70 hours since 2019')).toEqual([]);
    expect(findPhonesInText('Letter from Jan (07700 900999) and (07884) 617150.').map((p) => p.text)).toEqual(['07700 900999', '(07884) 617150']);
  });
});
