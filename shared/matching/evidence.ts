// One piece of evidence for or against a match, in the unit every comparator shares: the log2 Bayes factor
// (bits). +10 bits means "a thousand times likelier if these are the same"; -4 means "sixteen times likelier
// if not". Bits add up across independent fields, which is what makes the total explainable line by line.

export const EVIDENCE_FIELDS = [
  'surname',
  'forename',
  'name_order',
  'dob',
  'age',
  'gender',
  'nationality',
  'postcode',
  'house_number',
  'street',
  'town',
  'region',
  'phone',
  'email',
  'vehicle',
  'flight',
  'business',
  'id_number',
  'subjects',
  'text',
] as const;
export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

export interface Evidence {
  field: EvidenceField;
  /** How the values compared: exact, equivalent, typo, day_month_swapped, different... */
  level: string;
  /** log2 Bayes factor: positive supports a match, negative speaks against it. */
  weight: number;
  /** The values compared, as written (or normalised where that is what agreed). */
  a: string;
  b: string;
}

export function totalWeight(evidence: readonly Evidence[]): number {
  let w = 0;
  for (const e of evidence) w += e.weight;
  return w;
}

/** Bits, rounded for display and for stable output. */
export function roundBits(w: number): number {
  return Math.round(w * 100) / 100;
}
