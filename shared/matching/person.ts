// Pairwise comparison of two people by who they are: names (with nicknames, transliterations, typos, sound,
// initials and forename/surname written the other way round), date of birth or stated age, gender and
// nationality. Where they live and what numbers they use are compared by address.ts and by the allegation
// scorer; the FEBRL linkage adds the address to this.
import { compareDob, parseDob, type Dob } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { Frequencies } from './frequency.ts';
import { bestTokenMatch, betterLevel, compareJoined, compareNameTokens, nameTokens, significantTokens, type NameLevel } from './names.ts';
import { ageGapBits, dobBits, forenameBits, GENDER_AGREE_BITS, GENDER_DIFFER_BITS, nationalityBits, surnameBits, SWAPPED_NAMES_BITS } from './weights.ts';
import { foldName } from '../text/normalise.ts';

export interface PersonInput {
  forename?: string | null;
  middleNames?: string | null;
  surname?: string | null;
  knownAs?: string | null;
  aliases?: readonly string[] | null;
  /** YYYY-MM-DD or YYYYMMDD. */
  dob?: string | null;
  approxAge?: number | null;
  /** When the age was stated (YYYY-MM-DD...), to turn it into a birth year. */
  statedOn?: string | null;
  gender?: string | null;
  nationality?: string | null;
}

export interface PreparedPerson {
  /** First forename token: the name the person goes by, most often. */
  primary: string | null;
  /** Every given-name token: forenames, middle names, known-as names, aliases' first names. */
  given: string[];
  /** Surname tokens without particles, and all of them (for the joined comparison). */
  family: string[];
  familyAll: string[];
  dob: Dob | null;
  /** Birth year from a stated age, when there is no date of birth. */
  birthYear: number | null;
  gender: 'M' | 'F' | null;
  nationality: string;
  /** As written, for the explanation. */
  forenameText: string;
  surnameText: string;
  dobText: string;
}

export function preparePerson(p: PersonInput): PreparedPerson {
  const fore = nameTokens(p.forename);
  const middle = nameTokens(p.middleNames);
  const known = nameTokens(p.knownAs);
  const aliasFirst = (p.aliases ?? []).map((a) => nameTokens(a)[0]).filter((t): t is string => !!t);
  let familyAll = nameTokens(p.surname);
  let given = [...fore, ...middle, ...known, ...aliasFirst];
  // A whole name typed into the forename box ("Ahmed Khan", no surname): the last word is the surname.
  if (!familyAll.length && fore.length >= 2) {
    familyAll = [fore[fore.length - 1] as string];
    given = [...fore.slice(0, -1), ...middle, ...known, ...aliasFirst];
  }
  const dob = parseDob(p.dob);
  let birthYear: number | null = null;
  if (!dob && p.approxAge != null && p.statedOn) {
    const year = Number(p.statedOn.slice(0, 4));
    if (Number.isFinite(year)) birthYear = year - p.approxAge;
  }
  const g = (p.gender ?? '').toUpperCase();
  return {
    primary: given[0] ?? null,
    given: [...new Set(given)],
    family: significantTokens(familyAll),
    familyAll,
    dob,
    birthYear,
    gender: g === 'M' || g === 'F' ? g : null,
    nationality: foldName(p.nationality),
    forenameText: [p.forename, p.middleNames].filter(Boolean).join(' ') + (p.knownAs ? ` ("${p.knownAs}")` : ''),
    surnameText: p.surname ?? '',
    dobText: dob ? `${dob.digits.slice(0, 4)}-${dob.digits.slice(4, 6)}-${dob.digits.slice(6)}` : p.approxAge != null ? `aged about ${p.approxAge}` : '',
  };
}

interface NamePart {
  level: NameLevel;
  weight: number;
  a: string;
  b: string;
}

type NameKind = 'surname' | 'forename';

function namePart(kind: NameKind, level: NameLevel, a: string, b: string, freq: Frequencies): NamePart {
  const bits = kind === 'surname' ? surnameBits : forenameBits;
  return { level, a, b, weight: bits({ level, shareA: freq.share(kind, a), shareB: freq.share(kind, b), shorter: Math.min(a.length, b.length) }) };
}

/** Surnames: the closest pair of significant tokens, or the whole surnames joined ("Abdul Rahman"/"Abdulrahman"). */
function surnamePart(a: PreparedPerson, b: PreparedPerson, freq: Frequencies): NamePart | null {
  if (!a.family.length || !b.family.length) return null;
  const tok = bestTokenMatch(a.family, b.family);
  let level: NameLevel = tok?.level ?? 'different';
  let va = tok?.a ?? (a.family[0] as string);
  let vb = tok?.b ?? (b.family[0] as string);
  const joined = compareJoined(a.familyAll, b.familyAll);
  if (joined !== 'different' && betterLevel(joined, level)) {
    level = joined;
    va = a.familyAll.join('');
    vb = b.familyAll.join('');
  }
  return namePart('surname', level, va, vb, freq);
}

