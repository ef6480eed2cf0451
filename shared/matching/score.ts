// From evidence (bits) to the score a person sees: a probability that the two records are the same, under a
// fixed prior. The prior is the chance that a candidate pair put up by blocking is a true match before any
// field is compared; it is fixed (not fitted per data set), so the same threshold means the same thing on
// every data set and every desk.

/** log2 prior odds that a blocked candidate pair is a match: about 1 in 1,000. */
export const PRIOR_BITS = -10;

/**
 * The panel's threshold: a candidate at or above it is shown as a suggestion. A constant of the product, chosen
 * once (probability 0.5 = the evidence outweighs the prior); never tuned per data set.
 */
export const SUGGEST_THRESHOLD = 0.5;

/** Below this a pair is not worth listing at all (linkage output and the panel's "weaker" list). */
export const LIST_FLOOR = 0.01;

export function probability(bits: number): number {
  return 1 / (1 + 2 ** -(bits + PRIOR_BITS));
}

/** The score rounded as it is shown and written: four decimals, enough to rank by. */
export function roundScore(p: number): number {
  return Math.round(p * 10000) / 10000;
}
