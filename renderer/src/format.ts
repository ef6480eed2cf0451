// Dates and times as UK staff read them, always on UK time whatever the machine's zone (shared/domain/uk-time.ts).
import { ukDateTimeText, ukDayText } from '../../shared/domain/uk-time.ts';

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? ukDateTimeText(iso) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? ukDayText(iso) : '—';
}

/** "in 1 d 4 h", "overdue 3 d": short enough for a queue column. */
export function timeRemaining(dueIso: string | null, now: number = Date.now()): { text: string; overdue: boolean; soon: boolean } | null {
  if (!dueIso) return null;
  const ms = new Date(dueIso).getTime() - now;
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const span = days >= 730 ? `${Math.floor(days / 365)} years` : days >= 60 ? `${Math.floor(days / 30.44)} months` : days >= 1 ? `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}` : hours >= 1 ? `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
  return ms < 0 ? { text: `overdue ${span}`, overdue: true, soon: false } : { text: `in ${span}`, overdue: false, soon: ms < 8 * 3_600_000 };
}

export function age(dob: string | null, at: Date = new Date()): number | null {
  if (!dob) return null;
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  let years = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) years--;
  return years;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}
