import { z } from 'zod';

/** A calendar date, YYYY-MM-DD, that exists (no 30 February). */
export const isoDate = z.string().refine(isRealIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

/**
 * How far ahead of this desk's clock a time may be and still be taken as now (clocks drift; the same bound as
 * the sync clock's, MAX_DRIFT_MS). Anything later is in the future, and refused: a report cannot be received,
 * nor a check done, in the future.
 */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** A moment in time with its offset (2020-01-02T11:30:46Z). */
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be a date and time in ISO 8601, e.g. 2026-03-12T09:30:00Z' });

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an id');

/** Allegation references are IMS-YYYY-NNNNNN; locally created ones carry a desk suffix until the server numbers them. */
export const reference = z.string().regex(/^IMS-\d{4}-\d{6}(-[A-Z0-9]{2,12})?$/, 'must look like IMS-2026-000123');

export function isRealIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Trims and caps free text fields at a size a person could have typed or pasted. */
export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
