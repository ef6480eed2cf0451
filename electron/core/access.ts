// Who may do what to a case, in one place: work it (its unit, national roles, an allocation, the NAT sift), open
// its source pane (allocated staff and NSU), attach to it; how a user is named in the record. Every use-case
// reads these; none writes its own copy.
import type { Actor } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { Status } from '../../shared/domain/vocabularies.ts';
import { allocationRefusal as sharedAllocationRefusal, canWork as sharedCanWork, keyedBy } from '../../shared/domain/access.ts';
import { unitName } from '../../shared/domain/units.ts';
import type { UserRow } from './users.ts';

/** What access rules and use-cases read of an allegation before they act on it. */
export interface CaseRow {
  id: string;
  reference: string;
  unit_code: string | null;
  status: Status;
  received_at: string;
  time_critical: number;
  time_critical_state: string | null;
  free_text: string;
  channel: string;
  reporter_type: string;
  scan_missing_reason: string | null;
  has_source: number;
  created_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
}

export function actorFor(user: UserRow): Actor {
  return { userId: user.id, name: `${user.display_name} (${user.username})` };
}

/** The allegation, or a clear "not found". */
export function loadCase(db: Db, id: string): CaseRow {
  const row = prepared(
    db,
    'SELECT id, reference, unit_code, status, received_at, time_critical, time_critical_state, free_text, channel, reporter_type, scan_missing_reason, has_source, created_by, closed_at, closed_by FROM allegations WHERE id = ?',
  ).get(id) as CaseRow | undefined;
  if (!row) throw new ApiError('not_found', 'No such allegation');
  return row;
}

export function isAllocated(db: Db, userId: string, allegationId: string): boolean {
  return Boolean(prepared(db, 'SELECT 1 FROM allocations WHERE allegation_id = ? AND user_id = ? AND ended_at IS NULL').get(allegationId, userId));
}

/**
 * Who may work an allegation: national roles anywhere; others in the allegation's own unit, or when it is
 * allocated to them; a sifter also while it sits in the NAT sift.
 */
export function canWork(db: Db, user: UserRow, a: Pick<CaseRow, 'id' | 'unit_code'>): boolean {
  // The rule is the one the server judges pushed changes by (shared/domain/access.ts); the allocation is read
  // only when role and unit do not already decide it.
  const person = { id: user.id, role: user.role, unit: user.unit_code };
  return sharedCanWork(person, { unit: a.unit_code, allocatedTo: [] }) || isAllocated(db, user.id, a.id);
}

export function requireWork(db: Db, user: UserRow, a: Pick<CaseRow, 'id' | 'unit_code' | 'reference'>): void {
  if (!canWork(db, user, a)) {
    throw new ApiError('forbidden', `${a.reference} belongs to ${unitName(a.unit_code)}; ask that unit to allocate it to you or reallocate it`);
  }
}

/** The source pane opens to staff allocated to the case and to NSU, nobody else. */
export function mayOpenSource(db: Db, user: UserRow, allegationId: string): boolean {
  if (user.role === 'nsu') return true;
  return isAllocated(db, user.id, allegationId);
}

/** Attaching: whoever may work the case, and whoever keyed it (a sifter attaching the scan of the letter they keyed). */
export function mayAttach(db: Db, user: UserRow, a: Pick<CaseRow, 'id' | 'unit_code' | 'created_by'>): boolean {
  return canWork(db, user, a) || keyedBy(user, a.created_by);
}

/** Why `by` may not allocate case `a` to `to`, or null when they may: the rule the server judges by too. */
export function allocationRefusal(by: UserRow, to: UserRow, a: Pick<CaseRow, 'reference' | 'unit_code'>): string | null {
  const person = (u: UserRow) => ({ id: u.id, role: u.role, unit: u.unit_code, name: u.display_name });
  return sharedAllocationRefusal(person(by), person(to), { reference: a.reference, unit: a.unit_code });
}
