// What the link chart joins, read as matching reads names, birth dates and addresses: an address written with
// "Rd" or "Road", in any case, with or without the postcode's space, is one key; a typo'd or reordered name is
// the same name; a name alone never makes one person of two (the chart also needs a second key:
// tests/integration/chart-join.test.ts).
import { describe, expect, it } from 'vitest';
import { addressKey, entityNodeId } from '../../shared/entities/entity.ts';
import { birthDatesAgree, namesCouldBeOnePerson, searchedNameIs } from '../../shared/matching/same-person.ts';

const person = (forename: string, surname: string, dob: string | null = null) => ({ forename, surname, knownAs: '', dob });

describe('an address on the chart', () => {
  it('is one key however its street type, case and postcode are written', () => {
    const key = addressKey('12 Alum Rock Road, B8 1JB');
    expect(addressKey('12 Alum Rock Rd, B8 1JB')).toBe(key);
    expect(addressKey('12 ALUM ROCK RD, b81jb')).toBe(key);
    expect(addressKey('12 alum rock road, B8  1JB')).toBe(key);
    expect(entityNodeId({ kind: 'address', value: '3 Hope St, B5 6TT' })).toBe(entityNodeId({ kind: 'address', value: '3 Hope Street, B5 6TT' }));
  });

  it('stays apart from another house, another street or another postcode', () => {
    const key = addressKey('12 Alum Rock Road, B8 1JB');
    expect(addressKey('14 Alum Rock Road, B8 1JB')).not.toBe(key);
    expect(addressKey('12 Alum Rock Lane, B8 1JB')).not.toBe(key);
    expect(addressKey('12 Alum Rock Road, B8 1JD')).not.toBe(key);
    // Without a postcode the town places it.
    expect(addressKey('12 Alum Rock Rd, Birmingham')).toBe(addressKey('12 alum rock road, BIRMINGHAM'));
    expect(addressKey('12 Alum Rock Road, Birmingham')).not.toBe(addressKey('12 Alum Rock Road, Leeds'));
  });

  it('keys a business without "Ltd" or "&"', () => {
    expect(entityNodeId({ kind: 'business', value: 'Alum Rock Grill Ltd' })).toBe(entityNodeId({ kind: 'business', value: 'alum rock grill' }));
  });
});

describe('a person on the chart', () => {
  it('reads a typo, a nickname and a reordered name as one name', () => {
    expect(namesCouldBeOnePerson(person('Farhan', 'Qureshi'), person('Farhan', 'Qureshy'))).toBe(true);
    expect(namesCouldBeOnePerson(person('Farhan', 'Qureshi'), person('Farhan', 'Qurehsi'))).toBe(true);
    expect(namesCouldBeOnePerson(person('Farhan', 'Qureshi'), person('QURESHI', 'Farhan'))).toBe(true);
    expect(namesCouldBeOnePerson(person('Farhan', 'Qureshi'), person('Imran', 'Qureshi'))).toBe(false);
  });

  it('never takes two birth dates that cannot be one person’s as one person', () => {
    expect(namesCouldBeOnePerson(person('John', 'Smith', '1970-02-02'), person('John', 'Smith', '1985-07-30'))).toBe(false);
    // Day and month swapped is how one date gets written two ways.
    expect(namesCouldBeOnePerson(person('John', 'Smith', '1970-02-03'), person('John', 'Smith', '1970-03-02'))).toBe(true);
  });

  it('counts a birth date as agreeing only when both are known and the same date', () => {
    expect(birthDatesAgree('1990-04-12', '1990-04-12')).toBe(true);
    expect(birthDatesAgree('1990-04-12', '1990-12-04')).toBe(true);
    expect(birthDatesAgree('1990-04-12', null)).toBe(false);
    expect(birthDatesAgree(null, null)).toBe(false);
    expect(birthDatesAgree('1990-04-12', '1991-04-12')).toBe(false);
  });

  it('reads a name as searched against a subject’s parts', () => {
    expect(searchedNameIs('farhan qureshi', person('Farhan', 'Qurehsi'))).toBe(true);
    expect(searchedNameIs('farhan qureshi', person('QURESHI', 'Farhan'))).toBe(true);
    expect(searchedNameIs('farhan qureshi', person('Imran', 'Qureshi'))).toBe(false);
  });
});
