// Rules about attachments shared by the core and the renderer: whether a letter or fax lacks its original scan,
// and how an accepted suggestion goes into the electronic form (a person clicks; nothing is added otherwise).
import { OFFENCE_TYPE_LABELS, OFFENCE_TYPES, PAPER_CHANNELS, type Channel, type OffenceType } from '../domain/vocabularies.ts';
import type { AcceptedSuggestion, AllegationForm } from '../schemas/form.ts';
import { foldName, normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../text/normalise.ts';
import type { SuggestionView } from '../api/attachments.ts';

/** Letters and faxes must carry their original scan, or a recorded reason why not (000 §4.30). */
export function scanMissing(a: { channel: Channel; attachments: number; scanMissingReason: string | null }): boolean {
  return PAPER_CHANNELS.includes(a.channel) && a.attachments === 0 && !(a.scanMissingReason ?? '').trim();
}

export const SUGGESTION_LABELS: Record<SuggestionView['kind'], string> = {
  name: 'Name',
  dob: 'Date of birth',
  address: 'Address',
  postcode: 'Postcode',
  phone: 'Phone',
  email: 'Email',
  vrm: 'Vehicle',
  flight: 'Flight',
  business: 'Business',
  travel: 'Travel',
  offence: 'Offence type',
};

const isOffence = (v: string): v is OffenceType => (OFFENCE_TYPES as readonly string[]).includes(v);

/** A suggestion's value as a person reads it: an offence type by its label, travel with its date. */
export function suggestionText(s: Pick<SuggestionView, 'kind' | 'value' | 'date'>): string {
  if (s.kind === 'offence') return isOffence(s.value) ? OFFENCE_TYPE_LABELS[s.value] : s.value;
  if ((s.kind === 'travel' || s.kind === 'flight') && s.date) return `${s.value} · ${s.date}`;
  return s.value;
}

function splitName(full: string): { forename: string; middleNames: string; surname: string } {
  const parts = full.trim().split(/\s+/);
  if (parts.length === 1) return { forename: '', middleNames: '', surname: parts[0] ?? '' };
  return { forename: parts[0] ?? '', middleNames: parts.slice(1, -1).join(' '), surname: parts.at(-1) ?? '' };
}

const SUBJECT_ROLE_FOR: Record<string, AllegationForm['subjects'][number]['role']> = { subject: 'main', employer: 'employer', boss: 'employer', manager: 'employer', wife: 'spouse', husband: 'spouse' };

/** Splits "12 Elm Road, Leeds LS6 2AB" into its street part and its postcode, when it ends with one. */
function splitAddress(written: string): { line1: string; town: string; postcode: string } {
  const m = /^(.*?)[,\s]+([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$/i.exec(written.trim());
  const street = (m?.[1] ?? written).trim().replace(/,$/, '');
  const postcode = m ? (parseUkPostcode(m[2] ?? '').postcode ?? m[2] ?? '') : '';
  const parts = street.split(/,\s*/);
  return { line1: parts[0] ?? street, town: parts.slice(1).join(', '), postcode };
}

/** What suggestionOnForm reads: the electronic form, or a stored record (they share these fields). */
export interface FormLike {
  travel: ReadonlyArray<{ flight: string; destination?: string; travelDate?: string | null }>;
  offenceTypes?: readonly string[];
  vehicles: ReadonlyArray<{ vrm: string }>;
  phones: ReadonlyArray<{ number: string }>;
  emails: ReadonlyArray<{ email: string }>;
  addresses: ReadonlyArray<{ line1: string; postcode: string }>;
  businesses: ReadonlyArray<{ name?: string; address: { postcode: string } | null }>;
  subjects: ReadonlyArray<{ forename: string; middleNames: string; surname: string; dob: string | null }>;
}

/**
 * Whether the form (or the record) already holds what the suggestion says, so the viewer can say "on the form"
 * instead of offering it again.
 */
export function suggestionOnForm(form: FormLike, s: Pick<SuggestionView, 'kind' | 'value' | 'date'>): boolean {
  switch (s.kind) {
    case 'flight':
      return form.travel.some((t) => normaliseFlightNumber(t.flight) === s.value);
    case 'vrm':
      return form.vehicles.some((v) => normaliseVrm(v.vrm) === s.value);
    case 'phone':
      return form.phones.some((p) => normalisePhone(p.number).national === normalisePhone(s.value).national);
    case 'email':
      return form.emails.some((e) => normaliseEmail(e.email) === normaliseEmail(s.value));
    case 'postcode': {
      const target = parseUkPostcode(s.value).postcode;
      return target !== null && [...form.addresses.map((a) => a.postcode), ...form.businesses.map((b) => b.address?.postcode ?? '')].some((p) => parseUkPostcode(p).postcode === target);
    }
    case 'address': {
      const { line1 } = splitAddress(s.value);
      return form.addresses.some((a) => foldName(a.line1) === foldName(line1));
    }
    case 'name':
      return form.subjects.some((x) => foldName([x.forename, x.middleNames, x.surname].filter(Boolean).join(' ')) === foldName(s.value) || foldName(`${x.forename} ${x.surname}`) === foldName(s.value));
    case 'dob':
      return form.subjects.some((x) => x.dob === s.value);
    case 'business':
      return form.businesses.some((b) => foldName(b.name ?? '') === foldName(s.value));
    case 'travel':
      return form.travel.some((t) => foldName(t.destination ?? '') === foldName(s.value) && (!s.date || !t.travelDate || t.travelDate === s.date));
    case 'offence':
      return (form.offenceTypes ?? []).includes(s.value);
  }
}

type Suggested = Pick<SuggestionView, 'kind' | 'value' | 'text' | 'date' | 'role'> & Partial<Pick<SuggestionView, 'origin' | 'destination' | 'businessType'>>;

/**
 * An address taken from a letter: what the words before it said it was (a home, a workplace, the premises), else
 * the place of the alleged offence while the form has none (letters name where it happens; routing reads it
 * first), else a home. Never "other", which tells the analyst nothing and routes nothing.
 */
function addressType(form: AllegationForm, role: string | null | undefined): AllegationForm['addresses'][number]['type'] {
  if (role === 'home' || role === 'work' || role === 'offence_location') return role;
  return form.addresses.some((a) => a.type === 'offence_location') ? 'home' : 'offence_location';
}

/**
 * The form with the suggestion added, and the path of the field it went into (to show the person where).
 * A date of birth goes to the first subject without one (a new subject when every one has a date). With `ref`
 * (which text it came from, and its key), the form carries it as accepted: saving the form records that.
 */
export function applySuggestion(
  form: AllegationForm,
  s: Suggested,
  ref?: Omit<AcceptedSuggestion, 'field'>,
): { form: AllegationForm; path: Array<string | number> } {
  const out = putOnForm(form, s);
  if (!ref) return out;
  const accepted = out.form.accepted.filter((a) => !(a.from === ref.from && a.fromId === ref.fromId && a.key === ref.key));
  return { form: { ...out.form, accepted: [...accepted, { ...ref, field: out.path.join('.') }] }, path: out.path };
}

function putOnForm(form: AllegationForm, s: Suggested): { form: AllegationForm; path: Array<string | number> } {
  switch (s.kind) {
    case 'flight':
      return { form: { ...form, travel: [...form.travel, { flight: s.value, travelDate: s.date ?? '', origin: s.origin ?? '', destination: s.destination ?? '' }] }, path: ['travel', form.travel.length, 'flight'] };
    case 'travel':
      return { form: { ...form, travel: [...form.travel, { flight: '', travelDate: s.date ?? '', origin: s.origin ?? '', destination: s.destination ?? s.value }] }, path: ['travel', form.travel.length, 'destination'] };
    case 'business':
      return { form: { ...form, businesses: [...form.businesses, { name: s.value, type: s.businessType ?? '', address: null }] }, path: ['businesses', form.businesses.length, 'name'] };
    case 'offence':
      if (!isOffence(s.value)) return { form, path: ['offenceTypes'] };
      return { form: { ...form, offenceTypes: form.offenceTypes.includes(s.value) ? form.offenceTypes : [...form.offenceTypes, s.value] }, path: ['offenceTypes'] };
    case 'vrm':
      return { form: { ...form, vehicles: [...form.vehicles, { vrm: s.value, description: '' }] }, path: ['vehicles', form.vehicles.length, 'vrm'] };
    case 'phone':
      return { form: { ...form, phones: [...form.phones, { number: s.text.trim() || s.value }] }, path: ['phones', form.phones.length, 'number'] };
    case 'email':
      return { form: { ...form, emails: [...form.emails, { email: s.value }] }, path: ['emails', form.emails.length, 'email'] };
    case 'postcode':
      return { form: { ...form, addresses: [...form.addresses, { type: addressType(form, s.role), line1: '', line2: '', town: '', postcode: s.value }] }, path: ['addresses', form.addresses.length, 'postcode'] };
    case 'address': {
      const a = splitAddress(s.value);
      return { form: { ...form, addresses: [...form.addresses, { type: addressType(form, s.role), line1: a.line1, line2: '', town: a.town, postcode: a.postcode }] }, path: ['addresses', form.addresses.length, 'line1'] };
    }
    case 'name': {
      const role = SUBJECT_ROLE_FOR[s.role ?? ''] ?? (form.subjects.length === 0 ? 'main' : 'associate');
      const subject = { role, ...splitName(s.value), knownAs: '', aliases: [], dob: '', approxAge: null, gender: 'U' as const, nationality: '' };
      return { form: { ...form, subjects: [...form.subjects, subject] }, path: ['subjects', form.subjects.length, 'surname'] };
    }
    case 'dob': {
      const i = form.subjects.findIndex((x) => !x.dob);
      if (i >= 0) {
        const subjects = form.subjects.map((x, k) => (k === i ? { ...x, dob: s.value, approxAge: null } : x));
        return { form: { ...form, subjects }, path: ['subjects', i, 'dob'] };
      }
      const subject = { role: form.subjects.length === 0 ? ('main' as const) : ('associate' as const), forename: '', middleNames: '', surname: '', knownAs: '', aliases: [], dob: s.value, approxAge: null, gender: 'U' as const, nationality: '' };
      return { form: { ...form, subjects: [...form.subjects, subject] }, path: ['subjects', form.subjects.length, 'dob'] };
    }
  }
}
