// The explanation a person reads in seconds: one line per field, strongest first, saying what agreed or
// differed and how much it counts; and a one-line summary.
import { evidenceWords } from './strength.ts';
import type { Evidence, EvidenceField } from './evidence.ts';

const FIELD_NAMES: Record<EvidenceField, string> = {
  surname: 'Surname',
  forename: 'Forename',
  name_order: 'Name order',
  dob: 'Date of birth',
  age: 'Age',
  gender: 'Gender',
  nationality: 'Nationality',
  postcode: 'Postcode',
  house_number: 'House number',
  street: 'Street',
  town: 'Town',
  region: 'State/county',
  phone: 'Phone',
  email: 'Email',
  vehicle: 'Vehicle',
  flight: 'Flight',
  business: 'Business',
  id_number: 'ID number',
  subjects: 'Subjects',
  text: 'Text',
};

const LEVEL_WORDS: Record<string, string> = {
  exact: 'same',
  equivalent: 'same name in another form (nickname, spelling or middle name)',
  typo: 'typo',
  variant: 'spelling variant (transliteration)',
  diminutive: 'shortened form',
  similar: 'similar spelling',
  phonetic: 'sounds alike',
  initial: 'initial only',
  different: 'different',
  swapped: 'forename and surname swapped',
  day_month_swapped: 'day and month swapped',
  one_part_differs: 'one part differs (typo)',
  digits_transposed: 'two digits transposed',
  year_only: 'same year only',
  near: 'within a year',
  consistent: 'consistent with stated age',
  roughly: 'roughly consistent',
  inconsistent: 'inconsistent',
  same_district: 'same district',
  exact_in_text: 'same (found in text/attachment)',
  misread: 'same but for a misread character',
};

/** Short forms for the one-line summary. */
const SHORT_WORDS: Record<string, string> = {
  exact: 'same',
  equivalent: 'nickname or variant',
  variant: 'spelling variant',
  diminutive: 'shortened',
  similar: 'similar',
  phonetic: 'sounds alike',
  initial: 'initial',
  day_month_swapped: 'day/month swapped',
  one_part_differs: 'one part mistyped',
  digits_transposed: 'digits transposed',
  year_only: 'year only',
  near: 'within a year',
  consistent: 'consistent',
  roughly: 'roughly',
  same_district: 'same district',
  exact_in_text: 'in text',
  misread: 'misread character',
};

export interface ExplanationLine {
  field: EvidenceField;
  label: string;
  /** The comparison level (exact, typo, day_month_swapped...), for icons and styling. */
  level: string;
  /** "agrees" (weight > 0.5 bits), "differs" (< -0.5), or "neutral". */
  direction: 'agrees' | 'differs' | 'neutral';
  /** Strength in bits, one decimal. */
  bits: number;
  text: string;
}

export function explain(evidence: readonly Evidence[]): ExplanationLine[] {
  return [...evidence]
    .sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight))
    .map((e) => {
      const label = FIELD_NAMES[e.field];
      const how = LEVEL_WORDS[e.level] ?? e.level.replace(/_/g, ' ');
      const values = e.a === e.b ? e.a : `${e.a} / ${e.b}`;
      const bits = Math.round(e.weight * 10) / 10;
      const direction = e.weight > 0.5 ? 'agrees' : e.weight < -0.5 ? 'differs' : 'neutral';
      return { field: e.field, label, level: e.level, direction, bits, text: `${label}: ${how} — ${values} (${evidenceWords(bits)})` };
    });
}

/** "Agree: surname (typo), date of birth (day and month swapped), phone. Differ: postcode." */
export function summarise(evidence: readonly Evidence[]): string {
  const lines = explain(evidence);
  // Names written the other way round are how the names agreed, not a disagreement.
  const agree = lines
    .filter((l) => l.direction === 'agrees' || l.field === 'name_order')
    .map((l) => (l.field === 'name_order' ? 'names swapped' : `${l.label.toLowerCase()} (${SHORT_WORDS[l.level] ?? l.level.replace(/_/g, ' ')})`));
  const differ = [...new Set(lines.filter((l) => l.direction === 'differs' && l.field !== 'name_order').map((l) => l.label.toLowerCase()))];
  return [agree.length ? `Agree: ${agree.join(', ')}.` : 'Nothing agrees strongly.', differ.length ? `Differ: ${differ.join(', ')}.` : ''].filter(Boolean).join(' ');
}
