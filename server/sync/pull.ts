// Pull and the initial snapshot: what a desk receives, always within its scope (shared/sync/scope.ts).
// - pull: accepted changes of other desks (and the server's own) after the desk's cursor, in the national order;
//   with them, the whole rows of every allegation that came into the desk's scope in that window (reallocated to
//   its unit, allocated to one of its people, or already allocated to someone who first signed in at it), and a
//   note of the allegations that left it.
// - snapshot: a new desk's first fill, page by page, from the rows as they stand; it then pulls from the cursor
//   the first page gave. A row read after that cursor already holds later changes: pulling them again changes
//   nothing, because rows merge by clock and by union.
import type { Queryable } from '../db/database.ts';
import type { ServerContext } from '../context.ts';
import { inScope, type DeskScope } from '../../shared/sync/scope.ts';
import type { PulledChange, PullResponse, RowsResponse, SnapshotResponse, SnapshotRow } from '../../shared/sync/protocol.ts';
import type { EntitySpec } from '../../shared/sync/entities.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';

/** At most this many allegations come whole with one pull; the window closes early to keep the answer small. */
const MAX_ENTERING = 200;

interface LogRow {
  seq: number;
  desk_id: string | null;
  hlc: string;
  entity: string;
  entity_id: string;
  allegation_id: string | null;
  allegation_ids: string[];
  op: ChangeRow['op'];
  fields: ChangeRow['fields'];
  user_id: string | null;
  enters_units: string[];
  enters_users: string[];
  leaves_units: string[];
  leaves_users: string[];
}

export async function latestSeq(db: Queryable): Promise<number> {
  // Backfills take their numbers from the same sequence, under the same lock, without a change of their own.
  const [r] = await db.query<{ seq: number | null }>('SELECT greatest((SELECT max(seq) FROM change_log), (SELECT max(seq) FROM desk_backfill)) AS seq');
  return r?.seq ?? 0;
}

