// Error rates of recognised text against a reference, as the OCR data's README defines them.
//   CER: Levenshtein distance between the texts with whitespace collapsed, over the reference length.
//   WER: the same over words. Words are compared case-folded and as their letter/digit runs ("Ext.:" and
//        "Ext. :" are the same word "ext"), which is what the README's figures (WER 0.28 at CER 0.17) match;
//        werRawTokens compares whitespace-separated tokens exactly, for reference.

export function normaliseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function levenshtein<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const n = b.length;
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= n; j++) {
      const sub = (prev[j - 1] as number) + (ai === b[j - 1] ? 0 : 1);
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, sub);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n] as number;
}

export function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function cer(hypothesis: string, reference: string): number {
  const r = normaliseWhitespace(reference);
  if (!r.length) return hypothesis.trim() ? 1 : 0;
  return levenshtein(normaliseWhitespace(hypothesis), r) / r.length;
}

export function wer(hypothesis: string, reference: string): number {
  const r = words(reference);
  if (!r.length) return words(hypothesis).length ? 1 : 0;
  return levenshtein(words(hypothesis), r) / r.length;
}

export function werRawTokens(hypothesis: string, reference: string): number {
  const r = normaliseWhitespace(reference).split(' ').filter(Boolean);
  if (!r.length) return hypothesis.trim() ? 1 : 0;
  return levenshtein(normaliseWhitespace(hypothesis).split(' ').filter(Boolean), r) / r.length;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
