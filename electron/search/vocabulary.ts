// The vocabulary of name tokens (forenames, middle names, surnames, known-as names, aliases) with how many
// allegations hold each: the small side table search_names, loaded into memory on the first name query (never
// by scanning the full-text index, which took 5 s at 1M). Variants of a typed name come from it: nicknames and
// transliterations (the groups shared with matching), the same spelling skeleton, a bounded Damerau (OSA)
// distance found through a bigram index, and a sound key for the fuzzy tier.
import type { Db } from '../store/db.ts';
import { nameGroupIds } from '../../shared/matching/nicknames.ts';
import { surnameBase, surnameGroupIds } from '../../shared/search/surnames.ts';
import { allowedEdits, compareVariants, nameSkeleton, soundKey, type NameVariant } from '../../shared/search/names.ts';
import { osaDistance } from '../../shared/matching/strings.ts';

/** At most this many variants of one typed name are searched for (the DESIGN.md tail came from unbounded ORs). */
export const MAX_VARIANTS = 24;

export class NameVocabulary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly counts: number[] = [];
  private readonly bySkeleton = new Map<string, number[]>();
  private readonly bySound = new Map<string, number[]>();
  private readonly byGroup = new Map<number, number[]>();
  private readonly bySurnameGroup = new Map<number, number[]>();
  private readonly byBase = new Map<string, number[]>();
  private readonly byBigram = new Map<string, number[]>();
  private overlap = new Uint16Array(0);
  /** Variants of recently typed names; cleared when a name appears in or disappears from the vocabulary. */
  private readonly cache = new Map<string, NameVariant[]>();

  static load(db: Db): NameVocabulary {
    const v = new NameVocabulary();
    for (const row of db.prepare('SELECT term, n FROM search_names WHERE n > 0').iterate() as IterableIterator<{ term: string; n: number }>) v.adjust(row.term, row.n);
    return v;
  }

  get size(): number {
    return this.terms.length;
  }

  count(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : (this.counts[id] as number);
  }

  /** Keeps the loaded vocabulary in step with the side table as allegations are indexed. */
  adjust(term: string, delta: number): void {
    let id = this.ids.get(term);
    const before = id === undefined ? 0 : (this.counts[id] as number);
    if (before === 0 || before + delta <= 0) this.cache.clear();
    if (id === undefined) {
      if (delta <= 0) return;
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      this.counts.push(0);
      const add = (map: Map<string | number, number[]>, key: string | number) => {
        const list = map.get(key);
        if (list) list.push(id as number);
        else map.set(key, [id as number]);
      };
      if (term.length >= 3) add(this.bySkeleton as Map<string | number, number[]>, nameSkeleton(term));
      if (term.length >= 4) add(this.bySound as Map<string | number, number[]>, soundKey(term));
      for (const g of nameGroupIds(term)) add(this.byGroup as Map<string | number, number[]>, g);
      for (const g of surnameGroupIds(term)) add(this.bySurnameGroup as Map<string | number, number[]>, g);
      const base = surnameBase(term);
      if (base !== term) add(this.byBase as Map<string | number, number[]>, base);
      for (const b of bigrams(term)) add(this.byBigram as Map<string | number, number[]>, b);
    }
    this.counts[id] = Math.max(0, (this.counts[id] as number) + delta);
  }

  /**
   * Names in the vocabulary that the typed (folded) token may stand for, best first: the token itself if held,
   * equivalents (nicknames, transliterations), corrections (skeleton, OSA within the corrected distance), then
   * fuzzy ones (OSA within the fuzzy distance, same sound key). Only names some allegation holds are returned.
   */
  variants(token: string, maxTier: 1 | 2 = 2, limit = MAX_VARIANTS): NameVariant[] {
    const key = `${maxTier}:${limit}:${token}`;
    let cached = this.cache.get(key);
    if (!cached) {
      cached = this.computeVariants(token, maxTier, limit);
      if (this.cache.size >= 5000) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, cached);
    }
    return cached;
  }

  private computeVariants(token: string, maxTier: 1 | 2, limit: number): NameVariant[] {
    const found = new Map<string, NameVariant>();
    const consider = (id: number, tier: NameVariant['tier'], distance: number) => {
      const term = this.terms[id] as string;
      const n = this.counts[id] as number;
      if (n <= 0) return;
      const prev = found.get(term);
      const next: NameVariant = { term, tier, distance, count: n };
      if (!prev || compareVariants(next, prev) < 0) found.set(term, next);
    };
    const self = this.ids.get(token);
    if (self !== undefined) consider(self, 'exact', 0);
    const edits = allowedEdits(token);
    const within = (id: number, max: number) => osaDistance(token, this.terms[id] as string, max);

    for (const g of nameGroupIds(token)) for (const id of this.byGroup.get(g) ?? []) if (id !== self) consider(id, 'equivalent', within(id, 9));
    for (const g of surnameGroupIds(token)) for (const id of this.bySurnameGroup.get(g) ?? []) if (id !== self) consider(id, 'equivalent', within(id, 9));
    // Feminine and masculine forms: Atanasova finds Atanasov (held under its base) and Atanasov finds Atanasova.
    const base = surnameBase(token);
    for (const id of this.byBase.get(base) ?? []) if (id !== self) consider(id, 'equivalent', within(id, 9));
    if (base !== token) {
      const baseId = this.ids.get(base);
      if (baseId !== undefined) consider(baseId, 'equivalent', within(baseId, 9));
    }
    if (token.length >= 3) {
      for (const id of this.bySkeleton.get(nameSkeleton(token)) ?? []) if (id !== self) consider(id, 'corrected', within(id, 9));
    }
    const maxEdits = maxTier === 1 ? edits.corrected : edits.fuzzy;
    if (maxEdits > 0) {
      for (const id of this.nearby(token, maxEdits)) {
        if (id === self) continue;
        const d = within(id, maxEdits);
        if (d <= edits.corrected) consider(id, 'corrected', d);
        else if (d <= maxEdits) consider(id, 'fuzzy', d);
      }
    }
    if (maxTier === 2 && token.length >= 4) {
      for (const id of this.bySound.get(soundKey(token)) ?? []) if (id !== self) consider(id, 'fuzzy', within(id, 9));
    }
    return [...found.values()].sort(compareVariants).slice(0, limit);
  }

  /** Vocabulary ids that may lie within `k` edits of the token: the q-gram lemma on padded bigrams. */
  private nearby(token: string, k: number): number[] {
    const grams = new Set(bigrams(token));
    // A Damerau edit changes at most three padded bigrams (a transposition), so a term within k edits keeps at
    // least |grams| - 3k of the token's distinct bigrams.
    const need = Math.max(1, grams.size - 3 * k);
    if (this.overlap.length < this.terms.length) this.overlap = new Uint16Array(Math.max(1024, this.terms.length * 2));
    const touched: number[] = [];
    const overlap = this.overlap;
    for (const g of grams) {
      for (const id of this.byBigram.get(g) ?? []) {
        if (overlap[id] === 0) touched.push(id);
        overlap[id] = (overlap[id] as number) + 1;
      }
    }
    const out: number[] = [];
    for (const id of touched) {
      if ((overlap[id] as number) >= need && Math.abs((this.terms[id] as string).length - token.length) <= k) out.push(id);
      overlap[id] = 0;
    }
    return out;
  }
}

function bigrams(term: string): string[] {
  const padded = `^${term}$`;
  const out: string[] = [];
  for (let i = 0; i < padded.length - 1; i++) out.push(padded.slice(i, i + 2));
  return out;
}
