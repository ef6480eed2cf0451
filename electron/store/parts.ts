// The repeating parts of an allegation (subjects, addresses, businesses, phones, emails, vehicles, travel),
// described once: what columns each stores, including the normalised forms search and matching rely on. The
// same description inserts a part, amends it (keeping what it replaced in the change log) and removes it (the
// row stays, marked removed: nothing is deleted).
import type { Mutation } from './store.ts';
import type { ProfileSubject } from '../../shared/matching/allegation.ts';
import { prepared } from './statements.ts';
import { entitySpec, type EntityName } from '../../shared/sync/entities.ts';
import { foldName, normaliseEmail, normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../../shared/text/normalise.ts';

/** A subject as stored; matching profiles read the same shape. */
export type SubjectContent = ProfileSubject;
export interface AddressContent {
  type: string;
  line1: string;
  line2: string;
  town: string;
  postcode: string;
}
export interface BusinessContent {
  name: string;
  type: string;
}
export interface VehicleContent {
  vrm: string;
  description: string;
}
export interface TravelContent {
  flight: string;
  travelDate: string | null;
  origin: string;
  destination: string;
}

/** A repeating part: which synced entity it is, and how its content becomes that entity's columns. */
export interface PartSpec<T> {
  entity: EntityName;
  columns(item: T): Record<string, string | number | null>;
}

export const SUBJECTS: PartSpec<SubjectContent> = {
  entity: 'subject',
  columns: (s) => ({
    role: s.role,
    forename: s.forename,
    middle_names: s.middleNames,
    surname: s.surname,
    known_as: s.knownAs,
    aliases: JSON.stringify(s.aliases),
    dob: s.dob,
    approx_age: s.approxAge,
    gender: s.gender,
    nationality: s.nationality,
    surname_key: foldName(s.surname),
    forename_key: foldName(s.forename),
  }),
};

export const ADDRESSES: PartSpec<AddressContent & { businessId?: string | null }> = {
  entity: 'address',
  columns: (a) => {
    const pc = parseUkPostcode(a.postcode);
    return {
      business_id: a.businessId ?? null,
      type: a.type,
      line1: a.line1,
      line2: a.line2,
      town: a.town,
      postcode_raw: a.postcode,
      postcode: pc.postcode,
      postcode_outward: pc.outward,
      postcode_district: pc.district,
      postcode_area: pc.area,
    };
  },
};

export const BUSINESSES: PartSpec<BusinessContent> = {
  entity: 'business',
  columns: (b) => ({ name: b.name, type: b.type, name_key: foldName(b.name) }),
};

export const PHONES: PartSpec<{ number: string }> = {
  entity: 'phone',
  columns: ({ number }) => {
    const n = normalisePhone(number);
    return { number_raw: number, e164: n.e164, national: n.national };
  },
};

export const EMAILS: PartSpec<{ email: string }> = {
  entity: 'email',
  columns: ({ email }) => ({ email_raw: email, email: normaliseEmail(email) }),
};

export const VEHICLES: PartSpec<VehicleContent> = {
  entity: 'vehicle',
  columns: (v) => ({ vrm_raw: v.vrm, vrm: normaliseVrm(v.vrm), description: v.description }),
};

export const TRAVEL: PartSpec<TravelContent> = {
  entity: 'travel',
  columns: (t) => ({ flight_raw: t.flight, flight_number: normaliseFlightNumber(t.flight), travel_date: t.travelDate, origin: t.origin, destination: t.destination }),
};

export function insertPart<T>(m: Mutation, spec: PartSpec<T>, allegationId: string, ordinal: number, item: T, id: string): string {
  m.insert(spec.entity, { id, allegation_id: allegationId, ordinal, ...spec.columns(item) });
  return id;
}

function requireOwn(m: Mutation, spec: PartSpec<unknown>, allegationId: string, id: string): { removed_at: string | null } {
  const table = entitySpec(spec.entity).table;
  const current = prepared(m.db, `SELECT removed_at FROM ${table} WHERE id = ? AND allegation_id = ?`).get(id, allegationId) as { removed_at: string | null } | undefined;
  if (!current) throw new Error(`${spec.entity} ${id} does not belong to this allegation`);
  return current;
}

/** Amends a part in place when anything changed (a removed part comes back); the change log keeps what it replaced (CPIA). */
export function updatePart<T>(m: Mutation, spec: PartSpec<T>, allegationId: string, id: string, ordinal: number, item: T): boolean {
  requireOwn(m, spec, allegationId, id);
  return Object.keys(m.update(spec.entity, id, { ...spec.columns(item), ordinal, removed_at: null })).length > 0;
}

/** Marks a part removed; the row and its history stay. */
export function removePart(m: Mutation, spec: PartSpec<never>, allegationId: string, id: string): void {
  if (requireOwn(m, spec, allegationId, id).removed_at) return;
  m.update(spec.entity, id, { removed_at: m.at });
}
