// Dates as UK staff type them: day first, whatever the browser's language. A browser's own date field follows
// its locale (an en-US Chromium reads 14031988 as month 14… and stored 1988-12-03), so the desk reads dates
// itself and says how it read them.
import { isRealIsoDate } from '../schemas/common.ts';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function iso(y: number, m: number, d: number): string | null {
  const v = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isRealIsoDate(v) ? v : null;
}

/** A two-digit year as a date of birth or an event: the most recent year ending so, not in the future. */
function fullYear(yy: number, now: Date): number {
  const century = Math.floor(now.getUTCFullYear() / 100) * 100;
  return century + yy > now.getUTCFullYear() ? century - 100 + yy : century + yy;
}

/**
 * Reads a typed date, day first: "14/03/1988", "14-3-88", "14.03.1988", "14031988", "14 March 1988", "14 Mar 88",
 * or ISO "1988-03-14". Returns the calendar date (YYYY-MM-DD) or null when it cannot be one.
 */
export function parseUkDate(raw: string, now: Date = new Date()): string | null {
  const text = raw.trim().toLowerCase().replace(/(\d)(st|nd|rd|th)\b/g, '$1').replace(/,/g, ' ').replace(/\s+/g, ' ');
  if (!text) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$/.exec(text);
  if (m) {
    const y = m[3]?.length === 2 ? fullYear(Number(m[3]), now) : Number(m[3]);
    return iso(y, Number(m[2]), Number(m[1]));
  }
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (m) return iso(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (m) return iso(fullYear(Number(m[3]), now), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})[ -]?([a-z]{3,9})\.?[ -]?(\d{2}|\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS.findIndex((name) => name.startsWith(m?.[2] ?? '') && (m?.[2]?.length ?? 0) >= 3);
    if (month < 0) return null;
    const y = m[3]?.length === 2 ? fullYear(Number(m[3]), now) : Number(m[3]);
    return iso(y, month + 1, Number(m[1]));
  }
  return null;
}

/** "14 March 1988": how the desk read a date, in words no one can misread. */
export function longUkDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const month = MONTHS[m - 1] ?? '';
  return `${d} ${month.charAt(0).toUpperCase()}${month.slice(1)} ${y}`;
}

/** "14/03/1988": a stored date as it is typed back. */
export function shortUkDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
