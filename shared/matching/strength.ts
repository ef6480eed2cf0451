// The weight of a piece of evidence as an analyst reads it: in words, and as how many times more (or less)
// likely it makes the two records one. Weights are log2 likelihood ratios ("bits"), which mean nothing to a
// reader; 2^bits is the likelihood ratio itself.

/** "strong", "very strong"…: how much a weight moves the odds, whichever way. */
export function strengthWord(bits: number): string {
  const b = Math.abs(bits);
  return b >= 8 ? 'very strong' : b >= 4 ? 'strong' : b >= 2 ? 'moderate' : b >= 0.5 ? 'weak' : 'no';
}

/** "10 times", "about 250 times", "over 10,000 times": a likelihood ratio people can read. */
function times(ratio: number): string {
  if (ratio >= 10_000) return 'over 10,000 times';
  if (ratio >= 100) return `about ${(Math.round(ratio / 10) * 10).toLocaleString('en-GB')} times`;
  if (ratio >= 10) return `about ${Math.round(ratio)} times`;
  return `${(Math.round(ratio * 10) / 10).toLocaleString('en-GB')} times`;
}

/** "strong evidence of the same person or place (about 20 times as likely)", or the same against. */
export function evidenceWords(bits: number): string {
  const word = strengthWord(bits);
  if (word === 'no') return 'no evidence either way';
  const ratio = 2 ** Math.abs(bits);
  return bits > 0 ? `${word} evidence for a match (${times(ratio)} as likely)` : `${word} evidence against a match (${times(ratio)} less likely)`;
}

/** The probability that two records are one, given prior odds and the total weight: a percentage people read. */
export function probabilityText(p: number): string {
  const pct = p * 100;
  return pct >= 99.5 ? 'over 99%' : pct < 1 ? 'under 1%' : `${Math.round(pct)}%`;
}
