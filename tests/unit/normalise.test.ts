import { describe, expect, it } from 'vitest';
import { foldName, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode, phoneProblem } from '../../shared/text/normalise.ts';

describe('UK postcodes as people write them', () => {
  it.each([
    ['ig49af', 'IG4 9AF', 'IG4', 'IG4', 'IG'],
    ['SW1A 2AA', 'SW1A 2AA', 'SW1A', 'SW1', 'SW'],
    ['  e20 7hh ', 'E20 7HH', 'E20', 'E20', 'E'],
    ['W29BA', 'W2 9BA', 'W2', 'W2', 'W'],
  ])('%s normalises to %s', (raw, postcode, outward, district, area) => {
    expect(parseUkPostcode(raw)).toEqual({ postcode, outward, district, area });
  });

  it('keeps the outward code of a partial postcode', () => {
    expect(parseUkPostcode('B71')).toEqual({ postcode: null, outward: 'B71', district: 'B71', area: 'B' });
    expect(parseUkPostcode('sl2')).toMatchObject({ outward: 'SL2', area: 'SL' });
  });

  it('gives nothing for text that is not a postcode', () => {
    expect(parseUkPostcode('not known')).toEqual({ postcode: null, outward: null, district: null, area: null });
    expect(parseUkPostcode('')).toEqual({ postcode: null, outward: null, district: null, area: null });
    expect(parseUkPostcode(null)).toEqual({ postcode: null, outward: null, district: null, area: null });
  });

  it('reads a postcode the same however often it is asked, and no caller can change what the next one is told', () => {
    // A search asks for the same postcode several times (its words, its place, each hit's fields): readings are remembered.
    const first = parseUkPostcode('tw5 6rh');
    expect(() => {
      (first as { area: string | null }).area = 'ZZ';
    }).toThrow(TypeError);
    expect(parseUkPostcode('tw5 6rh')).toEqual({ postcode: 'TW5 6RH', outward: 'TW5', district: 'TW5', area: 'TW' });
    expect(() => {
      (parseUkPostcode('not known') as { postcode: string | null }).postcode = 'SW1A 2AA';
    }).toThrow(TypeError);
    expect(parseUkPostcode('')).toEqual({ postcode: null, outward: null, district: null, area: null });
  });
});

describe('phone numbers in any format', () => {
  it.each(['07700 900123', '+44 7700 900123', '0044 7700 900 123', '(07700) 900123', '07700-900-123', '+44 (0)7700 900123'])('%s is 07700900123', (raw) => {
    expect(normalisePhone(raw).national).toBe('07700900123');
    expect(normalisePhone(raw).e164).toBe('+447700900123');
  });

  it('keeps foreign numbers international', () => {
    expect(normalisePhone('+33 1 23 45 67 89')).toMatchObject({ e164: '+33123456789', national: '33123456789', valid: true });
  });

  it('flags numbers that cannot be real', () => {
    expect(normalisePhone('12345').valid).toBe(false);
    expect(normalisePhone('no phone').national).toBe('');
  });

  it('reads a number only when phoneProblem finds nothing wrong with it, keeping the digits of one it cannot read', () => {
    for (const raw of ['07700 900123', '+44 20 7946 0958', '+33 1 23 45 67 89', '020 7946 095', '07700 900123 4567', '0770O 900123', '12345', '+999 1234 5678', '07700 900123 ext. 204']) {
      const read = normalisePhone(raw);
      if (phoneProblem(raw)) expect(read, raw).toEqual({ e164: null, national: raw.replace(/\D/g, ''), valid: false });
      else expect(read.e164, raw).toMatch(/^\+\d+$/);
    }
    expect(phoneProblem('0770O 900123')).toMatch(/letters/);
    expect(phoneProblem('07700 900123')).toBeNull();
  });
});

describe('vehicle registrations and flight numbers', () => {
  it('compacts registrations', () => {
    expect(normaliseVrm('bw16 vto')).toBe('BW16VTO');
    expect(normaliseVrm('BW16-VTO')).toBe('BW16VTO');
  });

  it.each([
    ['TK 2584', 'TK2584'],
    ['ai0308', 'AI308'],
    ['W6 1873', 'W61873'],
    ['u2 8041', 'U28041'],
  ])('flight %s is %s', (raw, expected) => {
    expect(normaliseFlightNumber(raw)).toBe(expected);
  });

  it('refuses text that is not a flight number', () => {
    expect(normaliseFlightNumber('London')).toBeNull();
    expect(normaliseFlightNumber('12345')).toBeNull();
  });
});

describe('names fold case, accents and punctuation', () => {
  it('compares by letters', () => {
    expect(foldName("O'Brien")).toBe('obrien');
    expect(foldName('ÖZDEMİR')).toBe(foldName('Ozdemir'));
    expect(foldName('  Anne-Marie  ')).toBe('anne marie');
  });
});
