// Dates for seeding management-information tests: an allegation received so many working days ago (England and
// Wales calendar), so that assessing it now puts it in a known bucket of Figure 8.
import { isWorkingDay } from '../shared/domain/clock.ts';
import { ukDate } from '../shared/domain/uk-time.ts';

function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** A receipt time (noon UK, roughly) with exactly `days` working days after it up to and including today. */
export function receivedWorkingDaysAgo(days: number, now: Date = new Date()): Date {
  let day = ukDate(now);
  let counted = 0;
  while (counted < days) {
    if (isWorkingDay(day, 'england-wales')) counted++;
    if (counted < days) day = previousDay(day);
  }
  const received = days === 0 ? day : previousDay(day);
  return new Date(`${received}T12:00:00Z`);
}
