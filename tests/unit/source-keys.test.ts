import { describe, expect, it } from 'vitest';
import { normaliseEmailForMatching, reportedKeys, sourceKeys } from '../../shared/sources/keys.ts';
import { groupReferrals, type ReferralKeys } from '../../shared/sources/referrer-groups.ts';

const keysOf = (s: Parameters<typeof sourceKeys>[0]) => Object.fromEntries(sourceKeys(s).map((k) => [k.kind, k.value]));

describe('normalised identifiers of a reporting person', () => {
  it('reads a phone in any format as one number', () => {
    for (const phone of ['0044 20 736 83353', '(020) 73683353', '020 7368 3353', '02073683353']) expect(keysOf({ phone }).phone).toBe('+442073683353');
  });

  it('ignores case, dots and +tags in email local parts, and a dot lost from the domain', () => {
    expect(normaliseEmailForMatching('J.Cooper62@LIVE.co.uk')).toBe('jcooper62@livecouk');
    expect(normaliseEmailForMatching('jcooper62+nsu@liveco.uk')).toBe('jcooper62@livecouk');
    expect(normaliseEmailForMatching('not an email')).toBeNull();
  });

  it('keys a name at a postcode, a house at a postcode, and a house in a street whatever the abbreviation', () => {
    const a = keysOf({ name: 'Mr John Cooper', address: '32 Whitechapel RD, London, NW7 6TE' });
    const b = keysOf({ name: 'Cooper John', address: '32 whitechapel road, london, NW7 6TE' });
    expect(a.name_postcode).toBe(b.name_postcode);
    expect(a.house_postcode).toBe('32|NW76TE');
    expect(keysOf({ address: '150 South Str, Glasgow, G23 0WF' }).house_street).toBe(keysOf({ address: '150 South Street, Glasgow' }).house_street);
  });

  it('keys how a name sounds with the relationship, for misspellings', () => {
    expect(keysOf({ name: 'Mrs Klly Edwards', relationship: 'neighbour' }).sound_relationship).toBe(keysOf({ name: 'Kelly Edwaards', relationship: 'neighbour' }).sound_relationship);
  });
});

