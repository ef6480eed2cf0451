// The advanced panel's fielded filters: their schema, how each is put in canonical form, and the facet tokens
// the index holds for the exact-valued ones (channel, status, unit, offence, outcome, date of birth). Shared by
// the API (validation), the CLI (--filter k=v) and the screen.
import { z } from 'zod';
import { CHANNELS, OFFENCE_TYPES, OUTCOMES, STATUSES } from '../domain/vocabularies.ts';
import { isoDate, isRealIsoDate } from '../schemas/common.ts';
import { normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../text/normalise.ts';
import { QuerySyntaxError, ftsWords } from './query.ts';
import { nameTokens } from './names.ts';

const shortText = z.string().trim().max(200);

export const searchFilters = z
  .object({
    /** Subject name, any part, fuzzy (forename and surname in either order). */
    name: shortText.optional(),
    /** A date of birth (YYYY-MM-DD) or a year of birth (YYYY). */
    dob: z
      .string()
      .trim()
      .refine((v) => /^\d{4}$/.test(v) || isRealIsoDate(v), 'must be a date of birth YYYY-MM-DD or a year YYYY')
      .optional(),
    /** A full postcode (with or without the space) or a postcode district ("N13", "SW1A"). */
    postcode: shortText.optional(),
    phone: shortText.optional(),
    email: shortText.optional(),
    vehicle: shortText.optional(),
    flight: shortText.optional(),
    business: shortText.optional(),
    offenceTypes: z.array(z.enum(OFFENCE_TYPES)).max(OFFENCE_TYPES.length).optional(),
    channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
    units: z.array(z.string().regex(/^[A-Z0-9_-]{2,12}$/, 'must be a unit code')).max(40).optional(),
    outcomes: z.array(z.enum(OUTCOMES)).max(OUTCOMES.length).optional(),
    statuses: z.array(z.enum(STATUSES)).max(STATUSES.length).optional(),
    receivedFrom: isoDate.optional(),
    receivedTo: isoDate.optional(),
  })
  .strict();
export type SearchFilters = z.infer<typeof searchFilters>;

export const FILTER_LABELS: Record<keyof SearchFilters, string> = {
  name: 'Subject name',
  dob: 'Date or year of birth',
  postcode: 'Postcode or district',
  phone: 'Phone',
  email: 'Email',
  vehicle: 'Vehicle',
  flight: 'Flight',
  business: 'Business name',
  offenceTypes: 'Offence type',
  channels: 'Channel',
  units: 'Unit',
  outcomes: 'Outcome',
  statuses: 'Status',
  receivedFrom: 'Received from',
  receivedTo: 'Received to',
};

/** Index tokens for exact-valued facts: letters and digits only, so the tokenizer keeps each whole. */
export const facet = {
  channel: (v: string) => `ch${v.replace(/[^a-z0-9]/gi, '')}`.toLowerCase(),
  status: (v: string) => `st${v.replace(/[^a-z0-9]/gi, '')}`.toLowerCase(),
  unit: (v: string) => `unit${v.replace(/[^a-z0-9]/gi, '')}`.toLowerCase(),
  offence: (v: string) => `off${v.replace(/[^a-z0-9]/gi, '')}`.toLowerCase(),
  outcome: (v: string) => `out${v.replace(/[^a-z0-9]/gi, '')}`.toLowerCase(),
  dob: (v: string) => `dob${v.replace(/\D/g, '')}`,
  dobYear: (v: string) => `dobyr${v.slice(0, 4)}`,
  /** A postcode district in the names table ("pdn13"): near matches of a person in the same district. */
  district: (v: string) => `pd${v.toLowerCase()}`,
  /** A postcode area ("N", "SW"): lets near matches be found in the same part of the country. */
  area: (v: string) => `pcarea${v.toLowerCase()}`,
  /** The form holds no postcode (near matches: a record that cannot disagree on place). */
  noPostcode: 'pcnone',
  /** A subject is known by one name only. */
  noSurname: 'snnone',
};

/** Filters in canonical form, ready to be written into a full-text query; built by canonicalFilters. */
export interface CanonicalFilters {
  names: string[];
  /** FTS5 expressions (already quoted) that every result must match. */
  clauses: string[];
  receivedFrom: string | null;
  receivedTo: string | null;
  /** Human-readable, for "searched for" lines and saved-search descriptions. */
  described: string[];
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const anyOf = (column: string, tokens: string[]) => `{${column}}: (${tokens.map(q).join(' OR ')})`;

/** Checks and canonicalises the filters; a value that cannot be read throws QuerySyntaxError naming the field. */
export function canonicalFilters(f: SearchFilters): CanonicalFilters {
  const out: CanonicalFilters = { names: [], clauses: [], receivedFrom: null, receivedTo: null, described: [] };
  const bad = (field: keyof SearchFilters, why: string): never => {
    throw new QuerySyntaxError(`${FILTER_LABELS[field]}: ${why}`);
  };
  if (f.name) {
    out.names = nameTokens(f.name);
    if (!out.names.length) bad('name', 'type a name (letters)');
    out.described.push(`name ${f.name}`);
  }
  if (f.dob) {
    out.clauses.push(`{facets}: ${q(f.dob.length === 4 ? facet.dobYear(f.dob) : facet.dob(f.dob))}`);
    out.described.push(`born ${f.dob}`);
  }
  if (f.postcode) {
    const pc = parseUkPostcode(f.postcode);
    if (pc.postcode) out.clauses.push(`{keys}: ${q(pc.postcode.replace(' ', '').toLowerCase())}`);
    else if (pc.outward) out.clauses.push(`{keys}: ${q(pc.outward.toLowerCase())}`);
    else bad('postcode', `${f.postcode} is not a UK postcode or postcode district`);
    out.described.push(`postcode ${f.postcode}`);
  }
  if (f.phone) {
    const p = normalisePhone(f.phone);
    if (p.national.length < 9) bad('phone', `${f.phone} is too short to be a phone number`);
    out.clauses.push(`{keys}: ${q(p.national)}`);
    out.described.push(`phone ${f.phone}`);
  }
  if (f.email) {
    const words = ftsWords(normaliseEmail(f.email));
    if (!f.email.includes('@') || !words.length) bad('email', `${f.email} is not an email address`);
    out.clauses.push(`{keys}: ${q(words.join(' '))}`);
    out.described.push(`email ${f.email}`);
  }
  if (f.vehicle) {
    const vrm = normaliseVrm(f.vehicle).toLowerCase();
    if (vrm.length < 2) bad('vehicle', 'type a registration mark');
    out.clauses.push(`{keys}: ${q(vrm)}`);
    out.described.push(`vehicle ${f.vehicle}`);
  }
  if (f.flight) {
    const flight = normaliseFlightNumber(f.flight);
    if (!flight) bad('flight', `${f.flight} is not a flight number (airline code and number, e.g. TK2584)`);
    out.clauses.push(`{keys}: ${q((flight as string).toLowerCase())}`);
    out.described.push(`flight ${f.flight}`);
  }
  if (f.business) {
    const words = ftsWords(f.business);
    if (!words.length) bad('business', 'type a business name');
    out.clauses.push(`{biz}: ${q(words.join(' '))}`);
    out.described.push(`business ${f.business}`);
  }
  const facets = (field: keyof SearchFilters, values: readonly string[] | undefined, token: (v: string) => string) => {
    if (!values?.length) return;
    out.clauses.push(anyOf('facets', values.map(token)));
    out.described.push(`${FILTER_LABELS[field].toLowerCase()} ${values.join(' or ')}`);
  };
  facets('offenceTypes', f.offenceTypes, facet.offence);
  facets('channels', f.channels, facet.channel);
  facets('units', f.units, facet.unit);
  facets('outcomes', f.outcomes, facet.outcome);
  facets('statuses', f.statuses, facet.status);
  if (f.receivedFrom) out.receivedFrom = `${f.receivedFrom}T00:00:00.000Z`;
  if (f.receivedTo) out.receivedTo = `${f.receivedTo}T23:59:59.999Z`;
  if (out.receivedFrom && out.receivedTo && out.receivedFrom > out.receivedTo) bad('receivedTo', 'the end of the date range is before its start');
  if (f.receivedFrom || f.receivedTo) out.described.push(`received ${f.receivedFrom ?? '…'} to ${f.receivedTo ?? '…'}`);
  return out;
}

/** True when no filter is set. */
export function noFilters(f: SearchFilters | undefined): boolean {
  if (!f) return true;
  return Object.values(f).every((v) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
}

/** The CLI's --filter k=v keys, mapped onto the filters (lists are comma-separated). */
export const CLI_FILTER_KEYS: Record<string, keyof SearchFilters> = {
  name: 'name',
  dob: 'dob',
  postcode: 'postcode',
  phone: 'phone',
  email: 'email',
  vehicle: 'vehicle',
  vrm: 'vehicle',
  flight: 'flight',
  business: 'business',
  offence: 'offenceTypes',
  channel: 'channels',
  unit: 'units',
  outcome: 'outcomes',
  status: 'statuses',
  from: 'receivedFrom',
  to: 'receivedTo',
};

/** Parses "k=v" pairs into filters (unvalidated: pass the result through searchFilters). */
export function filtersFromPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i < 1) throw new QuerySyntaxError(`--filter ${pair}: write it as key=value, e.g. postcode=N13`);
    const key = pair.slice(0, i).trim().toLowerCase();
    const value = pair.slice(i + 1).trim();
    const field = CLI_FILTER_KEYS[key];
    if (!field) throw new QuerySyntaxError(`--filter ${key}: unknown filter; use one of ${Object.keys(CLI_FILTER_KEYS).join(', ')}`);
    const list = ['offenceTypes', 'channels', 'units', 'outcomes', 'statuses'].includes(field);
    if (list) {
      const values = value.split(',').map((v) => v.trim()).filter(Boolean);
      out[field] = [...((out[field] as string[] | undefined) ?? []), ...(field === 'units' ? values.map((v) => v.toUpperCase()) : values.map((v) => v.toLowerCase()))];
    } else out[field] = value;
  }
  return out;
}

const LIST_FIELDS = new Set<keyof SearchFilters>(['offenceTypes', 'channels', 'units', 'outcomes', 'statuses']);

/** Filters as URL parameters (the search screen's address carries them, so back, reload and links work). */
export function filtersToParams(f: SearchFilters | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!f) return out;
  for (const [key, field] of Object.entries(CLI_FILTER_KEYS)) {
    if (key === 'vrm') continue;
    const v = f[field];
    if (Array.isArray(v) ? v.length : v) out[key] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

/** The filters in URL parameters (unknown keys ignored; values validated later by searchFilters). */
export function filtersFromParams(params: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(CLI_FILTER_KEYS)) {
    const v = params[key]?.trim();
    if (!v) continue;
    out[field] = LIST_FIELDS.has(field) ? v.split(',').filter(Boolean) : v;
  }
  return out;
}
