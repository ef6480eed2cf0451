import { describe, expect, it } from 'vitest';
import { compareVariants, nameSkeleton, nameTokens, soundKey, type NameVariant } from '../../shared/search/names.ts';
import { osaDistance } from '../../shared/matching/strings.ts';
import { surnameBase, surnameGroupIds } from '../../shared/search/surnames.ts';
import { NameVocabulary } from '../../electron/search/vocabulary.ts';

describe('comparing names as people write them', () => {
  it('counts an adjacent transposition as one edit (OSA), and stops early past the bound', () => {
    expect(osaDistance('ahmad', 'ahmda')).toBe(1);
    expect(osaDistance('kavaliauskas', 'kavailauskas')).toBe(1);
    expect(osaDistance('smith', 'smyth')).toBe(1);
    expect(osaDistance('mohammed', 'muhammad')).toBe(2);
    expect(osaDistance('abc', 'xyzxyz', 2)).toBe(3);
    expect(osaDistance('', 'ab')).toBe(2);
  });

  it('gives transliterations one spelling skeleton', () => {
    expect(new Set(['mohammed', 'muhammad', 'mohamed', 'mohamad'].map(nameSkeleton)).size).toBe(1);
    expect(nameSkeleton('chowdhury')).toBe(nameSkeleton('choudhury'));
    expect(nameSkeleton('qureshi')).toBe(nameSkeleton('quraishi'));
    expect(nameSkeleton('stephen')).toBe(nameSkeleton('stefen'));
    expect(nameSkeleton('smith')).not.toBe(nameSkeleton('jones'));
  });

  it('keys names that sound alike together', () => {
    expect(soundKey('tchaikovsky')).toBe(soundKey('chaikovski'));
    expect(soundKey('katz')).toBe(soundKey('kats'));
  });

  it('folds names to tokens: case, accents and apostrophes', () => {
    expect(nameTokens("Ó Brien-Smith")).toEqual(['o', 'brien', 'smith']);
    expect(nameTokens("D'Souza")).toEqual(['dsouza']);
    expect(nameTokens('ÇELİK')).toEqual(['celik']);
  });

  it('knows surnames across romanisations and feminine endings', () => {
    expect(surnameGroupIds('zhang').some((g) => surnameGroupIds('cheung').includes(g))).toBe(true);
    expect(surnameGroupIds('jallow').some((g) => surnameGroupIds('diallo').includes(g))).toBe(true);
    expect(surnameBase('atanasova')).toBe('atanasov');
    expect(surnameBase('kowalska')).toBe('kowalski');
    expect(surnameBase('smith')).toBe('smith');
  });

  it('orders variants exact, then equivalent and corrected, then fuzzy; nearer, then more frequent', () => {
    const v = (term: string, tier: NameVariant['tier'], distance: number, count: number): NameVariant => ({ term, tier, distance, count });
    const sorted = [v('fuzzy', 'fuzzy', 2, 900), v('far', 'corrected', 2, 5), v('near', 'corrected', 1, 5), v('common', 'corrected', 1, 50), v('self', 'exact', 0, 1)].sort(compareVariants);
    expect(sorted.map((x) => x.term)).toEqual(['self', 'common', 'near', 'far', 'fuzzy']);
  });
});

describe('the name vocabulary', () => {
  const vocab = new NameVocabulary();
  for (const [term, n] of [
    ['oyelaran', 40],
    ['hoang', 300],
    ['huang', 250],
    ['hong', 0],
    ['mohammed', 900],
    ['muhammad', 300],
    ['mohamed', 200],
    ['william', 80],
    ['bill', 12],
    ['zhang', 60],
    ['cheung', 20],
    ['atanasov', 10],
    ['atanasova', 8],
    ['stevart', 1],
    ['stewart', 70],
    ['akram', 30],
  ] as const) {
    vocab.adjust(term, n);
  }

  it('offers the likely correction of a misspelling first', () => {
    expect(vocab.variants('oyelaraan')[0]).toMatchObject({ term: 'oyelaran', tier: 'corrected', distance: 1 });
    expect(vocab.variants('hong')[0]?.term).toBe('hoang');
    expect(vocab.variants('mohammd').slice(0, 2).map((v) => v.term)).toContain('mohammed');
  });

  it('puts the typed name first when it is held, then its other forms', () => {
    const v = vocab.variants('stevart');
    expect(v[0]).toMatchObject({ term: 'stevart', tier: 'exact' });
    expect(v.map((x) => x.term)).toContain('stewart');
  });

  it('finds nicknames, transliterations and feminine forms as equivalents', () => {
    expect(vocab.variants('bill').find((v) => v.term === 'william')?.tier).toBe('equivalent');
    expect(vocab.variants('zhang').find((v) => v.term === 'cheung')?.tier).toBe('equivalent');
    expect(vocab.variants('muhammad').filter((v) => v.tier !== 'fuzzy').map((v) => v.term)).toEqual(expect.arrayContaining(['mohammed', 'mohamed']));
    expect(vocab.variants('atanasova').find((v) => v.term === 'atanasov')?.tier).toBe('equivalent');
    expect(vocab.variants('atanasov').find((v) => v.term === 'atanasova')?.tier).toBe('equivalent');
  });

  it('keeps the corrected tier to the allowed distance and never offers names nobody holds', () => {
    expect(vocab.variants('akrm', 1).map((v) => v.term)).toEqual(['akram']);
    expect(vocab.variants('hoang').map((v) => v.term)).not.toContain('hong');
    vocab.adjust('akram', -30);
    expect(vocab.variants('akrm').map((v) => v.term)).not.toContain('akram');
  });
});
