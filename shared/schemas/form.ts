// The electronic form: one per allegation whatever the channel (000 §3.6). The same schema checks a new
// allegation, an edit, and (leniently) a draft. Every rule gives its message at the field it concerns, so the
// form can show it there; nothing typed is thrown away when a rule fails.
import { z } from 'zod';
import { ADDRESS_TYPES, CHANNELS, GENDERS, OFFENCE_TYPES, REPORTER_TYPES, SUBJECT_ROLES, PAPER_CHANNELS } from '../domain/vocabularies.ts';
import { FUTURE_SKEW_MS, isRealIsoDate, isoDateTime, uuid } from './common.ts';
import { normaliseFlightNumber, normaliseVrm, parseUkPostcode, phoneProblem, postcodeProblem } from '../text/normalise.ts';

const str = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).default('');

export const formSubject = z.object({
  id: uuid.optional(),
  role: z.enum(SUBJECT_ROLES).default('main'),
  forename: str(200),
  middleNames: str(200),
  surname: str(200),
  knownAs: str(200),
  aliases: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  /** YYYY-MM-DD, or empty when not known. */
  dob: z.string().trim().default(''),
  approxAge: z.number().int().min(0, 'must be 0 or more').max(120, 'must be 120 or less').nullable().default(null),
  gender: z.enum(GENDERS).default('U'),
  nationality: str(100),
});

export const formAddressFields = z.object({
  line1: str(300),
  line2: str(300),
  town: str(200),
  postcode: str(20),
});
export const formAddress = formAddressFields.extend({ id: uuid.optional(), type: z.enum(ADDRESS_TYPES).default('home') });
export const formBusiness = z.object({ id: uuid.optional(), name: str(300), type: str(100), address: formAddressFields.nullable().default(null) });
export const formPhone = z.object({ id: uuid.optional(), number: str(100) });
export const formEmail = z.object({ id: uuid.optional(), email: str(300) });
export const formVehicle = z.object({ id: uuid.optional(), vrm: str(40), description: str(200) });
export const formTravel = z.object({ id: uuid.optional(), flight: str(40), travelDate: z.string().trim().default(''), origin: str(100), destination: str(100) });

/** The reporter, typed into the restricted section. Stored only in the restricted source table. */
export const formSource = z.object({
  name: str(300),
  phone: str(100),
  email: str(300),
  address: str(500),
  relationship: str(200),
  organisation: str(300),
});
export type FormSource = z.output<typeof formSource>;

/** Which text of an allegation a suggestion came from: the account, a note, or an attachment (scanned or legacy). */
export const SUGGESTION_FROM = ['account', 'note', 'attachment'] as const;

/** A suggestion put into a form being edited: recorded as accepted when the form is saved. */
export const acceptedSuggestion = z.object({
  from: z.enum(SUGGESTION_FROM),
  fromId: z.string().max(100).nullable(),
  key: z.string().min(1).max(500),
  /** Where on the form it went ("travel.1.flight"). */
  field: z.string().max(200),
});
export type AcceptedSuggestion = z.infer<typeof acceptedSuggestion>;

export const allegationFormShape = z.object({
  channel: z.enum(CHANNELS, { message: 'choose how it arrived' }),
  reporterType: z.enum(REPORTER_TYPES, { message: 'choose who reported it' }),
  receivedAt: isoDateTime,
  offenceTypes: z.array(z.enum(OFFENCE_TYPES)).max(20).default([]),
  freeText: z.string().max(100_000, 'must be at most 100,000 characters').default(''),
  scanMissingReason: str(500),
  subjects: z.array(formSubject).max(200).default([]),
  addresses: z.array(formAddress).max(200).default([]),
  businesses: z.array(formBusiness).max(100).default([]),
  phones: z.array(formPhone).max(100).default([]),
  emails: z.array(formEmail).max(100).default([]),
  vehicles: z.array(formVehicle).max(100).default([]),
  travel: z.array(formTravel).max(100).default([]),
  source: formSource.nullable().default(null),
  /** Suggestions put into this form from the allegation's texts: recorded as accepted when it is saved. */
  accepted: z.array(acceptedSuggestion).max(500).default([]),
});

