// Who may do what to an allegation, as pure rules over plain facts, so that the desk and the central server
// judge a change the same way (the server re-checks every change a desk pushes: shared/sync/rules.ts).
import { NATIONAL_ROLES, ROLE_LABELS, type Role } from './vocabularies.ts';
import { unitName } from './units.ts';
import { NAT_UNIT } from './routing.ts';

export interface Person {
  id: string;
  role: Role;
  unit: string | null;
}

export interface AllegationPlace {
  unit: string | null;
  /** People with an allocation on the allegation that has not ended. */
  allocatedTo: readonly string[];
}

/** Roles that create allegations (the electronic form, imports). */
export const INTAKE_ROLES: readonly Role[] = ['sifter', 'analyst', 'duty_manager', 'compliance_officer', 'manager', 'admin'];
/** Roles that work cases: amend, reallocate, allocate, add notes and attachments. */
export const CASE_ROLES: readonly Role[] = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager', 'admin'];
/** Roles that record the initial assessment. */
export const ASSESS_ROLES: readonly Role[] = ['analyst', 'duty_manager', 'manager'];
/** Roles that record background checks and choose outcomes. */
export const CHECK_ROLES: readonly Role[] = ['analyst', 'duty_manager', 'compliance_officer', 'manager'];
export const OUTCOME_ROLES: readonly Role[] = ['analyst', 'duty_manager', 'compliance_officer', 'manager'];
/** Roles that grade an allegation (3x5x2 and harm). */
export const GRADE_ROLES: readonly Role[] = ['analyst', 'duty_manager', 'compliance_officer', 'manager'];
/** Roles that record actions, their results and the debriefs of operations. */
export const ACTION_ROLES: readonly Role[] = ['analyst', 'duty_manager', 'manager'];
/** Roles that draw and record managers' sample checks. */
export const QA_ROLES: readonly Role[] = ['manager'];
/** Roles that judge links and record the cross-check. */
export const LINK_ROLES: readonly Role[] = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager'];
/** Roles that allocate work to someone other than themselves. */
export const ALLOCATE_ROLES: readonly Role[] = ['duty_manager', 'manager', 'admin'];
/** Roles that work the scan inbox of the post room. */
export const INBOX_ROLES: readonly Role[] = ['sifter', 'manager', 'admin'];
/** Roles that may hold a case's sealed source material (staff working it, and NSU). */
export const SOURCE_ROLES: readonly Role[] = [...CASE_ROLES, 'nsu'];

/**
 * Who may work an allegation: national roles anywhere; others in the allegation's own unit, or when it is
 * allocated to them; a sifter also while it sits in the NAT sift.
 */
export function canWork(person: Person, place: AllegationPlace): boolean {
  if (NATIONAL_ROLES.includes(person.role)) return true;
  if (person.unit && person.unit === place.unit) return true;
  if (person.role === 'sifter' && place.unit === NAT_UNIT) return true;
  return place.allocatedTo.includes(person.id);
}

/**
 * Whether an allegation's `created_by` names this person: the one who keyed it. The desk records its actor as
 * "Display Name (username)"; the username is what stays the same when a display name is corrected.
 */
export function keyedBy(person: { username: string }, createdBy: unknown): boolean {
  return typeof createdBy === 'string' && createdBy.endsWith(` (${person.username})`);
}

/** Roles that work a unit's queue must belong to a unit; a unit named must exist. Null when the pair is fine. */
export function roleUnitProblem(role: Role, unit: string | null, unitExists: (code: string) => boolean): string | null {
  if (unit !== null && !unitExists(unit)) return `Unknown unit ${unit}`;
  const needsUnit: Role[] = ['analyst', 'sifter', 'compliance_officer', 'duty_manager'];
  if (needsUnit.includes(role) && !unit) return `A ${role.replace('_', ' ')} must belong to a unit`;
  return null;
}

/** Who may take a case themselves: its own unit's analysts and duty managers. */
const SELF_ALLOCATING: readonly Role[] = ['analyst', 'duty_manager'];
/** Who allocates others: duty managers (their unit's cases), managers and administrators. */
const ALLOCATING_OTHERS: readonly Role[] = ['duty_manager', 'manager', 'admin'];
/** Who can be allocated a case: analysts and duty managers, of its unit or (to bring it to them) another. */
const ALLOCATABLE: readonly Role[] = ['analyst', 'duty_manager'];

export interface Allocating extends Person {
  name: string;
}

/**
 * Why `by` may not allocate the allegation to `to`, or null when they may. Being allocated opens the case's source
 * pane (and, through the server, its data key): a sifter or a manager could once allocate a case to themselves and
 * then read who reported it (issue 16). The desk and the server judge allocations by this one rule.
 */
export function allocationRefusal(by: Allocating, to: Allocating, a: { reference: string; unit: string | null }): string | null {
  const role = (p: Allocating) => ROLE_LABELS[p.role].replace(/^RIU |^NAT /, '').toLowerCase();
  if (by.id === to.id) {
    if (!SELF_ALLOCATING.includes(by.role)) {
      return `A ${role(by)} cannot allocate a case to themselves: being allocated opens its source pane. Ask ${unitName(a.unit)}'s duty manager or a manager to allocate it.`;
    }
    if (by.unit !== a.unit) return `${a.reference} belongs to ${unitName(a.unit)}: only its own unit's staff take it. Ask that unit's duty manager, or reallocate it.`;
    return null;
  }
  if (!ALLOCATING_OTHERS.includes(by.role)) return `A ${role(by)} may not allocate work to someone else: duty managers, managers and administrators do`;
  if (by.role === 'duty_manager' && by.unit !== a.unit) return `A duty manager allocates their own unit's cases; ${a.reference} belongs to ${unitName(a.unit)}.`;
  if (!ALLOCATABLE.includes(to.role)) {
    return `${to.name} cannot be allocated ${a.reference}: cases are allocated to analysts and duty managers (being allocated opens the source pane).`;
  }
  return null;
}
