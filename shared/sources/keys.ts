// The identifiers of a reporting person, normalised so that the same person is recognised across spelling and
// format variations ("Mrs Kelly Edwards" / "Kelly Edwaards", "0044 20 736 83353" / "(020) 73683353",
// "J.Cooper62@live.co.uk" / "jcooper62@live.co.uk"). The vault turns each into a keyed blind index (HMAC), so
// NSU can group referrals by the same person without anyone decrypting the details.
import { doubleMetaphone } from 'double-metaphone';
import { bareName } from './redact.ts';
import { foldName, normalisePhone, parseUkPostcode } from '../text/normalise.ts';
import { match as matchPostcodes } from 'postcode';

export interface SourceLike {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  relationship?: string | null;
  /** Further contact details of the source, and other people who reported (see redact.ts). */
  also?: ReadonlyArray<Omit<SourceLike, 'also'>> | null;
}

/**
 * strong: one of these alone says "same person" (a phone number, an email address, a name at a postcode, a house
 * at a postcode). weak: a name (as written, or as it sounds) with the same relationship to the subject; these
 * link a referral only to a group its strong keys do not contradict.
 */
export type SourceKeyKind =
  | 'phone'
  | 'email'
  | 'name_postcode'
  | 'house_postcode'
  | 'house_street'
  | 'name_relationship'
  | 'prefix_relationship'
  | 'sound_relationship'
  | 'initial_relationship'
  // Never used to link, only to tell two people apart: the postcode alone, and how the forename sounds.
  | 'postcode'
  | 'forename';

export interface SourceKey {
  kind: SourceKeyKind;
  value: string;
}

export function normaliseEmailForMatching(raw: string): string | null {
  const m = /^\s*([^@\s]+)@([^@\s]+)\s*$/.exec(raw.toLowerCase());
  if (!m) return null;
  // Dots and +tags in the local part are ignored by many providers and dropped by people; dots in the domain
  // are compared without them too, so "liveco.uk" (a dot lost) still meets "live.co.uk".
  const local = (m[1] as string).replace(/\+.*$/, '').replace(/\./g, '');
  const domain = (m[2] as string).replace(/\./g, '');
  return local && domain ? `${local}@${domain}` : null;
}

function nameTokens(name: string): string[] {
  return foldName(bareName(name))
    .split(' ')
    .filter((t) => t.length > 0);
}

function sound(token: string): string {
  const [primary] = doubleMetaphone(token);
  return primary || token.toUpperCase();
}

const STREET_WORDS: Record<string, string> = { rd: 'road', st: 'street', str: 'street', ave: 'avenue', av: 'avenue', ln: 'lane', dr: 'drive', cres: 'crescent', cl: 'close', ct: 'court', pl: 'place', gdns: 'gardens', sq: 'square', tce: 'terrace' };

/** "150 South Str, Glasgow, G23 0WF" and "150 South Street, Glasgow" -> "150|south street|glasgow". */
function houseStreetTown(address: string): string | null {
  const parts = address.split(',').map((p) => p.trim()).filter((p) => p && !parseUkPostcode(p).outward);
  const m = /^(?:flat\s+\w+\s+)?(\d+[a-z]?)\s+(.+)$/i.exec(parts[0] ?? '');
  if (!m || parts.length < 2) return null;
  const street = foldName(m[2] as string)
    .split(' ')
    .map((w) => STREET_WORDS[w] ?? w)
    .join(' ');
  const town = foldName(parts.at(-1) as string);
  return street && town ? `${(m[1] as string).toLowerCase()}|${street}|${town}` : null;
}

/** Kinds that say "same person" on their own: the only ones taken from further details (`also`). */
const STRONG: ReadonlySet<SourceKeyKind> = new Set(['phone', 'email', 'name_postcode', 'house_postcode', 'house_street']);

export function sourceKeys(s: SourceLike): SourceKey[] {
  const keys = keysOf(s);
  // Further details link a referral to whoever they belong to; the keys that only tell two people apart (a
  // postcode, how a forename sounds) stay the recorded source's, so a second person cannot contradict them.
  for (const other of s.also ?? []) {
    for (const k of keysOf({ ...other, name: other.name || s.name || null })) {
      if (STRONG.has(k.kind) && !keys.some((x) => x.kind === k.kind && x.value === k.value)) keys.push(k);
    }
  }
  return keys;
}

function keysOf(s: Omit<SourceLike, 'also'>): SourceKey[] {
  const keys: SourceKey[] = [];
  const add = (kind: SourceKeyKind, value: string | null | undefined) => {
    if (value) keys.push({ kind, value });
  };
  if (s.phone) {
    const p = normalisePhone(s.phone);
    if (p.national.length >= 9) add('phone', p.e164 ?? p.national);
  }
  if (s.email) add('email', normaliseEmailForMatching(s.email));

  const tokens = s.name ? nameTokens(s.name) : [];
  const full = tokens.filter((t) => t.length > 1);
  const rel = foldName(s.relationship ?? '');
  const postcodes = s.address ? matchPostcodes(s.address).map((p) => parseUkPostcode(p).postcode).filter((p): p is string => !!p) : [];
  const postcode = postcodes[0];
  if (postcode) {
    const compact = postcode.replace(' ', '');
    add('postcode', compact);
    if (full.length >= 2) add('name_postcode', `${[...full].sort().join(' ')}|${compact}`);
    const house = /^\s*(?:flat\s+\w+,?\s*)?(\d+[a-z]?)\b/i.exec(s.address ?? '')?.[1];
    if (house) add('house_postcode', `${house.toLowerCase()}|${compact}`);
  }
  const houseStreet = s.address ? houseStreetTown(s.address) : null;
  if (houseStreet) add('house_street', houseStreet);
  if (rel && full.length >= 2) {
    add('name_relationship', `${[...full].sort().join(' ')}|${rel}`);
    add('sound_relationship', `${full.map(sound).sort().join(' ')}|${rel}`);
  }
  if (full.length >= 2) add('forename', sound(full[0] as string));
  // "J. Cooper": an initial and a surname.
  if (rel && tokens.length >= 2) {
    const surname = tokens.at(-1) as string;
    const first = tokens[0] as string;
    if (surname.length > 1) add('initial_relationship', `${first[0]}|${sound(surname)}|${rel}`);
    // A dropped or doubled letter at the end of the surname ("Gree", "Edwaards") keeps its first four.
    if (surname.length >= 4) add('prefix_relationship', `${first[0]}|${surname.slice(0, 4)}|${rel}`);
  }
  return keys;
}
