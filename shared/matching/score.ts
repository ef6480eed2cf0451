// From evidence (bits) to the score a person sees: the probability that the two records are the same. The
// prior is what makes it a probability: among N records a record has about one true partner, so before any
// field is compared a pair is a match with odds of about 1 in N. The same evidence is therefore less
// convincing in a store of a million allegations than in one of ten thousand — strangers sharing a name, a
// street or a birth year become common as the store grows — and the one fixed threshold below keeps meaning
// "more likely than not" at every size. N is known without any labels; nothing here is fitted to a data set.

/** Below this many records the prior stays at 1 in 1,000 (small stores and test sets). */
export const MIN_POPULATION = 1000;

/** log2 prior odds that a pair of records among `population` is a match. */
export function priorBits(population: number): number {
  return -Math.log2(Math.max(population, MIN_POPULATION));
}

/**
 * The panel's threshold: a candidate at or above it is shown as a suggestion. A constant of the product
 * (probability 0.5: a match is more likely than not); never tuned per data set.
 */
export const SUGGEST_THRESHOLD = 0.5;

/**
 * With less evidence than this (bits) a pair is not worth listing at all (linkage output, and the panel's list
 * of weaker candidates). In bits, not probability: what is worth a look does not shrink as the store grows.
 */
export const LIST_FLOOR_BITS = 3;

export function probability(bits: number, population = MIN_POPULATION): number {
  return 1 / (1 + 2 ** -(bits + priorBits(population)));
}

/** The score rounded as it is shown: four decimals, enough to rank by. */
export function roundScore(p: number): number {
  return Math.round(p * 10000) / 10000;
}
