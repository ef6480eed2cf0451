// Routing: every allegation gets a unit. Reports route by the postcode of the alleged offence to one of the
// 19 RIUs; London goes to LACAT for initial assessment; no usable location goes to the NAT sift (000 §3.4).
// The postcode -> unit table is data (default-routing.json, editable by an administrator), not code.
import { z } from 'zod';
import defaultRoutingJson from './default-routing.json' with { type: 'json' };
import { parseUkPostcode, type PostcodeParts } from '../text/normalise.ts';
import type { OffenceType } from './vocabularies.ts';

export const routingTable = z.object({
  version: z.number().int(),
  description: z.string().default(''),
  /** Postcode area ("B", "SW") -> unit code. */
  areas: z.record(z.string().regex(/^[A-Z]{1,2}$/, 'must be a postcode area such as B or SW'), z.string().min(1)),
  /** District ("DA5", "KT1") -> unit code; takes precedence over the area. */
  districts: z.record(z.string().regex(/^[A-Z]{1,2}\d{1,2}$/, 'must be a postcode district such as DA5'), z.string().min(1)).default({}),
  /** For LACAT: the London unit each London area is disseminated to by default. */
  londonUnits: z.record(z.string(), z.string()).default({}),
  notes: z.record(z.string(), z.string()).default({}),
});
export type RoutingTable = z.infer<typeof routingTable>;

export const DEFAULT_ROUTING: RoutingTable = routingTable.parse(defaultRoutingJson);

export const NAT_UNIT = 'NAT';
export const LACAT_UNIT = 'LACAT';

export interface RoutingDecision {
  unit: string;
  /** Why: "postcode district DA5", "postcode area B", or "no usable location". */
  reason: string;
  postcode: PostcodeParts | null;
}

export function routePostcode(table: RoutingTable, postcode: PostcodeParts | null): RoutingDecision {
  if (postcode?.district && table.districts[postcode.district]) {
    return { unit: table.districts[postcode.district] as string, reason: `postcode district ${postcode.district}`, postcode };
  }
  if (postcode?.area && table.areas[postcode.area]) {
    return { unit: table.areas[postcode.area] as string, reason: `postcode area ${postcode.area}`, postcode };
  }
  return { unit: NAT_UNIT, reason: postcode?.area ? `postcode area ${postcode.area} is not in the routing table` : 'no usable location', postcode: null };
}

export interface LocatableRecord {
  offenceTypes: readonly OffenceType[];
  addresses: ReadonlyArray<{ type: string; postcode: string }>;
  businesses: ReadonlyArray<{ address: { postcode: string } | null }>;
}

/** Offences that happen at a workplace: the business address is where the offence takes place. */
const WORKPLACE_OFFENCES: ReadonlySet<OffenceType> = new Set(['illegal_working', 'modern_slavery', 'tobacco_alcohol_smuggling']);

/**
 * The postcode of the alleged offence: an offence-location address if given; for workplace offences the
 * business; otherwise the main subject's home, then any address. The first that parses wins.
 */
export function offencePostcode(record: LocatableRecord): PostcodeParts | null {
  const candidates: string[] = [];
  for (const a of record.addresses) if (a.type === 'offence_location') candidates.push(a.postcode);
  if (record.offenceTypes.some((o) => WORKPLACE_OFFENCES.has(o))) for (const b of record.businesses) if (b.address) candidates.push(b.address.postcode);
  for (const a of record.addresses) if (a.type === 'home') candidates.push(a.postcode);
  for (const a of record.addresses) candidates.push(a.postcode);
  for (const b of record.businesses) if (b.address) candidates.push(b.address.postcode);
  for (const raw of candidates) {
    const parts = parseUkPostcode(raw);
    if (parts.area) return parts;
  }
  return null;
}

export function routeRecord(table: RoutingTable, record: LocatableRecord): RoutingDecision {
  return routePostcode(table, offencePostcode(record));
}

/** Checks a routing table an administrator edited: every unit it names must exist. */
export function validateRoutingTable(table: RoutingTable, unitCodes: readonly string[]): string[] {
  const known = new Set(unitCodes);
  const problems: string[] = [];
  for (const [area, unit] of Object.entries(table.areas)) if (!known.has(unit)) problems.push(`area ${area}: unknown unit ${unit}`);
  for (const [district, unit] of Object.entries(table.districts)) if (!known.has(unit)) problems.push(`district ${district}: unknown unit ${unit}`);
  for (const [area, unit] of Object.entries(table.londonUnits)) if (!known.has(unit)) problems.push(`London area ${area}: unknown unit ${unit}`);
  return problems;
}
