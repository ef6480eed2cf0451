// The weight of each kind of agreement, in bits (log2 of m/u, Fellegi-Sunter). m is the chance that records of
// one person show this level; u the chance that records of two people do. For exact agreement u is the value's
// share of the data (frequency.ts), so a rare surname weighs more than a common one. The m values are set from
// how records of one person differ in practice (typos in 5-10% of names, a missing or wrong date of birth in
// a few percent, day and month swapped in ~2%); the u values for near agreement are floors that stop short or
// common names from counting as rare. Every constant is the same for every data set: nothing here is fitted
// to a benchmark's labels.
import type { NameLevel } from './names.ts';
import type { DobLevel } from './dates.ts';

const log2 = Math.log2;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Bits for exact agreement on a value with this share of the data. */
export function exactBits(m: number, share: number, cap: number, floorShare = 1e-6): number {
  return clamp(log2(m / Math.max(share, floorShare)), 0, cap);
}

export interface NameWeightInput {
  level: NameLevel;
  /** Shares of the two values in the data (for exact: the same value). */
  shareA: number;
  shareB: number;
  /** Length of the shorter value: short names collide by chance. */
  shorter: number;
}

const SURNAME = { mExact: 0.88, mEquivalent: 0.03, mTypo: 0.06, mVariant: 0.03, mDiminutive: 0.005, mPhonetic: 0.02, different: log2(0.04 / 0.98), cap: 16 };
const FORENAME = { mExact: 0.85, mEquivalent: 0.05, mTypo: 0.05, mVariant: 0.02, mDiminutive: 0.02, mPhonetic: 0.02, different: log2(0.05 / 0.98), cap: 13 };

function nameBits(p: typeof SURNAME, w: NameWeightInput): number {
  const share = Math.max(w.shareA, w.shareB);
  const short = w.shorter <= 3 ? 8 : w.shorter <= 4 ? 3 : 1;
  switch (w.level) {
    case 'exact':
      return exactBits(p.mExact, w.shareA, p.cap, 1e-5);
    case 'equivalent':
      return clamp(log2(p.mEquivalent / Math.max(3 * share, 0.0005)), 0, p.cap - 2);
    case 'typo':
      // Two people's names a typo apart: rare for long names, not for short ones; the name's own share adds a little.
      return clamp(log2(p.mTypo / (0.002 * short + 0.1 * share)), 0, p.cap - 3);
    case 'variant':
      return clamp(log2(p.mVariant / Math.max(4 * share, 0.001 * short)), 0, p.cap - 4);
    case 'diminutive':
      return clamp(log2(p.mDiminutive / Math.max(4 * share, 0.002 * short)), 0, 5);
    case 'similar':
      return clamp(log2(0.03 / (0.006 * short + 0.2 * share)), 0, 4);
    case 'phonetic':
      return clamp(log2(p.mPhonetic / Math.max(10 * share, 0.004 * short)), 0, 5);
    case 'initial':
      return 1.5;
    case 'different':
      return p.different;
  }
}

export const surnameBits = (w: NameWeightInput) => nameBits(SURNAME, w);
export const forenameBits = (w: NameWeightInput) => nameBits(FORENAME, w);

/** Forename and surname written the other way round: a common slip, slightly less sure than the right order. */
export const SWAPPED_NAMES_BITS = -1;

export function dobBits(level: DobLevel, share: number): number {
  switch (level) {
    case 'exact':
      return exactBits(0.85, share, 14, 1 / 36500);
    case 'day_month_swapped':
      return 8;
    case 'one_part_differs':
      return 5.5;
    case 'digits_transposed':
      return 6;
    case 'year_only':
      return 0.5;
    case 'near':
      return 1;
    case 'different':
      return log2(0.08 / 0.97);
  }
}

/** A stated age against a date of birth or another stated age: only a wide gap says much. */
export function ageGapBits(gapYears: number): number {
  if (gapYears <= 2) return 1.5;
  if (gapYears <= 5) return 0.5;
  if (gapYears <= 9) return -1;
  return -3;
}

export const GENDER_AGREE_BITS = 0.5;
export const GENDER_DIFFER_BITS = -3;

export function nationalityBits(agree: boolean, share: number): number {
  // Nationality follows from the names more often than not: it adds little once they agree.
  return agree ? exactBits(0.7, share, 1) : -0.5;
}

export const ADDRESS = {
  postcodeExact: (share: number) => exactBits(0.85, share, 12, 1e-5),
  /** Same district or outward code only (one side wrote "SW1A" or the postcode was mistyped inside). */
  postcodeDistrict: (share: number) => exactBits(0.1, share, 4),
  postcodeTypo: 3,
  postcodeDifferent: log2(0.07 / 0.99),
  numberExact: (share: number) => exactBits(0.85, share, 6),
  numberDifferent: log2(0.08 / 0.97),
  streetExact: (share: number) => exactBits(0.8, share, 10, 1e-4),
  streetSimilar: 4,
  streetDifferent: log2(0.1 / 0.99),
  townExact: (share: number) => exactBits(0.8, share, 5),
  townSimilar: 2,
  townDifferent: -1,
  regionExact: (share: number) => exactBits(0.9, share, 2),
  regionDifferent: -2.5,
};

/** Identifiers a person keeps: a phone number or email shared by two reports is strong, a vehicle a little less. */
export const IDENTIFIER = {
  phone: 12,
  email: 14,
  vehicle: 11,
  vehicleMisread: 7,
  flight: 8,
  idNumber: 16,
  idNumberTypo: 8,
  idNumberDifferent: -3,
};

/** Allegation-to-allegation evidence beyond the people in them. */
export const ALLEGATION = {
  /** People move between reports: a different address counts against a link, but only partly. */
  addressDisagreement: 0.6,
  /** Forename and surname together (see IdentityOptions.nameCap). */
  nameCap: 10,
  townCap: 2,
  /** "12 High Street" with neither postcode nor town agreeing is a weak coincidence. */
  unlocatedStreetCap: 4,
  /** The same address is one fact however many of its parts agree. */
  addressCap: 14,
  addressFloor: -4,
  postcodeInText: 5,
  phone: 12,
  phoneInText: 10,
  email: 14,
  emailInText: 12,
  /** Flight numbers recur daily: one shared is a lead, not an identity. */
  flight: 5,
  flightInText: 4,
  vehicle: 11,
  vehicleMisread: 8,
  inTextDiscount: 2,
  /** Business names repeat across towns ("Royal Hand Car Wash"): the name alone counts only so much. */
  businessNameCap: 7,
  businessSimilar: 4,
  businessAddressCap: 8,
  /** A main subject matched at least this well makes a suggestion a likely duplicate rather than an associate. */
  duplicateSubjectBits: 8,
};
