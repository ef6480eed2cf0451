// The service-standard clock. Initial assessment is due within 2 working days of receipt (the Ministerial
// target that 39% of allegations missed, 000 §3.8, §4.32); bank holidays come from date-holidays (maintained
// upstream), for England and Wales, Scotland or Northern Ireland according to the unit. All working-day
// arithmetic happens on the UK calendar (Europe/London, shared/domain/uk-time.ts), whatever the machine's time zone.
import Holidays from 'date-holidays';
import type { RiskRating } from './vocabularies.ts';
import type { HolidayJurisdiction } from './units.ts';
import { endOfUkDay, ukDate } from './uk-time.ts';

export { endOfUkDay, ukDate };

export const ASSESSMENT_WORKING_DAYS = 2;
/** Time-critical allegations go to the duty intelligence manager with a 24-hour standard (000 §4.35). */
export const TIME_CRITICAL_HOURS = 24;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const STATES: Record<HolidayJurisdiction, string> = {
  'england-wales': 'ENG',
  scotland: 'SCT',
  'northern-ireland': 'NIR',
};

const calendars = new Map<HolidayJurisdiction, Holidays>();
const holidayCache = new Map<string, Map<string, string>>();

function calendar(jurisdiction: HolidayJurisdiction): Holidays {
  let c = calendars.get(jurisdiction);
  if (!c) {
    c = new Holidays('GB', STATES[jurisdiction], { types: ['public'] });
    calendars.set(jurisdiction, c);
  }
  return c;
}

/** Bank holidays of a year: date (YYYY-MM-DD) -> name. */
export function bankHolidays(year: number, jurisdiction: HolidayJurisdiction): Map<string, string> {
  const key = `${jurisdiction}:${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    days = new Map();
    for (const h of calendar(jurisdiction).getHolidays(year)) {
      if (h.type !== 'public') continue;
      const date = h.date.slice(0, 10);
      if (!days.has(date)) days.set(date, h.name);
    }
    holidayCache.set(key, days);
  }
  return days;
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY).toISOString().slice(0, 10);
}

function dayOfWeek(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isWorkingDay(date: string, jurisdiction: HolidayJurisdiction): boolean {
  const dow = dayOfWeek(date);
  if (dow === 0 || dow === 6) return false;
  return !bankHolidays(Number(date.slice(0, 4)), jurisdiction).has(date);
}

/** The n-th working day after a date (n >= 1); the date itself never counts. */
export function addWorkingDays(date: string, n: number, jurisdiction: HolidayJurisdiction): string {
  let current = date;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(current, jurisdiction)) left--;
  }
  return current;
}

/**
 * When initial assessment falls due: the end of the second working day after the day of receipt. An allegation
 * received on Thursday before Good Friday is due at the end of the following Wednesday (England and Wales).
 */
export function assessmentDueAt(receivedAt: Date, jurisdiction: HolidayJurisdiction): Date {
  return endOfUkDay(addWorkingDays(ukDate(receivedAt), ASSESSMENT_WORKING_DAYS, jurisdiction));
}

/** Working days from receipt to an event: 0 when on the day of receipt or before the next working day. */
export function workingDaysBetween(from: Date, to: Date, jurisdiction: HolidayJurisdiction): number {
  const start = ukDate(from);
  const end = ukDate(to);
  if (end <= start) return 0;
  let count = 0;
  for (let d = addDays(start, 1); d <= end; d = addDays(d, 1)) if (isWorkingDay(d, jurisdiction)) count++;
  return count;
}

/** Figure 8's buckets of time to initial assessment. */
export const TIMELINESS_BUCKETS = ['0-2', '3-5', '6-8', '9-11', '12-14', '15+', 'not known'] as const;
export type TimelinessBucket = (typeof TIMELINESS_BUCKETS)[number];

export function timelinessBucket(receivedAt: Date, assessedAt: Date | null, jurisdiction: HolidayJurisdiction): TimelinessBucket {
  return timelinessBucketOfDays(assessedAt ? workingDaysBetween(receivedAt, assessedAt, jurisdiction) : null);
}

/** The bucket of a number of working days to assessment (null: not known). */
export function timelinessBucketOfDays(days: number | null): TimelinessBucket {
  if (days === null) return 'not known';
  if (days <= 2) return '0-2';
  if (days <= 5) return '3-5';
  if (days <= 8) return '6-8';
  if (days <= 11) return '9-11';
  if (days <= 14) return '12-14';
  return '15+';
}

/** The next service standard set by the risk rating on assessment (000 §3.8). */
export function serviceStandardDueAt(assessedAt: Date, rating: RiskRating): Date {
  switch (rating) {
    case 'immediate':
      return assessedAt;
    case 'four_hours':
      return new Date(assessedAt.getTime() + 4 * HOUR);
    case 'forty_eight_hours':
      return new Date(assessedAt.getTime() + 48 * HOUR);
    case 'thirty_days':
      return new Date(assessedAt.getTime() + 30 * DAY);
  }
}

export function timeCriticalDueAt(receivedAt: Date): Date {
  return new Date(receivedAt.getTime() + TIME_CRITICAL_HOURS * HOUR);
}
