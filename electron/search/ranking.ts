// Ranking the candidates of a tier: a small per-allegation profile (names on one subject, surname agreement, the
// nearest spelling, identifiers held on the form), agreement of a near match with a person query weighed as
// record linkage weighs it, and exact names interleaved with the same names found written in text.
import type { MatchTier } from '../../shared/api/search.ts';
import type { ProfileKeys } from './documents.ts';
import { capitalise, type NamePlan, type QueryPlace } from './query-plan.ts';

export interface Candidate {
  doc: number;
  tier: MatchTier;
  subjectScore: number;
  variantRank: number;
  idField: number;
  agreement: number;
  why: string[];
}

export interface Profile {
  subjects: Array<{ given: string[]; surname: string[] }>;
  keys: ProfileKeys;
}

/**
 * Records that hold the full name only in their text (an associate named in a fax) are as much exact matches
 * as records with that subject on the form, and they are the ones the inspection found missed: when both
 * exist, every third place goes to one of them instead of letting a common name's forms fill the page.
 */
export function interleaveNameInText(candidates: Candidate[]): void {
  const exact = candidates.filter((c) => c.tier === 'exact');
  const inText = candidates.filter((c) => c.tier === 'phrase');
  if (!exact.length || !inText.length) return;
  const merged: Candidate[] = [];
  while (exact.length || inText.length) {
    for (let i = 0; i < 2 && exact.length; i++) merged.push(exact.shift() as Candidate);
    if (inText.length) merged.push(inText.shift() as Candidate);
    if (!exact.length) merged.push(...inText.splice(0));
  }
  candidates.splice(0, merged.length, ...merged);
}

/** Information (bits) carried by agreeing on a name held by `count` of `total` allegations. */
export function nameBits(count: number, total: number): number {
  return Math.max(2, Math.log2(total / Math.max(1, count)));
}

export const PLACE_BITS = { postcode: 14, district: 9, area: 5 };

export const DISAGREE = { name: -3, place: -2 };

/**
 * How well a near match agrees with a person query, in the manner of record linkage: each query name and the
 * place add the information their agreement carries (less for a corrected or fuzzy spelling, or a district or
 * area instead of the postcode), subtract a little where the record disagrees, and nothing where the record is
 * silent (a subject known by one name, a form without a postcode).
 */
export function personAgreement(c: Candidate, profile: Profile, plans: NamePlan[], place: QueryPlace | null, vocab: { count(t: string): number }, total: number): void {
  let best = Number.NEGATIVE_INFINITY;
  let bestWhy: string[] = [];
  const subjects = profile.subjects.length ? profile.subjects : [{ given: [], surname: [] }];
  for (const s of subjects) {
    const tokens = [...s.given, ...s.surname];
    let score = 0;
    let unmatched = 0;
    const why: string[] = [];
    for (const p of plans) {
      let level = -1;
      let term = '';
      for (const t of tokens) {
        const tier = p.tierOf.get(t);
        if (tier !== undefined && (level < 0 || tier < level)) {
          level = tier;
          term = t;
        }
      }
      const bits = nameBits(Math.max(vocab.count(term || p.token), 1), total);
      if (level === 0) score += bits;
      else if (level === 1) score += 0.8 * bits;
      else if (level === 2) score += 0.5 * bits;
      else unmatched++;
      if (level > 0) why.push(`${capitalise(term)} for ${p.typed}`);
    }
    // Query names the subject has no room for are missing, not wrong.
    const missing = Math.min(unmatched, Math.max(0, plans.length - tokens.length));
    score += (unmatched - missing) * DISAGREE.name;
    if (unmatched - missing > 0) why.push('a name differs');
    if (score > best) {
      best = score;
      bestWhy = why;
    }
  }
  let placeScore = 0;
  if (place) {
    const { pc, out, area } = profile.keys;
    if (place.kind === 'postcode' && pc.includes(place.value)) placeScore = PLACE_BITS.postcode;
    else if (place.outward && out.includes(place.outward)) {
      placeScore = place.kind === 'district' ? PLACE_BITS.postcode : PLACE_BITS.district;
      if (place.kind === 'postcode') bestWhy.push(`same district ${place.outward.toUpperCase()}`);
    } else if (place.area && area.includes(place.area)) {
      placeScore = PLACE_BITS.area;
      bestWhy.push(`same area ${place.area.toUpperCase()}`);
    } else if (!pc.length && !out.length) bestWhy.push('no postcode on the form');
    else {
      placeScore = DISAGREE.place;
      bestWhy.push('elsewhere');
    }
  }
  c.agreement = best + placeScore;
  c.why.length = 0;
  c.why.push(...bestWhy);
}

export function readProfile(names: string, keys: string): Profile {
  const subjects = names
    ? names.split('|').map((s) => {
        const [given = '', surname = ''] = s.split(';');
        return { given: given ? given.split(' ') : [], surname: surname ? surname.split(' ') : [] };
      })
    : [];
  let parsed: ProfileKeys = { pc: [], out: [], area: [], ids: [] };
  try {
    parsed = { ...parsed, ...(JSON.parse(keys) as Partial<ProfileKeys>) };
  } catch {
    // an empty or damaged profile ranks as holding nothing
  }
  return { subjects, keys: parsed };
}

/**
 * Names on one subject count most (every query name on the same person), then a surname matched whole, then
 * a query name held as a surname, then the main subject over an associate; then how near the spellings are
 * (the rank of the best variant each query name found).
 */
export function scoreNames(c: Candidate, profile: Profile, plans: NamePlan[]): void {
  if (!plans.length) return;
  let best = 0;
  profile.subjects.forEach((s, i) => {
    let matched = 0;
    let surnameHit = 0;
    for (const p of plans) {
      if (s.surname.some((t) => p.rank.has(t))) {
        matched++;
        surnameHit = 1;
      } else if (s.given.some((t) => p.rank.has(t))) matched++;
    }
    const whole = s.surname.length > 0 && s.surname.every((t) => plans.some((p) => p.rank.has(t))) ? 1 : 0;
    best = Math.max(best, matched * 10 + whole * 4 + surnameHit * 2 + (i === 0 ? 1 : 0));
  });
  c.subjectScore = best;
  let rankSum = 0;
  for (const p of plans) {
    let r = 99;
    let term = '';
    for (const s of profile.subjects) {
      for (const t of [...s.surname, ...s.given]) {
        const x = p.rank.get(t);
        if (x !== undefined && x < r) {
          r = x;
          term = t;
        }
      }
    }
    rankSum += r;
    if (term && term !== p.token) c.why.push(`${capitalise(term)} for ${p.typed}`);
  }
  c.variantRank = rankSum;
}
