// How common a value is in the data being matched. Agreeing on a rare surname is strong evidence, agreeing on
// "Khan" or "Smith" weak: the chance that two different people share a value is about that value's share of
// the records (Fellegi-Sunter's u-probability with term-frequency adjustment). The counts are learned from the
// records themselves: the linkage file, or the case store's own name statistics.

export const FREQUENCY_KINDS = ['surname', 'forename', 'dob', 'postcode', 'district', 'street', 'number', 'town', 'region', 'nationality', 'business'] as const;
export type FrequencyKind = (typeof FREQUENCY_KINDS)[number];

export interface Frequencies {
  /** The share of records holding this value, in (0, 1]. Unknown values count as seen once. */
  share(kind: FrequencyKind, value: string): number;
}

export class FrequencyTable implements Frequencies {
  private readonly counts = new Map<FrequencyKind, Map<string, number>>();
  private readonly totals = new Map<FrequencyKind, number>();

  add(kind: FrequencyKind, value: string, n = 1): void {
    if (!value) return;
    let m = this.counts.get(kind);
    if (!m) {
      m = new Map();
      this.counts.set(kind, m);
    }
    m.set(value, (m.get(value) ?? 0) + n);
    this.totals.set(kind, (this.totals.get(kind) ?? 0) + n);
  }

  count(kind: FrequencyKind, value: string): number {
    return this.counts.get(kind)?.get(value) ?? 0;
  }

  total(kind: FrequencyKind): number {
    return this.totals.get(kind) ?? 0;
  }

  share(kind: FrequencyKind, value: string): number {
    const total = this.totals.get(kind) ?? 0;
    const n = this.counts.get(kind)?.get(value) ?? 0;
    // Seen once more than counted (the record being compared), out of at least 1,000: small samples must not
    // make every value look unique.
    return Math.min(1, (n + 1) / (Math.max(total, 1000) + 1));
  }
}

/** No statistics: every value equally common at a typical share (used by tests and as a fallback). */
export const FLAT_FREQUENCIES: Frequencies = { share: () => 0.001 };