/** Forenames: first names compared; a middle or known-as name used instead counts as an equivalent. */
function forenamePart(a: PreparedPerson, b: PreparedPerson, freq: Frequencies): NamePart | null {
  if (!a.primary || !b.primary) return null;
  let level = compareNameTokens(a.primary, b.primary);
  let va = a.primary;
  let vb = b.primary;
  if (level !== 'exact') {
    const other = bestTokenMatch(a.given, b.given);
    if (other && (other.level === 'exact' || other.level === 'equivalent') && betterLevel('typo', level)) {
      level = 'equivalent';
      va = other.a;
      vb = other.b;
    }
  }
  return namePart('forename', level, va, vb, freq);
}

/** One side's first name against the other's surname, for names written the other way round. */
function crossPart(kind: NameKind, given: string | null, family: readonly string[], freq: Frequencies): NamePart | null {
  if (!given || !family.length) return null;
  const m = bestTokenMatch([given], family);
  return m ? namePart(kind, m.level, m.a, m.b, freq) : null;
}

export interface IdentityComparison {
  weight: number;
  evidence: Evidence[];
  /** The names agree at least roughly (both parts, or one part with the other missing). */
  namesAgree: boolean;
  swapped: boolean;
}

export interface IdentityOptions {
  /**
   * Most bits the names together may give. Forename and surname frequencies multiply only if names are
   * independent; in allegations both follow the person's community, so strangers share a full name far more
   * often than the product of the two shares says. Unset: no cap (registers of independent names).
   */
  nameCap?: number;
}

export function compareIdentity(a: PreparedPerson, b: PreparedPerson, freq: Frequencies, opts: IdentityOptions = {}): IdentityComparison {
  const evidence: Evidence[] = [];
  // Names, in the written order and crossed (a part missing on either side counts nothing either way).
  const sur = surnamePart(a, b, freq);
  const fore = forenamePart(a, b, freq);
  const straight = (sur?.weight ?? 0) + (fore?.weight ?? 0);
  const crossSur = crossPart('surname', b.primary, a.family, freq);
  const crossFore = crossPart('forename', a.primary, b.family, freq);
  const crossUseful = [crossSur, crossFore].some((p) => p && p.level !== 'different' && p.level !== 'initial');
  const crossed = (crossSur?.weight ?? 0) + (crossFore?.weight ?? 0) + SWAPPED_NAMES_BITS;
  let swapped = false;
  let namesAgree: boolean;
  if (crossUseful && crossed > straight + 1) {
    swapped = true;
    if (crossSur) evidence.push({ field: 'surname', level: crossSur.level, weight: crossSur.weight, a: crossSur.b, b: crossSur.a });
    if (crossFore) evidence.push({ field: 'forename', level: crossFore.level, weight: crossFore.weight, a: crossFore.a, b: crossFore.b });
    evidence.push({ field: 'name_order', level: 'swapped', weight: SWAPPED_NAMES_BITS, a: `${a.forenameText} ${a.surnameText}`.trim(), b: `${b.forenameText} ${b.surnameText}`.trim() });
    namesAgree = (crossSur?.level ?? 'exact') !== 'different' && (crossFore?.level ?? 'exact') !== 'different';
  } else {
    if (sur) evidence.push({ field: 'surname', level: sur.level, weight: sur.weight, a: a.surnameText || sur.a, b: b.surnameText || sur.b });
    if (fore) evidence.push({ field: 'forename', level: fore.level, weight: fore.weight, a: fore.a, b: fore.b });
    namesAgree = (sur ? sur.level !== 'different' : true) && (fore ? fore.level !== 'different' : true) && !!(sur || fore);
  }

  if (opts.nameCap !== undefined) {
    const names = evidence.filter((e) => e.field === 'surname' || e.field === 'forename');
    const positive = names.reduce((w, e) => w + Math.max(0, e.weight), 0);
    if (positive > opts.nameCap) for (const e of names) if (e.weight > 0) e.weight *= opts.nameCap / positive;
    // A first name with no surname on one side identifies nobody on its own.
    if ((!a.family.length || !b.family.length) && !swapped) for (const e of names) if (e.weight > 0) e.weight *= 0.5;
  }

  if (a.dob && b.dob) {
    const level = compareDob(a.dob, b.dob);
    evidence.push({ field: 'dob', level, weight: dobBits(level, freq.share('dob', a.dob.digits)), a: a.dobText, b: b.dobText });
  } else {
    const ya = a.dob?.y ?? a.birthYear;
    const yb = b.dob?.y ?? b.birthYear;
    if (ya != null && yb != null) {
      const gap = Math.abs(ya - yb);
      evidence.push({ field: 'age', level: gap <= 2 ? 'consistent' : gap <= 5 ? 'roughly' : 'inconsistent', weight: ageGapBits(gap), a: a.dobText, b: b.dobText });
    }
  }
  if (a.gender && b.gender) {
    const same = a.gender === b.gender;
    evidence.push({ field: 'gender', level: same ? 'exact' : 'different', weight: same ? GENDER_AGREE_BITS : GENDER_DIFFER_BITS, a: a.gender, b: b.gender });
  }
  if (a.nationality && b.nationality) {
    const same = a.nationality === b.nationality;
    evidence.push({ field: 'nationality', level: same ? 'exact' : 'different', weight: nationalityBits(same, freq.share('nationality', a.nationality)), a: a.nationality, b: b.nationality });
  }
  let weight = 0;
  for (const e of evidence) weight += e.weight;
  return { weight, evidence, namesAgree, swapped };
}

