// Pull and the initial snapshot: what a desk receives, always within its scope (shared/sync/scope.ts).
// - pull: accepted changes of other desks (and the server's own) after the desk's cursor, in the national order;
//   with them, the whole rows of every allegation that came into the desk's scope in that window (reallocated to
//   its unit, allocated to one of its people, or already allocated to someone who first signed in at it), and a
//   note of the allegations that left it.
// - snapshot: a new desk's first fill, page by page, from the rows as they stand; it then pulls from the cursor
//   the first page gave. A row read after that cursor already holds later changes: pulling them again changes
//   nothing, because rows merge by clock and by union.
import type { Database, Queryable } from '../db/database.ts';
import { SAFE_SEQ, safeSeq } from './numbering.ts';
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
  /** Only for a change that comes in or goes out. */
  allegation_ids: string[] | null;
  op: ChangeRow['op'];
  fields: ChangeRow['fields'];
  user_id: string | null;
  /** The change brings its allegations into the desk's scope (decided in the query: see windowColumns). */
  comes_in: boolean;
  /** The change takes its allegations out of the desk's units or people. */
  goes_out: boolean;
}

/**
 * The newest number a desk may be told it has everything up to: below every transaction still running
 * (numbering.ts), so no change at or below it is still to commit. Backfills are numbered the same way.
 */
