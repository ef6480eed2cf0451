// The UK calendar year of an instant, which numbers national references: it must be the year of the UK date at
// every instant, including the hours around New Year and the changes to and from summer time.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ukDate, ukDateTimeText, ukDayText, ukYear } from '../../shared/domain/uk-time.ts';

const yearOfUkDate = (d: Date) => Number(ukDate(d).slice(0, 4));

describe('ukYear', () => {
  it('is the year of the UK date at any instant from 1970 to 2200', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        expect(ukYear(d)).toBe(yearOfUkDate(d));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns at midnight UK time on New Year, and not at the summer-time changes', () => {
    for (const at of ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2025-01-01T00:30:00Z']) {
      expect(ukYear(new Date(at))).toBe(yearOfUkDate(new Date(at)));
    }
    expect(ukYear(new Date('2026-12-31T23:59:59.999Z'))).toBe(2026);
    expect(ukYear(new Date('2027-01-01T00:00:00.000Z'))).toBe(2027);
  });
});

describe('dates and times as people read them', () => {
  it('writes an instant on UK time, in winter and in summer', () => {
    expect(ukDateTimeText('2026-12-07T15:48:09.998Z')).toBe('7 Dec 2026, 15:48');
    expect(ukDateTimeText('2026-07-01T12:00:00.000Z')).toBe('1 Jul 2026, 13:00');
  });

  it('writes a calendar date as it is, and an instant by its UK date', () => {
    expect(ukDayText('1980-01-02')).toBe('2 Jan 1980');
    expect(ukDayText('2026-06-30')).toBe('30 Jun 2026');
    // 23:30 UTC on 30 June is already 1 July in the UK (summer time).
    expect(ukDayText('2026-06-30T23:30:00Z')).toBe('1 Jul 2026');
  });
});