describe('grouping referrals by person from blind-index digests', () => {
  const r = (id: string, keys: Record<string, string>): ReferralKeys => ({ id, keys: Object.entries(keys).map(([kind, digest]) => ({ kind: kind as never, digest })) });

  it('links referrals that share a phone, or an email with a second key that agrees', () => {
    const groups = groupReferrals([r('a', { phone: 'p1' }), r('b', { phone: 'p1', email: 'e1', sound_relationship: 'n1' }), r('c', { email: 'e1', sound_relationship: 'n1' }), r('d', { phone: 'p9' })]);
    expect(groups).toEqual([{ ids: expect.arrayContaining(['a', 'b', 'c']), linkedBy: expect.arrayContaining(['phone', 'email']) }]);
  });

  it('does not merge two people on a shared family email alone', () => {
    expect(groupReferrals([r('a', { email: 'family', sound_relationship: 'n1' }), r('b', { email: 'family', sound_relationship: 'n2' })])).toEqual([]);
    const viaKeys = (s: Parameters<typeof sourceKeys>[0], id: string): ReferralKeys => ({ id, keys: sourceKeys(s).map((k) => ({ kind: k.kind, digest: `${k.kind}:${k.value}` })) });
    const family = groupReferrals([viaKeys({ name: 'David Marsh', email: 'marsh.family@gmail.com', relationship: 'neighbour' }, 'a'), viaKeys({ name: 'Sarah Marsh', email: 'marsh.family@gmail.com', relationship: 'neighbour' }, 'b')]);
    expect(family).toEqual([]);
    // The same person, with the email and a name that sounds the same.
    const same = groupReferrals([viaKeys({ name: 'David Marsh', email: 'marsh.family@gmail.com', relationship: 'neighbour' }, 'a'), viaKeys({ name: 'Dave Marsh', email: 'Marsh.Family@gmail.com', relationship: 'neighbour', address: '4 Elm Grove, Leeds, LS6 2AB' }, 'b'), viaKeys({ name: 'D. Marsh', email: 'marsh.family@gmail.com', relationship: 'neighbour' }, 'c')]);
    expect(same.map((g) => g.ids.sort())).toEqual([['a', 'b', 'c']]);
  });

  it('groups a name-only letter-writer when name and address agree ("Miss Rebecca White", eleven letters, no phone or email)', () => {
    const addresses = ['14 Orchard Rd, Leeds', '14 Orchard Road, Leeds, LS6 2AB', '14 orchard road', 'Flat 2, 14 Orchard Road, Leeds', '14 Orchard Road (flat 2), LS62AB'];
    const letters = Array.from({ length: 11 }, (_, i) => ({ id: `letter-${i}`, keys: sourceKeys({ name: i % 3 ? 'Miss Rebecca White' : 'Rebecca White', address: addresses[i % addresses.length] as string }).map((k) => ({ kind: k.kind, digest: `${k.kind}:${k.value}` })) }));
    // Another Rebecca White elsewhere, and someone else at that house.
    const others = [
      { id: 'elsewhere', keys: sourceKeys({ name: 'Rebecca White', address: '3 Mill Lane, Hull, HU1 1AA' }).map((k) => ({ kind: k.kind, digest: `${k.kind}:${k.value}` })) },
      { id: 'housemate', keys: sourceKeys({ name: 'Tom Baker', address: '14 Orchard Road, Leeds, LS6 2AB' }).map((k) => ({ kind: k.kind, digest: `${k.kind}:${k.value}` })) },
    ];
    const groups = groupReferrals([...letters, ...others]);
    expect(groups.map((g) => g.ids.sort())).toEqual([letters.map((l) => l.id).sort()]);
  });

  it('tells one person from a typing slip, a nickname or a reordered name, and attaches a name-only referral to one who reported the same subject', () => {
    const keyed = (id: string, s: Parameters<typeof sourceKeys>[0], subject: string, postcode: string): ReferralKeys => ({
      id,
      keys: [...sourceKeys(s), ...reportedKeys([{ forename: subject.split(' ')[0], surname: subject.split(' ')[1] }], [postcode])].map((k) => ({ kind: k.kind, digest: `${k.kind}:${k.value}` })),
    });
    const groups = groupReferrals([
      keyed('a', { name: 'Claire Green', phone: '07550 677672', relationship: 'former employer' }, 'Nurul Uddin', 'E1 1RH'),
      keyed('b', { name: 'Claire Gree', relationship: 'former employer' }, 'Uddin Nurul', 'e11rh'),
      // Two Julie McCarthys reporting different people: a name alone does not join one to the other.
      keyed('c1', { name: 'Julie McCarthy', phone: '07456 668745', relationship: 'neighbour' }, 'Khanh Ngo', 'IG11 1AA'),
      keyed('c2', { name: 'Ms Julie McCarthy', relationship: 'neighbour' }, 'Sohail Haidari', 'BB1 4BQ'),
      keyed('d', { name: 'Anthony Clarke', address: '70 Cross Avenue, Milton Keynes, MK3 8NF' }, 'Ali Rezai', 'MK3 8NF'),
      keyed('e', { name: 'Antony Clarke', address: 'flat 1, 70 cross av., milton keynes, MK38NF' }, 'Jon Doe', 'L1 1AA'),
      keyed('f', { name: 'Maryam Qureshi', address: '210 Palmerston Place, Newcastle upon Tyne, NE8 0JZ' }, 'Ali Rezai', 'NE8 1AA'),
      keyed('g', { name: 'Qureshi Maryam', address: '210 Palmerston Place, Newcastle upon Tyne' }, 'Bo Li', 'NE8 2AA'),
      keyed('h', { name: 'Ahmed Qureshi', address: '210 Palmerston Place, Newcastle upon Tyne' }, 'Bo Li', 'NE8 2AA'),
    ]);
    expect(groups.map((g) => g.ids.sort()).sort()).toEqual([['a', 'b'], ['d', 'e'], ['f', 'g']]);
  });

  it('does not link two people who share an email address but have different phones', () => {
    expect(groupReferrals([r('a', { email: 'family', phone: 'p1' }), r('b', { email: 'family', phone: 'p2' })])).toEqual([]);
  });

  it('attaches a name-only referral to the one group with that name, but never starts a group on a name', () => {
    const linked = groupReferrals([r('a', { phone: 'p1', sound_relationship: 'n1' }), r('b', { phone: 'p1', sound_relationship: 'n1' }), r('c', { sound_relationship: 'n1' })]);
    expect(linked[0]?.ids.sort()).toEqual(['a', 'b', 'c']);
    expect(groupReferrals([r('a', { sound_relationship: 'n1' }), r('b', { sound_relationship: 'n1' })])).toEqual([]);
    // Two groups with that name: ambiguous, so the name-only referral stays alone.
    const ambiguous = groupReferrals([r('a', { phone: 'p1', sound_relationship: 'n1' }), r('b', { phone: 'p1', sound_relationship: 'n1' }), r('x', { phone: 'p2', sound_relationship: 'n1' }), r('y', { phone: 'p2', sound_relationship: 'n1' }), r('c', { sound_relationship: 'n1' })]);
    expect(ambiguous.flatMap((g) => g.ids)).not.toContain('c');
  });
});