export async function latestSeq(db: Queryable): Promise<number> {
  return safeSeq(db);
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

/**
 * Every row of these allegations (up to a snapshot page of them). Looked up allegation by allegation through the
 * index on a row's first allegation, then the few rows of several allegations whose first one is not among them:
 * `allegation_ids && $1` compares each row's list with the whole of a long one, and on PGlite (no autovacuum, so no
 * statistics) the planner cannot tell that an index would serve it; OFFSET 0 keeps each lookup an index scan.
 */
async function rowsOfAllegations(db: Queryable, ids: readonly string[]): Promise<SnapshotRow[]> {
  if (!ids.length) return [];
  return db.query<SnapshotRow>(
    `SELECT DISTINCT ON (r.entity, r.id) r.entity, r.id, r.data, r.clocks
       FROM unnest($1::text[]) AS a(id)
       CROSS JOIN LATERAL (
         SELECT entity, id, data, clocks FROM entity_rows WHERE allegation_ids[1] = a.id
         UNION ALL
         SELECT entity, id, data, clocks FROM entity_rows
          WHERE cardinality(allegation_ids) > 1 AND allegation_ids @> ARRAY[a.id] AND NOT allegation_ids[1] = ANY($1::text[])
         OFFSET 0) AS r
      ORDER BY r.entity, r.id`,
    [ids],
  );
}

interface Window {
  /** The horizon read with the window (numbering.ts). */
  upto: number;
  rows: LogRow[];
  /** Allegations queued for the desk (desk_backfill) after its cursor, up to the horizon, with their numbers. */
  queued: Array<{ a: string; s: number }>;
}

/**
 * The window's columns. Whether a change brings allegations into the desk's scope or takes them out is decided here,
 * and its allegations are sent only when it does: the four lists of units and users and the allegations of every
 * change were parsed from PostgreSQL's text on the server's one thread, only to be compared with the desk's scope.
 */
function windowColumns(scope: DeskScope, params: unknown[]): string {
  const base = 'c.seq, c.desk_id, c.hlc, c.entity, c.entity_id, c.allegation_id, c.op, c.fields, c.user_id';
  if (scope.allAllegations) return `${base}, false AS comes_in, false AS goes_out, NULL::text[] AS allegation_ids`;
  params.push(scope.units, scope.users);
  const units = `$${params.length - 1}::text[]`;
  const users = `$${params.length}::text[]`;
  const comesIn = `(c.enters_units && ${units} OR c.enters_users && ${users})`;
  const goesOut = `(c.leaves_units && ${units} OR c.leaves_users && ${users})`;
  return `${base}, ${comesIn} AS comes_in, ${goesOut} AS goes_out, CASE WHEN ${comesIn} OR ${goesOut} THEN c.allegation_ids END AS allegation_ids`;
}

/**
 * The window of the log a pull gives, below the horizon, and the allegations queued for the desk up to it. On
 * PostgreSQL in one statement, one round trip: read from one snapshot, whose xmin is the horizon, so every
 * transaction below it has ended and what it committed is visible to the same statement (with no change in the
 * window, one row of nulls carries the horizon). PGlite has no round trip to save, and without statistics it planned
 * that statement badly (pull lag p95 5.2 → 14.4 s in the benchmark): it reads the horizon first, then the rest.
 */
async function readWindow(db: Database, deskId: string, scope: DeskScope, cursor: number, limit: number): Promise<Window> {
  const params: unknown[] = [cursor, deskId, limit + 1];
  const condition = scopeCondition(scope, 'c.scope_units', 'c.scope_users', params);
  const columns = windowColumns(scope, params);
  const queuedSql = `SELECT coalesce(json_agg(json_build_object('a', b.allegation_id, 's', b.seq)), '[]') FROM desk_backfill b WHERE b.desk_id = $2 AND b.seq > $1 AND b.seq <= `;
  if (db.kind === 'pglite') {
    // The three readings in one turn of PGlite's one connection: each on its own queued behind every push waiting
    // for it, and a pull during eight desks' pushes waited three times over (pull lag p95 about 2 s).
    return db.transaction(async (tx) => {
      const upto = await safeSeq(tx);
      params.push(upto);
      const rows = await tx.query<LogRow>(
        `SELECT ${columns} FROM change_log c
          WHERE c.seq > $1 AND c.seq <= $${params.length} AND c.status = 'accepted' AND c.desk_id IS DISTINCT FROM $2 AND ${condition}
          ORDER BY c.seq LIMIT $3`,
        params as never,
      );
      const [q] = await tx.query<{ queued: Window['queued'] }>(`SELECT (${queuedSql}$3) AS queued`, [cursor, deskId, upto]);
      return { upto, rows, queued: q?.queued ?? [] };
    });
  }
  const found = await db.query<Partial<LogRow> & { upto: number; queued: Window['queued'] }>(
    `WITH h AS (SELECT ${SAFE_SEQ} AS upto)
     SELECT h.upto, (${queuedSql}h.upto) AS queued, ${columns}
       FROM h LEFT JOIN LATERAL (
              SELECT * FROM change_log c
               WHERE c.seq > $1 AND c.seq <= h.upto AND c.status = 'accepted' AND c.desk_id IS DISTINCT FROM $2 AND ${condition}
               ORDER BY c.seq LIMIT $3) c ON true
      ORDER BY c.seq`,
    params as never,
  );
  const head = found[0];
  return { upto: Math.max(0, Number(head?.upto ?? 0)), rows: (head?.seq == null ? [] : found) as LogRow[], queued: head?.queued ?? [] };
}

export async function pull(ctx: ServerContext, deskId: string, scope: DeskScope, cursor: number, limit: number): Promise<PullResponse> {
  const db = ctx.db;
  // When the desk last pulled: for the administrators' view of desks, never what a pull waits for (on a connection
  // whose commits do not wait for the disk, and at the same time as the reading below).
  const noted = (db.apart ?? db).query('UPDATE desks SET last_pull_at = $2 WHERE id = $1', [deskId, ctx.now()]);
  // Handled if the reading fails first; a failure of its own still fails the pull where it is awaited.
  noted.catch(() => undefined);
  const { upto, rows, queued } = await readWindow(db, deskId, scope, cursor, limit);
  let more = rows.length > limit;
  let window = more ? rows.slice(0, limit) : rows;

  // Allegations coming in: by a change in the window, or queued when one of the desk's people first signed in here.
  const entering: string[] = [];
  const enteringAt = new Map<string, number>();
  if (!scope.allAllegations) {
    for (let i = 0; i < window.length; i++) {
      const r = window[i] as LogRow;
      if (!r.comes_in) continue;
      const fresh = (r.allegation_ids ?? []).filter((a) => !enteringAt.has(a));
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
  // Never backwards: a desk's cursor from another server instance (or a replica) may be ahead of this reading.
  const newCursor = more ? ((window.at(-1)?.seq ?? cursor) as number) : Math.max(cursor, upto);
  for (const q of queued) {
    if (q.s > newCursor || enteringAt.has(q.a)) continue;
    enteringAt.set(q.a, q.s);
    entering.push(q.a);
  }

  // Allegations leaving: moved to another unit or no longer allocated to the desk's people, and not held otherwise.
  const leaving = new Map<string, { unit: string | null; serverSeq: number }>();
  if (!scope.allAllegations) {
    for (const r of window) {
      if (!r.goes_out) continue;
      for (const a of r.allegation_ids ?? []) leaving.set(a, { unit: null, serverSeq: r.seq });
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
  const snapshots = await rowsOfAllegations(db, entering);
  await noted;
  return {
    changes,
    snapshots,
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
