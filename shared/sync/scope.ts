// Scope: which desk may hold which synced rows, defined once. The server filters what it sends a desk with it;
// the desk can use it to know what it keeps when an allegation moves away (DESIGN.md, "Sync").
//
// A desk serves one unit and the people who sign in at it. It holds:
// - allegations of its unit, and those allocated to any of its people; every allegation when it is a national
//   desk (the National Allegations Team or the National Source Unit, or a desk used by a manager, NSU, SACU or
//   an administrator);
// - rows of scope 'national' (accounts, settings) everywhere; rows of scope 'user' on the desks of that user;
//   'nsu' rows on NSU desks; 'nat' rows (the post room's scan inbox) on NAT desks.
import { NATIONAL_ROLES, type Role } from '../domain/vocabularies.ts';
import { NAT_UNIT } from '../domain/routing.ts';
import type { EntitySpec } from './entities.ts';
import type { FieldValue } from './changes.ts';

export const NSU_UNIT = 'NSU';

export interface DeskPerson {
  id: string;
  role: Role;
  unit: string | null;
}

export interface DeskScope {
  /** Every allegation (a national desk). */
  allAllegations: boolean;
  /** Units whose allegations the desk holds. */
  units: string[];
  /** People whose allocations, and whose own rows, the desk holds. */
  users: string[];
  nsu: boolean;
  nat: boolean;
}

export function deskScope(desk: { unit: string }, people: readonly DeskPerson[]): DeskScope {
  const nsu = desk.unit === NSU_UNIT || people.some((p) => p.role === 'nsu');
  const nat = desk.unit === NAT_UNIT;
  return {
    allAllegations: desk.unit === NAT_UNIT || desk.unit === NSU_UNIT || people.some((p) => NATIONAL_ROLES.includes(p.role)),
    units: [desk.unit],
    users: people.map((p) => p.id).sort(),
    nsu,
    nat,
  };
}

/** Where one change (or row) lives: the units and people whose desks hold it, as the server records it. */
export interface RowPlace {
  scope: EntitySpec['scope'];
  units: readonly string[];
  users: readonly string[];
}

export function inScope(desk: DeskScope, place: RowPlace): boolean {
  switch (place.scope) {
    case 'national':
      return true;
    case 'allegation':
      return desk.allAllegations || place.units.some((u) => desk.units.includes(u)) || place.users.some((u) => desk.users.includes(u));
    case 'user':
      return place.users.some((u) => desk.users.includes(u));
    case 'nsu':
      return desk.nsu;
    case 'nat':
      return desk.nat;
  }
}

/**
 * The allegations a row belongs to, read from its own columns (`allegations`), or null when the registry says
 * they come from a parent row (`parent`), whose allegations the caller looks up.
 */
export function rowAllegations(spec: EntitySpec, key: Readonly<Record<string, string | number>>, data: Readonly<Record<string, FieldValue | undefined>>): string[] | null {
  if (spec.parent) return null;
  if (!spec.allegations) return [];
  const out: string[] = [];
  for (const col of spec.allegations) {
    const v = col in key ? key[col] : data[col];
    if (typeof v === 'string' && v && !out.includes(v)) out.push(v);
  }
  return out;
}
