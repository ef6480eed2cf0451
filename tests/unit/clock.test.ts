import { describe, expect, it } from 'vitest';
import { addWorkingDays, assessmentDueAt, bankHolidays, isWorkingDay, serviceStandardDueAt, timelinessBucket, workingDaysBetween, timeCriticalDueAt } from '../../shared/domain/clock.ts';

describe('working days on the UK calendar', () => {
  it('skips weekends', () => {
    expect(addWorkingDays('2026-03-06', 1, 'england-wales')).toBe('2026-03-09'); // Friday -> Monday
    expect(isWorkingDay('2026-03-07', 'england-wales')).toBe(false);
  });

  it('knows each jurisdiction’s bank holidays from date-holidays', () => {
    expect(bankHolidays(2026, 'england-wales').has('2026-04-03')).toBe(true); // Good Friday
    expect(bankHolidays(2026, 'england-wales').has('2026-04-06')).toBe(true); // Easter Monday
    expect(bankHolidays(2026, 'scotland').has('2026-04-06')).toBe(false); // not a holiday in Scotland
    expect(bankHolidays(2026, 'scotland').has('2026-01-02')).toBe(true);
    expect(bankHolidays(2026, 'scotland').has('2026-11-30')).toBe(true); // St Andrew's Day
    expect(bankHolidays(2026, 'northern-ireland').has('2026-03-17')).toBe(true); // St Patrick's Day
    expect(bankHolidays(2026, 'northern-ireland').has('2026-07-13')).toBe(true); // Battle of the Boyne (substitute)
  });
});

describe('initial assessment is due within 2 working days of receipt', () => {
  it('received Thursday before Good Friday: due at the end of the following Wednesday (England and Wales)', () => {
    const due = assessmentDueAt(new Date('2026-04-02T10:00:00+01:00'), 'england-wales');
    expect(due.toISOString()).toBe('2026-04-08T22:59:59.999Z'); // 23:59:59.999 BST
  });

  it('the same receipt in Scotland, where Easter Monday is a working day, is due on Tuesday', () => {
    expect(assessmentDueAt(new Date('2026-04-02T10:00:00+01:00'), 'scotland').toISOString()).toBe('2026-04-07T22:59:59.999Z');
  });

  it('received on a Saturday: due at the end of Tuesday', () => {
    expect(assessmentDueAt(new Date('2026-03-07T12:00:00Z'), 'england-wales').toISOString()).toBe('2026-03-10T23:59:59.999Z');
  });

  it('received late on Friday evening UK time (already Saturday in UTC+1): counts from Friday', () => {
    expect(assessmentDueAt(new Date('2026-06-05T22:30:00Z'), 'england-wales').toISOString()).toBe('2026-06-09T22:59:59.999Z');
  });

  it('across Christmas and the Boxing Day substitute', () => {
    // Thursday 24 Dec 2026: 25 (Fri) and 28 (Mon, substitute for Boxing Day) are holidays.
    expect(assessmentDueAt(new Date('2026-12-24T09:00:00Z'), 'england-wales').toISOString()).toBe('2026-12-30T23:59:59.999Z');
  });

  it('across the clocks going back (end of October)', () => {
    expect(assessmentDueAt(new Date('2026-10-23T09:00:00+01:00'), 'england-wales').toISOString()).toBe('2026-10-27T23:59:59.999Z');
  });
});

describe("Figure 8's timeliness buckets", () => {
  const received = new Date('2026-03-02T09:00:00Z'); // Monday
  it.each([
    ['2026-03-02T15:00:00Z', '0-2'],
    ['2026-03-04T15:00:00Z', '0-2'],
    ['2026-03-05T15:00:00Z', '3-5'],
    ['2026-03-12T15:00:00Z', '6-8'],
    ['2026-03-16T15:00:00Z', '9-11'],
    ['2026-03-19T15:00:00Z', '12-14'],
    ['2026-04-30T15:00:00Z', '15+'],
  ])('assessed %s is %s', (assessed, bucket) => {
    expect(timelinessBucket(received, new Date(assessed), 'england-wales')).toBe(bucket);
  });
  it('not assessed is "not known"', () => expect(timelinessBucket(received, null, 'england-wales')).toBe('not known'));
  it('counts working days between', () => expect(workingDaysBetween(received, new Date('2026-03-09T09:00:00Z'), 'england-wales')).toBe(5));
});

describe('service standards after assessment', () => {
  const at = new Date('2026-03-04T10:00:00Z');
  it.each([
    ['immediate', '2026-03-04T10:00:00.000Z'],
    ['four_hours', '2026-03-04T14:00:00.000Z'],
    ['forty_eight_hours', '2026-03-06T10:00:00.000Z'],
    ['thirty_days', '2026-04-03T10:00:00.000Z'],
  ] as const)('%s is due %s', (rating, due) => {
    expect(serviceStandardDueAt(at, rating).toISOString()).toBe(due);
  });
  it('time-critical work is due within 24 hours of receipt', () => {
    expect(timeCriticalDueAt(at).toISOString()).toBe('2026-03-05T10:00:00.000Z');
  });
});