/** The SQL condition "this change or row is in the desk's scope", over columns scope, units and users. */
function scopeCondition(scope: DeskScope, units: string, users: string, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}::text[]`;
  };
  const p = param(scope.users);
  const parts = ["scope = 'national'", `(scope = 'user' AND ${users} && ${p})`];
  parts.push(scope.allAllegations ? "scope = 'allegation'" : `(scope = 'allegation' AND (${units} && ${param(scope.units)} OR ${users} && ${p}))`);
  if (scope.nsu) parts.push("scope = 'nsu'");
  if (scope.nat) parts.push("scope = 'nat'");
  return `(${parts.join(' OR ')})`;
}

async function rowsOfAllegations(db: Queryable, ids: readonly string[]): Promise<SnapshotRow[]> {
  if (!ids.length) return [];
  const rows = await db.query<SnapshotRow>('SELECT entity, id, data, clocks FROM entity_rows WHERE allegation_ids && $1::text[] ORDER BY entity, id', [ids]);
  return rows;
}

export async function pull(ctx: ServerContext, deskId: string, scope: DeskScope, cursor: number, limit: number): Promise<PullResponse> {
  const db = ctx.db;
  const upto = await latestSeq(db);
  const params: unknown[] = [cursor, upto, deskId, limit + 1];
  const condition = scopeCondition(scope, 'scope_units', 'scope_users', params);
  const rows = await db.query<LogRow>(
    `SELECT seq, desk_id, hlc, entity, entity_id, allegation_id, allegation_ids, op, fields, user_id, enters_units, enters_users, leaves_units, leaves_users
       FROM change_log
      WHERE seq > $1 AND seq <= $2 AND status = 'accepted' AND desk_id IS DISTINCT FROM $3 AND ${condition}
      ORDER BY seq LIMIT $4`,
    params as never,
  );
  let more = rows.length > limit;
  let window = more ? rows.slice(0, limit) : rows;

  // Allegations coming in: by a change in the window, or queued when one of the desk's people first signed in here.
  const entering: string[] = [];
  const enteringAt = new Map<string, number>();
  if (!scope.allAllegations) {
    for (let i = 0; i < window.length; i++) {
      const r = window[i] as LogRow;
      const comesIn = r.enters_units.some((u) => scope.units.includes(u)) || r.enters_users.some((u) => scope.users.includes(u));
      if (!comesIn) continue;
      const fresh = r.allegation_ids.filter((a) => !enteringAt.has(a));
      if (entering.length > 0 && entering.length + fresh.length > MAX_ENTERING) {
        window = window.slice(0, i);
        more = true;
        break;
      }
      for (const a of fresh) {
        entering.push(a);
        enteringAt.set(a, r.seq);
      }
    }
  }
  const newCursor = more ? ((window.at(-1)?.seq ?? cursor) as number) : upto;
  const queued = await db.query<{ allegation_id: string }>('SELECT DISTINCT allegation_id FROM desk_backfill WHERE desk_id = $1 AND seq > $2 AND seq <= $3', [deskId, cursor, newCursor]);
  for (const q of queued) if (!enteringAt.has(q.allegation_id)) entering.push(q.allegation_id);

  // Allegations leaving: moved to another unit or no longer allocated to the desk's people, and not held otherwise.
  const leaving = new Map<string, { unit: string | null; serverSeq: number }>();
  if (!scope.allAllegations) {
    for (const r of window) {
      if (!(r.leaves_units.some((u) => scope.units.includes(u)) || r.leaves_users.some((u) => scope.users.includes(u)))) continue;
      for (const a of r.allegation_ids) leaving.set(a, { unit: null, serverSeq: r.seq });
    }
    if (leaving.size) {
      const places = await db.query<{ allegation_id: string; unit_code: string | null; allocated_users: string[] }>(
        'SELECT allegation_id, unit_code, allocated_users FROM allegation_scope WHERE allegation_id = ANY($1::text[])',
        [[...leaving.keys()]],
      );
      for (const p of places) {
        const held = (p.unit_code !== null && scope.units.includes(p.unit_code)) || p.allocated_users.some((u) => scope.users.includes(u));
        if (held) leaving.delete(p.allegation_id);
        else (leaving.get(p.allegation_id) as { unit: string | null }).unit = p.unit_code;
      }
    }
  }

  const changes: PulledChange[] = window.map((r) => ({
    serverSeq: r.seq,
    deskId: r.desk_id,
    hlc: r.hlc,
    entity: r.entity,
    id: r.entity_id,
    allegationId: r.allegation_id,
    op: r.op,
    fields: r.fields,
    userId: r.user_id,
  }));
  await db.query('UPDATE desks SET last_pull_at = $2 WHERE id = $1', [deskId, ctx.now()]);
  return {
    changes,
    snapshots: await rowsOfAllegations(db, entering),
    moved: [...leaving.entries()].map(([allegationId, m]) => ({ allegationId, unit: m.unit, serverSeq: m.serverSeq })),
    cursor: newCursor,
    more,
    serverHlc: ctx.clock.current(),
    pollSeconds: ctx.pollSeconds,
  };
}

export async function snapshot(ctx: ServerContext, scope: DeskScope, after: string | undefined, limit: number): Promise<SnapshotResponse> {
  const db = ctx.db;
  const cursor = await latestSeq(db);
  const rows: SnapshotRow[] = [];
  if (after === undefined) {
    const params: unknown[] = [];
    const condition = scopeCondition(scope, 'allegation_ids', "coalesce(ARRAY[owner_user], '{}')", params);
    rows.push(...(await db.query<SnapshotRow>(`SELECT entity, id, data, clocks FROM entity_rows WHERE scope <> 'allegation' AND ${condition} ORDER BY entity, id`, params as never)));
  }
  const params: unknown[] = [after ?? '', limit + 1];
  let where = '';
  if (!scope.allAllegations) {
    params.push(scope.units, scope.users);
    where = 'AND (unit_code = ANY($3::text[]) OR allocated_users && $4::text[])';
  }
  const page = await db.query<{ allegation_id: string }>(`SELECT allegation_id FROM allegation_scope WHERE allegation_id > $1 ${where} ORDER BY allegation_id LIMIT $2`, params as never);
  const more = page.length > limit;
  const ids = (more ? page.slice(0, limit) : page).map((p) => p.allegation_id);
  rows.push(...(await rowsOfAllegations(db, ids)));
  return { cursor, rows, allegations: ids.length, next: more ? (ids.at(-1) as string) : null };
}

/**
 * Rows as they stand now, by key, within the desk's scope: what a desk restores after the server rejected a change
 * of its own (the rejected change had already been written on the desk). A key the desk may not see, or that the
 * server does not hold, is answered as missing.
 */
export async function rowsByKey(ctx: ServerContext, scope: DeskScope, keys: ReadonlyArray<{ entity: string; id: string }>): Promise<RowsResponse> {
  const byEntity = new Map<string, string[]>();
  for (const k of keys) byEntity.set(k.entity, [...(byEntity.get(k.entity) ?? []), k.id]);
  const found: Array<SnapshotRow & { scope: EntitySpec['scope']; allegation_ids: string[]; owner_user: string | null }> = [];
  for (const [entity, ids] of byEntity) {
    found.push(
      ...(await ctx.db.query<SnapshotRow & { scope: EntitySpec['scope']; allegation_ids: string[]; owner_user: string | null }>(
        'SELECT entity, id, data, clocks, scope, allegation_ids, owner_user FROM entity_rows WHERE entity = $1 AND id = ANY($2::text[])',
        [entity, ids],
      )),
    );
  }
  const allegations = [...new Set(found.flatMap((r) => r.allegation_ids))];
  const places = new Map<string, { unit: string | null; users: string[] }>();
  if (allegations.length) {
    const rows = await ctx.db.query<{ allegation_id: string; unit_code: string | null; allocated_users: string[] }>(
      'SELECT allegation_id, unit_code, allocated_users FROM allegation_scope WHERE allegation_id = ANY($1::text[])',
      [allegations],
    );
    for (const p of rows) places.set(p.allegation_id, { unit: p.unit_code, users: p.allocated_users });
  }
  const visible = found.filter((r) => {
    const ps = r.allegation_ids.map((a) => places.get(a)).filter((p): p is { unit: string | null; users: string[] } => p !== undefined);
    return inScope(scope, {
      scope: r.scope,
      units: ps.map((p) => p.unit).filter((u): u is string => u !== null),
      users: r.scope === 'user' ? (r.owner_user ? [r.owner_user] : []) : ps.flatMap((p) => p.users),
    });
  });
  const held = new Set(visible.map((r) => `${r.entity}\u0000${r.id}`));
  return {
    rows: visible.map((r) => ({ entity: r.entity, id: r.id, data: r.data, clocks: r.clocks })),
    missing: keys.filter((k) => !held.has(`${k.entity}\u0000${k.id}`)).map((k) => ({ entity: k.entity, id: k.id })),
  };
}
