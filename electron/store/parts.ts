// The repeating parts of an allegation (subjects, addresses, businesses, phones, emails, vehicles, travel),
// described once: what columns each stores, including the normalised forms search and matching rely on. The
// same description inserts a part, amends it (keeping what it replaced in the change log) and removes it (the
// row stays, marked removed: nothing is deleted).
import type { Mutation } from './store.ts';
import type { ProfileSubject } from '../../shared/matching/allegation.ts';
import { prepared } from './db.ts';
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

export interface PartSpec<T> {
  table: string;
  /** Name of the entity in the change log. */
  entity: string;
  columns(item: T): Record<string, string | number | null>;
}

export const SUBJECTS: PartSpec<SubjectContent> = {
  table: 'subjects',
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
  table: 'addresses',
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
  table: 'businesses',
  entity: 'business',
  columns: (b) => ({ name: b.name, type: b.type, name_key: foldName(b.name) }),
};

export const PHONES: PartSpec<{ number: string }> = {
  table: 'phones',
  entity: 'phone',
  columns: ({ number }) => {
    const n = normalisePhone(number);
    return { number_raw: number, e164: n.e164, national: n.national };
  },
};

export const EMAILS: PartSpec<{ email: string }> = {
  table: 'emails',
  entity: 'email',
  columns: ({ email }) => ({ email_raw: email, email: normaliseEmail(email) }),
};

export const VEHICLES: PartSpec<VehicleContent> = {
  table: 'vehicles',
  entity: 'vehicle',
  columns: (v) => ({ vrm_raw: v.vrm, vrm: normaliseVrm(v.vrm), description: v.description }),
};

export const TRAVEL: PartSpec<TravelContent> = {
  table: 'travel',
  entity: 'travel',
  columns: (t) => ({ flight_raw: t.flight, flight_number: normaliseFlightNumber(t.flight), travel_date: t.travelDate, origin: t.origin, destination: t.destination }),
};

export function insertPart<T>(m: Mutation, spec: PartSpec<T>, allegationId: string, ordinal: number, item: T, id: string): string {
  const row: Record<string, string | number | null> = { id, allegation_id: allegationId, ordinal, ...spec.columns(item), hlc: m.hlc };
  const keys = Object.keys(row);
  prepared(m.db, `INSERT INTO ${spec.table} (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(row);
  const { hlc: _hlc, ...data } = row;
  m.change(spec.entity, id, 'insert', data, allegationId);
  return id;
}

/** Amends a part in place when anything changed; the change log keeps the values it replaced (CPIA). */
export function updatePart<T>(m: Mutation, spec: PartSpec<T>, allegationId: string, id: string, ordinal: number, item: T): boolean {
  const current = prepared(m.db, `SELECT * FROM ${spec.table} WHERE id = ? AND allegation_id = ?`).get(id, allegationId) as Record<string, unknown> | undefined;
  if (!current) throw new Error(`${spec.entity} ${id} does not belong to this allegation`);
  const next: Record<string, string | number | null> = { ...spec.columns(item), ordinal };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (current[k] !== v) {
      before[k] = current[k];
      after[k] = v;
    }
  }
  if (current.removed_at) {
    before.removed_at = current.removed_at;
    after.removed_at = null;
  }
  if (!Object.keys(after).length) return false;
  const sets = Object.keys(after).map((k) => `${k} = @${k}`);
  prepared(m.db, `UPDATE ${spec.table} SET ${sets.join(', ')}, hlc = @hlc WHERE id = @id`).run({ ...after, hlc: m.hlc, id });
  m.change(spec.entity, id, 'update', { before, after }, allegationId);
  return true;
}

/** Marks a part removed; the row and its history stay. */
export function removePart(m: Mutation, table: string, entity: string, allegationId: string, id: string): void {
  prepared(m.db, `UPDATE ${table} SET removed_at = ?, hlc = ? WHERE id = ? AND allegation_id = ? AND removed_at IS NULL`).run(m.at, m.hlc, id, allegationId);
  m.change(entity, id, 'update', { after: { removed_at: m.at } }, allegationId);
}
