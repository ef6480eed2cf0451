// Dates of birth as reporters and clerks get them wrong: a mistyped day, a year off by one or ten, digits
// transposed, and day and month swapped (the commonest error between UK and US writing, 12/03 vs 03/12).

export interface Dob {
  y: number;
  m: number;
  d: number;
  /** YYYYMMDD, for digit-level comparison. */
  digits: string;
}

/** Parses YYYY-MM-DD or YYYYMMDD; null for anything else or an impossible date. */
export function parseDob(raw: string | null | undefined): Dob | null {
  const text = (raw ?? '').trim();
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1850 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return { y, m: mo, d, digits: `${m[1]}${m[2]}${m[3]}` };
}

export const DOB_LEVELS = ['exact', 'day_month_swapped', 'one_part_differs', 'digits_transposed', 'year_only', 'near', 'different'] as const;
export type DobLevel = (typeof DOB_LEVELS)[number];

function transposedOnce(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i >= a.length - 1) return false;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function digitsDifferInOnePlace(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return diff === 1;
}

export function compareDob(a: Dob, b: Dob): DobLevel {
  if (a.digits === b.digits) return 'exact';
  if (a.y === b.y && a.m === b.d && a.d === b.m) return 'day_month_swapped';
  const same = (a.y === b.y ? 1 : 0) + (a.m === b.m ? 1 : 0) + (a.d === b.d ? 1 : 0);
  if (same === 2) {
    // A year off by one or ten, or a day or month mistyped; a year off by 37 is another person.
    if (a.y !== b.y) {
      if (Math.abs(a.y - b.y) === 1 || Math.abs(a.y - b.y) === 10 || digitsDifferInOnePlace(String(a.y), String(b.y))) return 'one_part_differs';
      return transposedOnce(String(a.y), String(b.y)) ? 'digits_transposed' : 'different';
    }
    return 'one_part_differs';
  }
  if (transposedOnce(a.digits, b.digits)) return 'digits_transposed';
  if (a.y === b.y) return 'year_only';
  // Within a year of each other (a birthday remembered a month out across a new year).
  if (Math.abs(dayNumber(a) - dayNumber(b)) <= 366) return 'near';
  return 'different';
}

function dayNumber(d: Dob): number {
  return Date.UTC(d.y, d.m - 1, Math.min(d.d, 28)) / 86_400_000;
}

/** Age in whole years on a date (YYYY-MM-DD). */
export function ageOn(dob: Dob, isoDate: string): number | null {
  const on = parseDob(isoDate.slice(0, 10));
  if (!on) return null;
  let age = on.y - dob.y;
  if (on.m < dob.m || (on.m === dob.m && on.d < dob.d)) age--;
  return age;
}
