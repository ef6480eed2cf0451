// Comparing two allegations: who they are about (every subject against every subject), where (addresses),
// which identifiers they hold (phones, emails, vehicles, flights — on the form or found in the account, notes
// and attachment text) and which businesses. The result is a score, a label (likely duplicate: the same
// subject reported again; possible associate: linked through a subject in another role, an address, an
// employer or an identifier) and the evidence, line by line, for the panel.
import { compareAddress, prepareAddress, type AddressInput, type PreparedAddress } from './address.ts';
import { businessKey, compareBusinessKeys } from './business.ts';
import type { Evidence } from './evidence.ts';
import type { Frequencies, FrequencyKind } from './frequency.ts';
import { compareIdentity, preparePerson, type PreparedPerson } from './person.ts';
import { probability, SUGGEST_THRESHOLD } from './score.ts';
import { ALLEGATION } from './weights.ts';
import { findIdentifiers } from '../text/identifiers.ts';
import { normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm } from '../text/normalise.ts';

/** What matching needs of an allegation, stored or being typed. Shaped like the submission format. */
export interface AllegationDraft {
  receivedAt?: string | null;
  subjects?: ReadonlyArray<{
    role?: string;
    forename?: string;
    middleNames?: string;
    surname?: string;
    knownAs?: string;
    aliases?: readonly string[];
    dob?: string | null;
    approxAge?: number | null;
    gender?: string;
    nationality?: string;
  }>;
  addresses?: ReadonlyArray<{ type?: string; line1?: string; line2?: string; town?: string; postcode?: string }>;
  businesses?: ReadonlyArray<{ name: string; type?: string; address?: { line1?: string; line2?: string; town?: string; postcode?: string } | null }>;
  phones?: readonly string[];
  emails?: readonly string[];
  vehicles?: readonly string[];
  flights?: readonly string[];
  freeText?: string;
  notes?: ReadonlyArray<{ text: string }>;
  /** Attachment text: legacy OCR, or OCR/text layer of each page. */
  attachmentTexts?: readonly string[];
}

export interface ProfileSubject {
  role: string;
  forename: string;
  middleNames: string;
  surname: string;
  knownAs: string;
  aliases: string[];
  dob: string | null;
  approxAge: number | null;
  gender: string;
  nationality: string;
}

/**
 * The compact, JSON-storable form of an allegation that matching works on: names as written (preparation is
 * cheap and keeps the profile readable), identifiers already normalised.
 */
export interface MatchProfile {
  v: 1;
  receivedAt: string | null;
  subjects: ProfileSubject[];
  addresses: Array<AddressInput & { type: string }>;
  businesses: Array<{ name: string; key: string; address: AddressInput | null }>;
  phones: string[];
  emails: string[];
  vehicles: string[];
  flights: string[];
  /** Identifiers found in the account, notes and attachment text (not already on the form). */
  text: { phones: string[]; emails: string[]; vehicles: string[]; flights: string[]; postcodes: string[] };
}

const uniq = (xs: Iterable<string>) => [...new Set([...xs].filter(Boolean))];

/** Vehicle marks read by eye or OCR confuse O/0, I/1, S/5, B/8: compared in one canonical reading. */
export function vrmReading(vrm: string): string {
  return vrm.replace(/O/g, '0').replace(/I/g, '1').replace(/S/g, '5').replace(/B/g, '8');
}

