// The identifiers of a reporting person, normalised so that the same person is recognised across spelling and
// format variations ("Mrs Kelly Edwards" / "Kelly Edwaards", "0044 20 736 83353" / "(020) 73683353",
// "J.Cooper62@live.co.uk" / "jcooper62@live.co.uk"). The vault turns each into a keyed blind index (HMAC), so
// NSU can group referrals by the same person without anyone decrypting the details.
import { doubleMetaphone } from 'double-metaphone';
import { bareName } from './redact.ts';
import { foldName, normalisePhone, parseUkPostcode } from '../text/normalise.ts';
import { match as matchPostcodes } from 'postcode';
import { nameGroupIds } from '../matching/nicknames.ts';

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
  | 'name_house'
  | 'name_relationship'
  | 'prefix_relationship'
  | 'sound_relationship'
  | 'initial_relationship'
  | 'near_relationship'
  // Never used to link, only to tell two people apart: the postcode alone, and how the forename sounds.
  | 'postcode'
  | 'forename'
  // Not the source's but what they reported (open data): the subject's name in any order, the subject's postcode.
  | 'subject_name'
  | 'subject_postcode';

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

/** Both of double metaphone's readings ("Anthony": AN0N and ANTN), so that either spelling meets the other. */
function sounds(token: string): string[] {
  const [primary, alternate] = doubleMetaphone(token);
  return [...new Set([primary || token.toUpperCase(), alternate || primary || token.toUpperCase()])];
}

/**
 * The name with one letter dropped from one of its words, every way (and as it stands): two names one typing
 * slip apart ("Gramt"/"Grant", "Yohn"/"John", "Deai"/"Desai") share one of these, which an exact-match index
 * can then find (a deletion neighbourhood).
 */
function nearNames(words: readonly string[]): string[] {
  const out = new Set<string>([[...words].sort().join(' ')]);
  words.forEach((w, i) => {
    if (w.length < 3) return;
    for (let j = 0; j < w.length; j++) {
      const next = [...words];
      next[i] = w.slice(0, j) + w.slice(j + 1);
      out.add(next.sort().join(' '));
    }
  });
  return [...out];
}

const STREET_WORDS: Record<string, string> = { rd: 'road', st: 'street', str: 'street', ave: 'avenue', av: 'avenue', ln: 'lane', dr: 'drive', cres: 'crescent', cl: 'close', ct: 'court', pl: 'place', gdns: 'gardens', sq: 'square', tce: 'terrace', terr: 'terrace', gr: 'grove', pk: 'park', wy: 'way' };

/**
 * The house and street of an address and its town, as written in any of the usual ways: "150 South Str, Glasgow,
 * G23 0WF", "150 South Street, Glasgow", "flat 1, 70 cross av., milton keynes" -> house "70", street
 * "cross avenue", town "milton keynes". A flat (its own part, or "Flat 1 70 …", or "(flat 1)") is left out: people
 * give it or not.
 */
function houseAndStreet(address: string): { house: string; street: string; town: string | null } | null {
  const parts = address
    .replace(/\([^)]*\)/g, ' ')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && !parseUkPostcode(p).outward && !/^flat\s+\w+$/i.test(p));
  const m = /^(?:flat\s+\w+\s+)?(?:\d+[a-z]?\/)?(\d+[a-z]?)\s+(.+)$/i.exec(parts[0] ?? '');
  if (!m) return null;
  const street = foldName(m[2] as string)
    .split(' ')
    .map((w) => STREET_WORDS[w] ?? w)
    .join(' ');
  if (!street) return null;
  return { house: (m[1] as string).toLowerCase(), street, town: parts.length >= 2 ? foldName(parts.at(-1) as string) || null : null };
}

/** Kinds that say "same person" on their own: the only ones taken from further details (`also`). */
const STRONG: ReadonlySet<SourceKeyKind> = new Set(['phone', 'email', 'name_postcode', 'house_postcode', 'house_street', 'name_house']);

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
  const place = s.address ? houseAndStreet(s.address) : null;
  if (postcode) {
    const compact = postcode.replace(' ', '');
    add('postcode', compact);
    if (full.length >= 2) add('name_postcode', `${[...full].sort().join(' ')}|${compact}`);
    const house = place?.house ?? /^\s*(?:flat\s+\w+,?\s*)?(\d+[a-z]?)\b/i.exec(s.address ?? '')?.[1];
    if (house) add('house_postcode', `${house.toLowerCase()}|${compact}`);
  }
  if (place?.town) add('house_street', `${place.house}|${place.street}|${place.town}`);
  // A name at a house in a street: the letter-writer who gives neither phone nor email nor postcode every time.
  if (place && full.length >= 2) add('name_house', `${[...full].sort().join(' ')}|${place.house}|${place.street}`);
  if (rel && full.length >= 2) {
    add('name_relationship', `${[...full].sort().join(' ')}|${rel}`);
    add('sound_relationship', `${full.map(sound).sort().join(' ')}|${rel}`);
    for (const near of nearNames(full)) add('near_relationship', `${near}|${rel}`);
  }
  if (full.length >= 2) {
    // Ways two forenames can be one person's: how it sounds (either reading), one typing slip ("Kieram"), the same
    // name in another form ("Liz", "Elizabeth"), and the whole name in any order ("Qureshi Maryam"). Two referrals
    // contradict on the forename only when they share none of these.
    const forename = full[0] as string;
    for (const code of sounds(forename)) add('forename', code);
    for (const near of forename.length >= 4 ? nearNames([forename]) : [forename]) add('forename', `near:${near}`);
    for (const group of nameGroupIds(forename)) add('forename', `group:${group}`);
    add('forename', `name:${full.map(sound).sort().join(' ')}`);
  }
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

/**
 * What a referral reports, as keys: each subject's name (its words in any order: "Uddin Nurul" is "Nurul Uddin")
 * and the postcodes of the allegation's addresses. People who report again often report the same person again, so
 * a name that matches and a subject that matches together say more than the name alone (referrer-groups.ts).
 */
export function reportedKeys(subjects: ReadonlyArray<{ forename?: string | null; surname?: string | null }>, postcodes: ReadonlyArray<string | null | undefined>): SourceKey[] {
  const keys = new Map<string, SourceKey>();
  const add = (kind: SourceKeyKind, value: string) => keys.set(`${kind}\u0000${value}`, { kind, value });
  for (const s of subjects) {
    const words = foldName(`${s.forename ?? ''} ${s.surname ?? ''}`)
      .split(' ')
      .filter((w) => w.length > 1);
    if (words.length >= 2) add('subject_name', words.sort().join(' '));
  }
  for (const raw of postcodes) {
    const postcode = raw ? parseUkPostcode(raw).postcode : null;
    if (postcode) add('subject_postcode', postcode.replace(' ', ''));
  }
  return [...keys.values()];
}
