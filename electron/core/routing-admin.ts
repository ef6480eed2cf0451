// The routing table is data an administrator edits in the app. Every version is checked before it is used
// (every unit it names must exist) and kept in the audit log with the reason for the change.
import type { HasStore, RoutingAdmin } from './deps.ts';

/** What this module needs of the core. */
export type RoutingAdminDeps = HasStore & RoutingAdmin;
import type { UserRow } from './users.ts';
import { DEFAULT_ROUTING, routingTable, validateRoutingTable, type RoutingTable } from '../../shared/domain/routing.ts';
import { UNIT_CODES } from '../../shared/domain/units.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { describeIssues } from '../../shared/schemas/submission.ts';
import { prepared } from '../store/db.ts';
import { actorFor } from './access.ts';

export function routingState(core: RoutingAdminDeps) {
  const row = prepared(core.store.db, "SELECT value, updated_at, updated_by FROM settings WHERE key = 'routing'").get() as { value: string; updated_at: string; updated_by: string | null } | undefined;
  return { table: core.routingTable(), isDefault: !row, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null };
}

export function updateRouting(core: RoutingAdminDeps, user: UserRow, raw: unknown, reason: string) {
  const parsed = routingTable.safeParse(raw);
  if (!parsed.success) throw new ApiError('bad_request', `The routing table is not valid: ${describeIssues(parsed.error)}`, { table: describeIssues(parsed.error) });
  const problems = validateRoutingTable(parsed.data, UNIT_CODES);
  if (problems.length) throw new ApiError('bad_request', `The routing table names units that do not exist: ${problems.slice(0, 5).join('; ')}`, { table: problems.join('; ') });
  store(core, user, parsed.data, reason);
  return routingState(core);
}

export function resetRouting(core: RoutingAdminDeps, user: UserRow, reason: string) {
  store(core, user, null, reason);
  return routingState(core);
}

function store(core: RoutingAdminDeps, user: UserRow, table: RoutingTable | null, reason: string): void {
  const previous = core.routingTable();
  core.store.mutate({ actor: actorFor(user), action: table ? 'routing.update' : 'routing.reset', entity: 'settings', entityId: 'routing', details: { reason, changedAreas: changedKeys(previous, table ?? DEFAULT_ROUTING) } }, (m) => {
    // Back to the shipped table: the setting holds null (settings are never deleted, so that the reset syncs).
    m.put('setting', { key: 'routing', value: JSON.stringify(table), updated_at: m.at, updated_by: m.actor.name });
  });
  core.invalidateRouting();
}

function changedKeys(a: RoutingTable, b: RoutingTable): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a.areas), ...Object.keys(b.areas)])) if (a.areas[k] !== b.areas[k]) out.push(`${k}: ${a.areas[k] ?? '-'} -> ${b.areas[k] ?? '-'}`);
  for (const k of new Set([...Object.keys(a.districts), ...Object.keys(b.districts)])) if (a.districts[k] !== b.districts[k]) out.push(`${k}: ${a.districts[k] ?? '-'} -> ${b.districts[k] ?? '-'}`);
  return out;
}