export function buildProfile(d: AllegationDraft): MatchProfile {
  const phones = uniq((d.phones ?? []).map((p) => normalisePhone(p).national));
  const emails = uniq((d.emails ?? []).map(normaliseEmail));
  const vehicles = uniq((d.vehicles ?? []).map(normaliseVrm));
  const flights = uniq((d.flights ?? []).map((f) => normaliseFlightNumber(f) ?? ''));
  const text = { phones: new Set<string>(), emails: new Set<string>(), vehicles: new Set<string>(), flights: new Set<string>(), postcodes: new Set<string>() };
  const texts = [d.freeText ?? '', ...(d.notes ?? []).map((n) => n.text), ...(d.attachmentTexts ?? [])];
  for (const t of texts) {
    for (const id of findIdentifiers(t)) {
      if (id.kind === 'phone' && !phones.includes(id.value)) text.phones.add(id.value);
      else if (id.kind === 'email' && !emails.includes(id.value)) text.emails.add(id.value);
      else if (id.kind === 'vrm' && !vehicles.includes(id.value)) text.vehicles.add(id.value);
      else if (id.kind === 'flight' && !flights.includes(id.value)) text.flights.add(id.value);
      else if (id.kind === 'postcode') text.postcodes.add(id.value);
    }
  }
  return {
    v: 1,
    receivedAt: d.receivedAt ?? null,
    subjects: (d.subjects ?? [])
      .map((s) => ({
        role: s.role ?? 'main',
        forename: s.forename ?? '',
        middleNames: s.middleNames ?? '',
        surname: s.surname ?? '',
        knownAs: s.knownAs ?? '',
        aliases: [...(s.aliases ?? [])],
        dob: s.dob ?? null,
        approxAge: s.approxAge ?? null,
        gender: s.gender ?? 'U',
        nationality: s.nationality ?? '',
      }))
      .filter((s) => s.forename || s.surname || s.knownAs),
    addresses: (d.addresses ?? [])
      .map((a) => ({ type: a.type ?? 'home', line1: a.line1 ?? '', line2: a.line2 ?? '', town: a.town ?? '', postcode: a.postcode ?? '' }))
      .filter((a) => a.line1 || a.line2 || a.postcode),
    businesses: (d.businesses ?? [])
      .map((b) => ({ name: b.name, key: businessKey(b.name), address: b.address ? { line1: b.address.line1 ?? '', line2: b.address.line2 ?? '', town: b.address.town ?? '', postcode: b.address.postcode ?? '' } : null }))
      .filter((b) => b.key),
    phones,
    emails,
    vehicles,
    flights,
    text: { phones: [...text.phones], emails: [...text.emails], vehicles: [...text.vehicles], flights: [...text.flights], postcodes: [...text.postcodes] },
  };
}

export interface PreparedAllegation {
  profile: MatchProfile;
  subjects: Array<{ role: string; person: PreparedPerson }>;
  addresses: Array<{ type: string; address: PreparedAddress }>;
  businesses: Array<{ name: string; key: string; address: PreparedAddress | null }>;
}

export function prepareAllegation(profile: MatchProfile): PreparedAllegation {
  const statedOn = profile.receivedAt?.slice(0, 10) ?? null;
  return {
    profile,
    subjects: profile.subjects.map((s) => ({ role: s.role, person: preparePerson({ ...s, statedOn }) })),
    addresses: profile.addresses.map((a) => ({ type: a.type, address: prepareAddress(a) })),
    businesses: profile.businesses.map((b) => ({ name: b.name, key: b.key, address: b.address ? prepareAddress(b.address) : null })),
  };
}

export const LINK_LABELS = ['likely_duplicate', 'possible_associate', 'weak'] as const;
export type LinkLabel = (typeof LINK_LABELS)[number];

export interface SubjectLink {
  /** Indexes into each allegation's subjects. */
  a: number;
  b: number;
  roleA: string;
  roleB: string;
  weight: number;
}

export interface AllegationComparison {
  weight: number;
  score: number;
  label: LinkLabel;
  /** The pair of subjects that agree best, when any do. */
  subjects: SubjectLink | null;
  evidence: Evidence[];
}

const sum = (es: readonly Evidence[]) => es.reduce((w, e) => w + e.weight, 0);

/** Caps a group of correlated evidence (postcode, street and number say "same address" once, not three times). */
function capped(es: Evidence[], cap: number, floor: number): Evidence[] {
  const total = sum(es);
  if (total <= cap && total >= floor) return es;
  const scale = (total > cap ? cap : floor) / total;
  return es.map((e) => ({ ...e, weight: e.weight * scale }));
}