export type AllegationFormInput = z.input<typeof allegationFormShape>;
export type AllegationForm = z.output<typeof allegationFormShape>;

const hasAny = (o: Record<string, unknown>, keys: string[]) => keys.some((k) => typeof o[k] === 'string' && (o[k] as string).trim() !== '');

/**
 * Postcodes and phone numbers an allegation already holds exactly as written (an import keeps what it could
 * not read, flagged): amending the record must not be blocked by a value the person did not type.
 */
export interface HeldValues {
  postcodes: ReadonlySet<string>;
  phones: ReadonlySet<string>;
}

export const NOTHING_HELD: HeldValues = { postcodes: new Set(), phones: new Set() };

export function heldValues(record: { addresses: ReadonlyArray<{ postcode: string }>; businesses: ReadonlyArray<{ address: { postcode: string } | null }>; phones: ReadonlyArray<{ number: string }> }): HeldValues {
  return {
    // The form trims what it is given, so values are compared trimmed.
    postcodes: new Set([...record.addresses.map((a) => a.postcode), ...record.businesses.map((b) => b.address?.postcode ?? '')].map((v) => v.trim()).filter(Boolean)),
    phones: new Set(record.phones.map((p) => p.number.trim()).filter(Boolean)),
  };
}

/**
 * Values that could not be read and are kept as written because the record already held them: shown at their
 * field for the person to check, without stopping the save.
 */
export function formFlags(form: AllegationForm, held: HeldValues): Record<string, string> {
  const flags: Record<string, string> = {};
  const flag = (path: Array<string | number>, value: string, problem: string | null, heldSet: ReadonlySet<string>) => {
    if (problem && heldSet.has(value)) flags[path.join('.')] = `${problem}. Kept as it was written; correct it if you can`;
  };
  form.addresses.forEach((a, i) => flag(['addresses', i, 'postcode'], a.postcode, postcodeProblem(a.postcode), held.postcodes));
  form.businesses.forEach((b, i) => b.address && flag(['businesses', i, 'address', 'postcode'], b.address.postcode, postcodeProblem(b.address.postcode), held.postcodes));
  form.phones.forEach((p, i) => flag(['phones', i, 'number'], p.number, phoneProblem(p.number), held.phones));
  return flags;
}

/**
 * The rules a complete allegation must meet. `now` is when it is being saved: nothing can be received, or
 * born, in the future. A postcode or phone number that cannot be read is refused at its field, unless the
 * record already holds it as written (`held`: see formFlags).
 */
