// Blocking: the cheap keys that decide which pairs get compared at all. A pair is compared when it shares any
// key, so every kind of error needs a key that survives it: a surname typo keeps the forename's and the date
// of birth's keys, swapped names keep both name keys (names are keyed whichever box they were written in), a
// day/month swap keeps the names and the postcode. Keys are strings with a prefix saying what they are.
import type { PreparedPerson } from './person.ts';
import type { PreparedAddress } from './address.ts';
import { phoneticCodes } from './strings.ts';
import { nameSkeleton } from './names.ts';
import { nameGroupIds } from './nicknames.ts';

/** Keys for a name token: its Double Metaphone codes and its spelling skeleton (typos often keep one of them). */
export function nameKeys(token: string): string[] {
  if (token.length < 2) return [];
  const keys = phoneticCodes(token).map((c) => `n:${c}`);
  keys.push(`k:${nameSkeleton(token)}`);
  for (const g of nameGroupIds(token)) keys.push(`g:${g}`);
  return keys;
}

export function personKeys(p: PreparedPerson): string[] {
  const keys = new Set<string>();
  const surname = p.family.join('') || null;
  for (const t of [...p.family, ...p.given.slice(0, 2)]) for (const k of nameKeys(t)) keys.add(k);
  if (p.familyAll.length > 1) for (const k of nameKeys(p.familyAll.join(''))) keys.add(k);
  if (p.dob) {
    keys.add(`d:${p.dob.digits}`);
    // Day and month swapped, and one part mistyped, each keep one of these.
    keys.add(`dy:${p.dob.y}${p.primary?.[0] ?? ''}${surname?.[0] ?? ''}`);
    keys.add(`dmd:${p.dob.m}-${p.dob.d}`);
    keys.add(`ym:${p.dob.y}-${p.dob.m}`);
  }
  return [...keys];
}

export function addressKeys(a: PreparedAddress): string[] {
  const keys: string[] = [];
  if (a.postcode && a.number) keys.push(`pn:${a.postcode}|${a.number}`);
  if (a.street && a.number) keys.push(`sn:${a.street}|${a.number}`);
  return keys;
}

/** An identifier number (or email) keys its exact value and its first characters (typos later in it). */
export function idKeys(id: string): string[] {
  return id.length >= 6 ? [`i:${id}`, `ip:${id.slice(0, 4)}`] : [`i:${id}`];
}