function bestSubjects(a: PreparedAllegation, b: PreparedAllegation, freq: Frequencies): { link: SubjectLink; evidence: Evidence[] } | null {
  let best: { link: SubjectLink; evidence: Evidence[] } | null = null;
  a.subjects.forEach((sa, i) => {
    b.subjects.forEach((sb, j) => {
      const c = compareIdentity(sa.person, sb.person, freq, { nameCap: ALLEGATION.nameCap });
      if (!c.namesAgree) return;
      // Prefer the main subjects when two pairs are about as good.
      const bonus = sa.role === 'main' && sb.role === 'main' ? 0.5 : 0;
      if (!best || c.weight + bonus > best.link.weight + (best.link.roleA === 'main' && best.link.roleB === 'main' ? 0.5 : 0)) {
        best = { link: { a: i, b: j, roleA: sa.role, roleB: sb.role, weight: c.weight }, evidence: c.evidence };
      }
    });
  });
  return best;
}

function bestAddress(as: ReadonlyArray<{ address: PreparedAddress }>, bs: ReadonlyArray<{ address: PreparedAddress }>, freq: Frequencies): Evidence[] {
  let best: Evidence[] = [];
  let bestW = Number.NEGATIVE_INFINITY;
  for (const a of as) {
    for (const b of bs) {
      const es = compareAddress(a.address, b.address, freq, { disagreement: ALLEGATION.addressDisagreement, townCap: ALLEGATION.townCap, unlocatedStreetCap: ALLEGATION.unlocatedStreetCap });
      const w = sum(es);
      if (w > bestW) {
        bestW = w;
        best = es;
      }
    }
  }
  return best;
}

function sharedIdentifiers(a: MatchProfile, b: MatchProfile): Evidence[] {
  const out: Evidence[] = [];
  const check = (field: Evidence['field'], fa: string[], ta: string[], fb: string[], tb: string[], formBits: number, textBits: number) => {
    const inB = new Set([...fb, ...tb]);
    const formB = new Set(fb);
    for (const v of uniq([...fa, ...ta])) {
      if (!inB.has(v)) continue;
      const bothForm = fa.includes(v) && formB.has(v);
      out.push({ field, level: bothForm ? 'exact' : 'exact_in_text', weight: bothForm ? formBits : textBits, a: v, b: v });
    }
  };
  check('phone', a.phones, a.text.phones, b.phones, b.text.phones, ALLEGATION.phone, ALLEGATION.phoneInText);
  check('email', a.emails, a.text.emails, b.emails, b.text.emails, ALLEGATION.email, ALLEGATION.emailInText);
  check('flight', a.flights, a.text.flights, b.flights, b.text.flights, ALLEGATION.flight, ALLEGATION.flightInText);
  // Vehicles compare in the canonical reading, so a misread 0/O still agrees (a little less).
  const vb = new Map<string, string>();
  for (const v of [...b.vehicles, ...b.text.vehicles]) vb.set(vrmReading(v), v);
  for (const v of uniq([...a.vehicles, ...a.text.vehicles])) {
    const other = vb.get(vrmReading(v));
    if (!other) continue;
    const onForm = a.vehicles.includes(v) && b.vehicles.includes(other);
    const weight = (other === v ? ALLEGATION.vehicle : ALLEGATION.vehicleMisread) - (onForm ? 0 : ALLEGATION.inTextDiscount);
    out.push({ field: 'vehicle', level: other === v ? (onForm ? 'exact' : 'exact_in_text') : 'misread', weight, a: v, b: other });
  }
  // Each kind of identifier counts once: a second shared phone adds little to the first.
  const seen = new Set<string>();
  return out
    .sort((x, y) => y.weight - x.weight)
    .map((e) => {
      if (seen.has(e.field)) return { ...e, weight: e.weight * 0.25 };
      seen.add(e.field);
      return e;
    });
}

