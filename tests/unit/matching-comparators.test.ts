// The comparators the duplicate/link panel is built on: how names, dates of birth and addresses that people
// write differently are recognised as the same, and how much each agreement counts.
import { describe, expect, it } from 'vitest';
import { compareNameTokens, nameSkeleton } from '../../shared/matching/names.ts';
import { osaDistance } from '../../shared/matching/strings.ts';
import { compareDob, parseDob } from '../../shared/matching/dates.ts';
import { compareIdentity, preparePerson, type PersonInput } from '../../shared/matching/person.ts';
import { FrequencyTable, FLAT_FREQUENCIES } from '../../shared/matching/frequency.ts';
import { compareAddress, prepareAddress } from '../../shared/matching/address.ts';
import { businessKey, compareBusinessKeys } from '../../shared/matching/business.ts';
import { explain, summarise } from '../../shared/matching/explain.ts';
import { probability, SUGGEST_THRESHOLD } from '../../shared/matching/score.ts';

const identity = (a: PersonInput, b: PersonInput, freq = FLAT_FREQUENCIES) => compareIdentity(preparePerson(a), preparePerson(b), freq);
const field = (c: ReturnType<typeof identity>, f: string) => c.evidence.find((e) => e.field === f);

describe('edit distance', () => {
  it('counts a transposition of adjacent letters as one edit (the commonest surname typo)', () => {
    expect(osaDistance('ahmad', 'ahmda')).toBe(1);
    expect(osaDistance('kowalczyk', 'kowalcsyk')).toBe(1);
    expect(osaDistance('smith', 'smith')).toBe(0);
    expect(osaDistance('smith', 'jones')).toBe(5);
  });
  it('stops as soon as the bound is exceeded', () => {
    expect(osaDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('name comparison', () => {
  it('treats nicknames as the same name', () => {
    expect(compareNameTokens('bill', 'william')).toBe('equivalent');
    expect(compareNameTokens('kasia', 'katarzyna')).toBe('equivalent');
    expect(compareNameTokens('mo', 'mohammed')).toBe('equivalent');
  });
  it('treats transliterations as the same name', () => {
    for (const [a, b] of [['mohammed', 'muhammad'], ['mohamed', 'muhammad'], ['chowdhury', 'choudhury'], ['quraishi', 'qureshi'], ['hosseini', 'hoseini']] as const) {
      expect(compareNameTokens(a, b), `${a}/${b}`).not.toBe('different');
    }
    expect(nameSkeleton('mohamed')).toBe(nameSkeleton('muhammad'));
  });
  it('recognises typos, shortened forms, sound-alikes and initials', () => {
    expect(compareNameTokens('ahmda', 'ahmad')).toBe('typo');
    expect(compareNameTokens('flor', 'florentina')).toBe('diminutive');
    expect(compareNameTokens('j', 'james')).toBe('initial');
    expect(compareNameTokens('smith', 'jones')).toBe('different');
  });
});

describe('identity comparison', () => {
  it('finds forename and surname written the other way round', () => {
    const c = identity({ forename: 'Khan', surname: 'Imran', dob: '1990-04-03' }, { forename: 'Imran', surname: 'Khan', dob: '1990-04-03' });
    expect(c.swapped).toBe(true);
    expect(field(c, 'name_order')?.level).toBe('swapped');
    expect(c.weight).toBeGreaterThan(20);
  });
  it('recognises a date of birth with day and month swapped, and counts it for the match', () => {
    const a = parseDob('1985-03-12');
    const b = parseDob('1985-12-03');
    expect(a && b && compareDob(a, b)).toBe('day_month_swapped');
    const c = identity({ forename: 'Ana', surname: 'Popescu', dob: '1985-03-12' }, { forename: 'Ana', surname: 'Popescu', dob: '1985-12-03' });
    expect(field(c, 'dob')?.weight).toBeGreaterThan(4);
  });
  it('tells a mistyped day from another person born years apart', () => {
    const d = (x: string) => parseDob(x) as NonNullable<ReturnType<typeof parseDob>>;
    expect(compareDob(d('1985-03-12'), d('1985-03-21'))).toBe('one_part_differs');
    expect(compareDob(d('1985-03-12'), d('1958-03-12'))).toBe('digits_transposed');
    expect(compareDob(d('1985-03-12'), d('1962-07-30'))).toBe('different');
    const c = identity({ forename: 'Ana', surname: 'Popescu', dob: '1985-03-12' }, { forename: 'Ana', surname: 'Popescu', dob: '1962-07-30' });
    expect(field(c, 'dob')?.weight).toBeLessThan(0);
  });
  it('counts a rare surname for more than a common one (frequencies learned from the data)', () => {
    const freq = new FrequencyTable();
    for (let i = 0; i < 400; i++) freq.add('surname', 'khan');
    for (let i = 0; i < 2; i++) freq.add('surname', 'wickramasinghe');
    for (let i = 0; i < 1600; i++) freq.add('surname', `other${i}`);
    const common = identity({ surname: 'Khan' }, { surname: 'Khan' }, freq);
    const rare = identity({ surname: 'Wickramasinghe' }, { surname: 'Wickramasinghe' }, freq);
    expect(field(rare, 'surname')?.weight).toBeGreaterThan((field(common, 'surname')?.weight ?? 0) + 5);
  });
  it('takes a middle or known-as name used instead of the first name', () => {
    const c = identity({ forename: 'Abdul', middleNames: 'Rahim', surname: 'Sheikh' }, { forename: 'Rahim', surname: 'Sheikh' });
    expect(field(c, 'forename')?.level).toBe('equivalent');
  });
});

describe('address comparison', () => {
  it('normalises postcodes and street words before comparing', () => {
    const a = prepareAddress({ line1: 'Flat 3, 12 Barking Road', town: 'London', postcode: 'E6 1PW' });
    const b = prepareAddress({ line1: '12 barking rd', postcode: 'e61pw' });
    const es = compareAddress(a, b, FLAT_FREQUENCIES, { disagreement: 1 });
    expect(es.map((e) => `${e.field}:${e.level}`)).toEqual(['postcode:exact', 'house_number:exact', 'street:exact']);
  });
  it('counts an outward code alone as the same district, less than a full postcode', () => {
    const full = compareAddress(prepareAddress({ postcode: 'IG4 9AF' }), prepareAddress({ postcode: 'IG4 9AF' }), FLAT_FREQUENCIES, { disagreement: 1 });
    const outward = compareAddress(prepareAddress({ postcode: 'IG4 9AF' }), prepareAddress({ postcode: 'IG4' }), FLAT_FREQUENCIES, { disagreement: 1 });
    expect(outward[0]?.level).toBe('same_district');
    expect(outward[0]?.weight).toBeLessThan(full[0]?.weight ?? 0);
  });
});

describe('business names', () => {
  it('ignores legal suffixes, "&" and the ways a car wash is written, but keeps distinctive words', () => {
    expect(businessKey('Royal Hand Car Wash Ltd')).toBe(businessKey('royal car wash'));
    expect(businessKey('Northern Food & Wine')).toBe(businessKey('Northern Food and Wine'));
    expect(compareBusinessKeys(businessKey('Royal Nails'), businessKey('Royal Hand Car Wash'))).toBe('different');
  });
});

describe('score and explanation', () => {
  it('turns evidence into a probability with a fixed threshold at even odds, the prior set by the population', () => {
    expect(SUGGEST_THRESHOLD).toBe(0.5);
    // About one partner among N records: log2(N) bits of evidence make a match as likely as not.
    expect(probability(Math.log2(10_000), 10_000)).toBeCloseTo(0.5);
    expect(probability(Math.log2(1_000_000), 1_000_000)).toBeCloseTo(0.5);
    // The same evidence convinces less in a larger store, where strangers who agree on as much are commoner.
    expect(probability(18, 10_000)).toBeGreaterThan(0.95);
    expect(probability(18, 1_000_000)).toBeLessThan(0.5);
  });
  it('says which fields agreed and which differed, strongest first', () => {
    const c = identity({ forename: 'Bill', surname: 'Okafor', dob: '1970-01-02', gender: 'M' }, { forename: 'William', surname: 'Okafr', dob: '1970-01-02', gender: 'F' });
    const lines = explain(c.evidence);
    expect(Math.abs(lines[0]?.bits ?? 0)).toBeGreaterThanOrEqual(Math.abs(lines.at(-1)?.bits ?? 0));
    expect(lines.find((l) => l.field === 'forename')?.text).toMatch(/nickname/);
    expect(summarise(c.evidence)).toMatch(/^Agree: .*surname \(typo\).*Differ: gender\.$/);
  });
});
