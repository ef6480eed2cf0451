// UK civil time (Europe/London) from any machine's zone: the calendar the service standards and the
// reporters' "tomorrow" and "this Friday" are counted in.
const ZONE = 'Europe/London';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(instant: Date): Record<string, number> {
  return Object.fromEntries(partsFormatter.formatToParts(instant).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]));
}

// As UK staff read dates and times: "7 Dec 2026, 15:48" and "2 Mar 2026", on UK time.
const dateTimeText = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayText = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric' });

/** An instant (an ISO string) on UK time, as people read it: "7 Dec 2026, 15:48". */
export function ukDateTimeText(iso: string): string {
  return dateTimeText.format(new Date(iso));
}

/**
 * A calendar date (YYYY-MM-DD), written as it is (it is not an instant: no zone shifts it), or an instant's UK date:
 * "2 Mar 2026".
 */
export function ukDayText(value: string): string {
  // Noon UTC is the same calendar day in the UK, summer or winter.
  return dayText.format(new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value));
}

/** The UK calendar date (YYYY-MM-DD) of an instant. */
export function ukDate(instant: Date): string {
  const p = parts(instant);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The UK calendar year of an instant. The UK is never a day or more away from UTC, so only on 31 December and
 * 1 January (UTC) can the two years differ; any other day's UTC year is the answer without asking the zone database
 * (the server gives every new allegation its reference by this year, and the formatter was a twentieth of that work).
 */
export function ukYear(instant: Date): number {
  const month = instant.getUTCMonth();
  const day = instant.getUTCDate();
  const nearNewYear = (month === 11 && day === 31) || (month === 0 && day === 1);
  return nearNewYear ? (parts(instant).year as number) : instant.getUTCFullYear();
}

/** Minutes the UK is ahead of UTC at an instant (0 in winter, 60 in summer time). */
export function ukOffsetMinutes(instant: Date): number {
  const p = parts(instant);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The last moment (23:59:59.999 UK time) of a UK calendar date. */
export function endOfUkDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcGuess = Date.UTC(y, m - 1, d, 23, 59, 59, 999);
  return new Date(utcGuess - ukOffsetMinutes(new Date(utcGuess)) * 60_000);
}