function sharedBusinesses(a: PreparedAllegation, b: PreparedAllegation, freq: Frequencies): Evidence[] {
  let best: Evidence[] = [];
  let bestW = 0;
  for (const x of a.businesses) {
    for (const y of b.businesses) {
      const level = compareBusinessKeys(x.key, y.key);
      if (level === 'different') continue;
      const name: Evidence = {
        field: 'business',
        level,
        weight: level === 'exact' ? Math.min(ALLEGATION.businessNameCap, Math.log2(0.8 / freq.share('business', x.key))) : ALLEGATION.businessSimilar,
        a: x.name,
        b: y.name,
      };
      const where = x.address && y.address ? capped(compareAddress(x.address, y.address, freq, { disagreement: ALLEGATION.addressDisagreement, townCap: ALLEGATION.townCap, unlocatedStreetCap: ALLEGATION.unlocatedStreetCap }), ALLEGATION.businessAddressCap, -3) : [];
      const es = [name, ...where];
      const w = sum(es);
      if (w > bestW) {
        bestW = w;
        best = es;
      }
    }
  }
  return best;
}

/** A postcode written in one allegation's text that is an address on the other's form (or in its text). */
function postcodesInText(a: PreparedAllegation, b: PreparedAllegation, addressAgreed: boolean): Evidence[] {
  if (addressAgreed) return [];
  const formA = new Set(a.addresses.map((x) => x.address.postcode).filter((p): p is string => !!p));
  const formB = new Set(b.addresses.map((x) => x.address.postcode).filter((p): p is string => !!p));
  for (const p of a.profile.text.postcodes) if (formB.has(p)) return [{ field: 'postcode', level: 'exact_in_text', weight: ALLEGATION.postcodeInText, a: p, b: p }];
  for (const p of b.profile.text.postcodes) if (formA.has(p)) return [{ field: 'postcode', level: 'exact_in_text', weight: ALLEGATION.postcodeInText, a: p, b: p }];
  return [];
}

/** @param population how many allegations the store holds (the prior: score.ts). */
export function compareAllegations(a: PreparedAllegation, b: PreparedAllegation, freq: Frequencies, population?: number): AllegationComparison {
  const evidence: Evidence[] = [];
  const subjects = bestSubjects(a, b, freq);
  if (subjects) evidence.push(...subjects.evidence);
  const address = capped(bestAddress(a.addresses, b.addresses, freq), ALLEGATION.addressCap, ALLEGATION.addressFloor);
  evidence.push(...address);
  const addressAgreed = address.some((e) => e.field === 'postcode' && e.weight > 0);
  evidence.push(...postcodesInText(a, b, addressAgreed));
  evidence.push(...sharedIdentifiers(a.profile, b.profile));
  evidence.push(...sharedBusinesses(a, b, freq));
  const weight = sum(evidence);
  const score = probability(weight, population);
  const link = subjects?.link ?? null;
  const sameSubject = !!link && link.roleA === 'main' && link.roleB === 'main' && link.weight >= ALLEGATION.duplicateSubjectBits;
  const label: LinkLabel = score < SUGGEST_THRESHOLD ? 'weak' : sameSubject ? 'likely_duplicate' : 'possible_associate';
  return { weight, score, label, subjects: link, evidence };
}

/** The values an allegation adds to the frequency statistics, as the comparisons look them up. */
export function statValues(p: PreparedAllegation): Array<[FrequencyKind, string]> {
  const out: Array<[FrequencyKind, string]> = [];
  for (const { person } of p.subjects) {
    for (const t of person.family) out.push(['surname', t]);
    if (person.familyAll.length > 1) out.push(['surname', person.familyAll.join('')]);
    for (const t of person.given) out.push(['forename', t]);
    if (person.dob) out.push(['dob', person.dob.digits]);
    if (person.nationality) out.push(['nationality', person.nationality]);
  }
  const addresses = [...p.addresses.map((a) => a.address), ...p.businesses.map((b) => b.address).filter((a): a is PreparedAddress => !!a)];
  for (const a of addresses) {
    if (a.postcode) out.push(['postcode', a.postcode]);
    if (a.district) out.push(['district', a.district]);
    if (a.street) out.push(['street', a.street]);
    if (a.number) out.push(['number', a.number]);
    if (a.town) out.push(['town', a.town]);
  }
  for (const b of p.businesses) out.push(['business', b.key]);
  return out;
}
