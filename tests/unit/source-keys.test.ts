import { describe, expect, it } from 'vitest';
import { normaliseEmailForMatching, sourceKeys } from '../../shared/sources/keys.ts';
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

  it('links referrals that share a phone or an email', () => {
    const groups = groupReferrals([r('a', { phone: 'p1' }), r('b', { phone: 'p1', email: 'e1' }), r('c', { email: 'e1' }), r('d', { phone: 'p9' })]);
    expect(groups).toEqual([{ ids: expect.arrayContaining(['a', 'b', 'c']), linkedBy: expect.arrayContaining(['phone', 'email']) }]);
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
