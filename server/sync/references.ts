// National references without holding a lock to the end of a push. A push that brings new allegations reserves
// their numbers in one statement per year that commits at once (on a connection of its own on PostgreSQL), so
// pushes wait for each other only for that statement. A reservation is never given back: a push that fails after it
// leaves a gap in the year's numbers, as a counter of case numbers does. A reference a desk brings in national form
// (a legacy record) is kept only if the year's sequence has not reached it, and the sequence then moves past it, so
// it can never be given twice; one the sequence has reached gets a new number, and stays searchable as an alias.
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';
import { ukYear } from '../../shared/domain/uk-time.ts';
import type { Queryable } from '../db/database.ts';
import type { Plan } from './judge.ts';
import { NATIONAL_REFERENCE } from './state.ts';

export interface ReservedReferences {
  /** Legacy national references the allegations keep. */
  kept: Set<string>;
  /** Per year, the next reserved number to give. */
  next: Map<number, number>;
}

const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);

/** The year whose sequence numbers a new allegation: the year it was received, in UK time. */
export function referenceYear(change: ChangeRow, now: () => Date): number {
  const receivedAt = str(change.fields.received_at?.to);
  const when = receivedAt && !Number.isNaN(Date.parse(receivedAt)) ? new Date(receivedAt) : now();
  return ukYear(when);
}

/** A reference in national form the new allegation brings: its year and number. */
export function legacyReference(change: ChangeRow): { reference: string; year: number; n: number } | null {
  const reference = str(change.fields.reference?.to);
  const m = reference ? NATIONAL_REFERENCE.exec(reference) : null;
  return m && reference ? { reference, year: Number(m[1]), n: Number(m[2]) } : null;
}

/** Reserves $2 numbers of year $1's sequence, answering the last of them. */
export const RESERVE_NUMBERS =
  'INSERT INTO reference_sequences (year, last) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last = reference_sequences.last + excluded.last RETURNING last';

/** How many new references each year's sequence must give the plan's new allegations (those keeping a legacy one aside). */
export function referenceCounts(plan: Plan, now: () => Date, kept: ReadonlySet<string> = new Set()): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of plan.entries) {
    if (!e.pending) continue;
    const l = legacyReference(e.pending.insert);
    if (l && kept.has(l.reference)) continue;
    const year = referenceYear(e.pending.insert, now);
    counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  return counts;
}

/**
 * Reserves the references of the plan's new allegations. `q` commits each statement at once (PostgreSQL), or is the
 * push's own transaction where transactions run one at a time (PGlite).
 */
export async function reserveReferences(q: Queryable, plan: Plan, now: () => Date): Promise<ReservedReferences> {
  const inserts = plan.entries.filter((e) => e.pending).map((e) => (e.pending as { insert: ChangeRow }).insert);
  const kept = new Set<string>();
  // Legacy references first, smallest first: each moves its year's sequence to it, if the sequence is below it.
  const legacy = inserts.map(legacyReference).filter((l): l is NonNullable<typeof l> => l !== null).sort((a, b) => a.n - b.n);
  for (const l of legacy) {
    const taken = await q.query('SELECT 1 FROM allegation_scope WHERE reference = $1 UNION ALL SELECT 1 FROM reference_aliases WHERE alias = $1', [l.reference]);
    if (taken.length) continue;
    const moved = await q.query(
      `INSERT INTO reference_sequences (year, last) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last = excluded.last WHERE reference_sequences.last < excluded.last RETURNING last`,
      [l.year, l.n],
    );
    if (moved.length) kept.add(l.reference);
  }
  const next = new Map<number, number>();
  for (const [year, count] of referenceCounts(plan, now, kept)) {
    const [row] = await q.query<{ last: number }>(RESERVE_NUMBERS, [year, count]);
    next.set(year, Number((row as { last: number }).last) - count + 1);
  }
  return { kept, next };
}
