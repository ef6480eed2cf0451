// Blocking keys for allegations. The store keeps one set per allegation (storedKeys); a lookup asks with a
// wider set (queryKeys) that also covers what the stored side cannot foresee: names written the other way
// round, a nickname with another initial, day and month swapped. Keys that hold too many allegations to mean
// anything (a common surname alone, at a million records) are skipped by the lookup, so every error has a
// narrower key too: surname+initial, surname+birth year, forename+birth year, forename+district.
import type { MatchProfile } from './allegation.ts';
import { vrmReading } from './allegation.ts';
import { prepareAddress } from './address.ts';
import { parseDob } from './dates.ts';
import { nameSkeleton, nameTokens, significantTokens } from './names.ts';
import { nameGroupIds, nameGroupInitials } from './nicknames.ts';
import { phoneticCodes } from './strings.ts';

const GROUP_INITIALS = nameGroupInitials();

/** The phonetic codes of a token (both Double Metaphone readings: Jalal is JLL or ALL, Yalal ALL), or the token. */
function codes(token: string): readonly string[] {
  const c = phoneticCodes(token);
  return c.length ? c : [token];
}

interface SubjectKeyParts {
  surnames: string[];
  forenames: string[];
  birthYear: number | null;
  dob: string | null;
  dobSwapped: string | null;
}

function subjectParts(s: MatchProfile['subjects'][number], receivedAt: string | null): SubjectKeyParts {
  let family = significantTokens(nameTokens(s.surname)).filter((t) => t.length >= 2);
  let given = [...nameTokens(s.forename), ...nameTokens(s.knownAs)].filter((t) => t.length >= 2);
  if (!family.length && given.length >= 2) {
    family = [given[given.length - 1] as string];
    given = given.slice(0, -1);
  }
  const dob = parseDob(s.dob);
  const year = dob?.y ?? (s.approxAge != null && receivedAt ? Number(receivedAt.slice(0, 4)) - s.approxAge : null);
  const dobSwapped = dob && dob.d <= 12 && dob.d !== dob.m ? `${dob.y}${String(dob.d).padStart(2, '0')}${String(dob.m).padStart(2, '0')}` : null;
  return { surnames: family, forenames: given.slice(0, 2), birthYear: year, dob: dob?.digits ?? null, dobSwapped };
}

function districts(p: MatchProfile): string[] {
  const out = new Set<string>();
  for (const a of p.addresses) {
    const d = prepareAddress(a).district;
    if (d) out.add(d);
  }
  return [...out];
}

function nameKeysFor(surnames: readonly string[], forenames: readonly string[], year: number | null, dists: readonly string[], out: Set<string>, initials: (f: string) => string[]): void {
  for (const s of surnames) {
    out.add(`sk:${nameSkeleton(s)}`);
    for (const sc of codes(s)) {
      out.add(`s:${sc}`);
      if (year != null) out.add(`sy:${sc}|${year}`);
      for (const f of forenames) for (const i of initials(f)) out.add(`sf:${sc}|${i}`);
      if (!forenames.length) for (const d of dists) out.add(`sd:${sc}|${d}`);
    }
  }
  for (const f of forenames) {
    for (const fc of codes(f)) {
      // A surname typo that changes its sound keeps the forename and the surname's first letter.
      for (const s of surnames) out.add(`fi:${fc}|${s[0]}`);
      if (year != null) out.add(`fy:${fc}|${year}`);
      for (const d of dists) out.add(`fd:${fc}|${d}`);
    }
  }
}

function identifierKeys(p: MatchProfile, out: Set<string>): void {
  for (const a of p.addresses) {
    const pa = prepareAddress(a);
    if (pa.postcode && pa.postcode.includes(' ')) out.add(`pc:${pa.postcode}`);
    if (pa.street && pa.number) out.add(`sn:${pa.street}|${pa.number}`);
  }
  for (const v of [...p.phones, ...p.text.phones]) if (v.length >= 9) out.add(`ph:${v}`);
  for (const v of [...p.emails, ...p.text.emails]) out.add(`em:${v}`);
  for (const v of [...p.vehicles, ...p.text.vehicles]) if (v.length >= 4) out.add(`v:${vrmReading(v)}`);
  for (const v of [...p.flights, ...p.text.flights]) out.add(`fl:${v}`);
  for (const b of p.businesses) out.add(`b:${b.key}`);
}

/** The keys an allegation is filed under. */
export function storedKeys(p: MatchProfile): string[] {
  const out = new Set<string>();
  const dists = districts(p);
  for (const s of p.subjects) {
    const k = subjectParts(s, p.receivedAt);
    nameKeysFor(k.surnames, k.forenames, k.birthYear, dists, out, (f) => [f[0] as string]);
    if (k.dob) out.add(`d:${k.dob}`);
  }
  identifierKeys(p, out);
  return [...out];
}

/** The keys to look up for an allegation: its own, plus swapped names, nickname initials, swapped day/month. */
export function queryKeys(p: MatchProfile): string[] {
  const out = new Set<string>(storedKeys(p));
  const dists = districts(p);
  // A nickname may start with another letter (Bill/William): add the initials of every name in its groups.
  const initials = (f: string) => {
    const set = new Set([f[0] as string]);
    for (const g of nameGroupIds(f)) for (const name of GROUP_INITIALS.get(g) ?? []) set.add(name);
    return [...set];
  };
  for (const s of p.subjects) {
    const k = subjectParts(s, p.receivedAt);
    nameKeysFor(k.surnames, k.forenames, k.birthYear, dists, out, initials);
    // Written the other way round: forenames as surnames and the surname as a forename.
    nameKeysFor(k.forenames, k.surnames, k.birthYear, dists, out, (f) => [f[0] as string]);
    if (k.dobSwapped) out.add(`d:${k.dobSwapped}`);
  }
  return [...out];
}