export function formProblems(form: AllegationForm, now: Date, held: HeldValues = NOTHING_HELD): Record<string, string> {
  const problems: Record<string, string> = {};
  const at = (path: Array<string | number>, message: string) => {
    const key = path.join('.');
    if (!(key in problems)) problems[key] = message;
  };
  const received = new Date(form.receivedAt);
  if (received.getTime() > now.getTime() + FUTURE_SKEW_MS) at(['receivedAt'], 'cannot be in the future');
  if (!form.freeText.trim()) at(['freeText'], 'describe what is alleged (the account cannot be empty)');
  if (form.offenceTypes.length === 0) at(['offenceTypes'], 'choose at least one offence type');
  const today = now.toISOString().slice(0, 10);
  form.subjects.forEach((s, i) => {
    if (!hasAny(s, ['forename', 'surname', 'knownAs']) && !s.dob && s.approxAge === null && !s.nationality) at(['subjects', i, 'surname'], 'give a name, or remove this subject');
    if (s.dob) {
      if (!isRealIsoDate(s.dob)) at(['subjects', i, 'dob'], 'must be a real date (day, month and year)');
      else if (s.dob > today) at(['subjects', i, 'dob'], 'cannot be in the future');
      else if (s.dob > form.receivedAt.slice(0, 10)) at(['subjects', i, 'dob'], 'is after the allegation was received');
      else if (Number(s.dob.slice(0, 4)) < now.getUTCFullYear() - 120) at(['subjects', i, 'dob'], 'is more than 120 years ago');
    }
  });
  const checkPostcode = (path: Array<string | number>, raw: string) => {
    const problem = postcodeProblem(raw);
    if (problem && !held.postcodes.has(raw)) at(path, problem);
  };
  form.addresses.forEach((a, i) => {
    if (!hasAny(a, ['line1', 'line2', 'town', 'postcode'])) at(['addresses', i, 'line1'], 'enter the address, or remove it');
    checkPostcode(['addresses', i, 'postcode'], a.postcode);
  });
  form.businesses.forEach((b, i) => {
    if (!b.name.trim()) at(['businesses', i, 'name'], 'give the business name, or remove it');
    if (b.address) checkPostcode(['businesses', i, 'address', 'postcode'], b.address.postcode);
  });
  form.phones.forEach((p, i) => {
    const problem = phoneProblem(p.number);
    if (!p.number.trim()) at(['phones', i, 'number'], 'enter the number, or remove it');
    else if (problem && !held.phones.has(p.number)) at(['phones', i, 'number'], problem);
  });
  form.emails.forEach((e, i) => {
    if (!z.email().safeParse(e.email).success) at(['emails', i, 'email'], 'is not an email address');
  });
  form.vehicles.forEach((v, i) => {
    const vrm = normaliseVrm(v.vrm);
    if (vrm.length < 2 || vrm.length > 8) at(['vehicles', i, 'vrm'], 'is not a registration mark (2 to 8 letters and digits)');
  });
  form.travel.forEach((t, i) => {
    if (t.flight && !normaliseFlightNumber(t.flight)) at(['travel', i, 'flight'], 'is not a flight number (airline code and number, e.g. TK 2584)');
    if (t.travelDate && !isRealIsoDate(t.travelDate)) at(['travel', i, 'travelDate'], 'must be a real date');
    if (!t.flight && !t.travelDate && !t.origin && !t.destination) at(['travel', i, 'flight'], 'enter the flight or journey, or remove it');
  });
  if (form.source) {
    const s = form.source;
    const phone = phoneProblem(s.phone);
    if (phone) at(['source', 'phone'], phone);
    if (s.email && !z.email().safeParse(s.email).success) at(['source', 'email'], 'is not an email address');
  }
  return problems;
}

const FIELD_NAMES: Record<string, string> = {
  receivedAt: 'When received',
  freeText: 'Account',
  offenceTypes: 'Offence types',
  channel: 'Channel',
  reporterType: 'Reported by',
  subjects: 'Subject',
  addresses: 'Address',
  businesses: 'Business',
  phones: 'Phone',
  emails: 'Email',
  vehicles: 'Vehicle',
  travel: 'Journey',
  source: 'Reporter',
  dob: 'date of birth',
  surname: 'surname',
  postcode: 'postcode',
  line1: 'address',
  name: 'name',
  number: 'number',
  email: 'email',
  vrm: 'registration',
  flight: 'flight number',
  travelDate: 'date',
  phone: 'phone',
  address: 'address',
};

/** A field path as people say it: "subjects.0.dob" -> "Subject 1 date of birth". */
export function fieldLabel(path: string): string {
  return path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : (FIELD_NAMES[part] ?? part)))
    .join(' ');
}

/** Things to tell the person entering the form that do not stop it being saved. */
export function formWarnings(form: AllegationForm, attachments: number): string[] {
  const warnings: string[] = [];
  if (PAPER_CHANNELS.includes(form.channel) && attachments === 0 && !form.scanMissingReason.trim()) {
    warnings.push('Letters and faxes need their original scan attached, or a recorded reason why not (000 §4.30).');
  }
  if (form.subjects.length === 0) warnings.push('No subject yet: add who the allegation is about if the account names anyone.');
  const located = [...form.addresses.map((a) => a.postcode), ...form.businesses.map((b) => b.address?.postcode ?? '')].some((p) => parseUkPostcode(p).area);
  if (!located) warnings.push('No usable postcode: the allegation will go to the National Allegations Team to sift.');
  return warnings;
}

/** An empty form for a new allegation received now. */
export function emptyForm(now: Date, channel: AllegationForm['channel'] = 'online_form'): AllegationForm {
  return allegationFormShape.parse({ channel, reporterType: 'public', receivedAt: now.toISOString() });
}
