// The part of the national record one push works on, loaded in a few multi-row queries and held in memory while
// the push's changes are judged and merged in order; then written back in a few multi-row statements (write.ts).
import type { Queryable, SqlValue, Statement } from '../db/database.ts';
import { decodeKey, entitySpec, type EntitySpec } from '../../shared/sync/entities.ts';
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';
import type { MergedRow } from '../../shared/sync/merge.ts';
import type { RulePerson, RuleWorld } from '../../shared/sync/rules.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';

export interface RowState extends MergedRow {
  entity: string;
  id: string;
  scope: EntitySpec['scope'];
  allegationIds: string[];
  ownerUser: string | null;
  stored: boolean;
  dirty: boolean;
  /**
   * The fields given a new value since the row was read from the database (only for a stored row): its write sends
   * these alone, laid over the stored row. The stored row is the one read under the push's locks, so nothing else
   * changed it meanwhile; a row's fields are never removed, only set.
   */
  changed?: readonly string[];
}

export interface PlaceState {
  allegationId: string;
  unit: string | null;
  status: string | null;
  reference: string | null;
  allocatedTo: string[];
  stored: boolean;
  dirty: boolean;
}

export const rowKey = (entity: string, id: string) => `${entity}\u0000${id}`;

/** Loaded state plus the edits made to it, with an undo log so a rejected mutation leaves no trace. */
export class WorkingState implements RuleWorld {
  readonly rows = new Map<string, RowState>();
  readonly places = new Map<string, PlaceState>();
  readonly persons = new Map<string, RulePerson>();
  readonly deskUsers = new Set<string>();
  private undo: Array<() => void> | null = null;
  /** Places as they stood when the current mutation began. */
  private readonly startPlaces = new Map<string, PlaceState | undefined>();

  person(id: string): RulePerson | undefined {
    return this.persons.get(id);
  }
  row(entity: string, id: string): RowState | undefined {
    return this.rows.get(rowKey(entity, id));
  }
  place(allegationId: string): PlaceState | undefined {
    return this.places.get(allegationId);
  }
  before(allegationId: string): PlaceState | undefined {
    return this.startPlaces.has(allegationId) ? this.startPlaces.get(allegationId) : this.places.get(allegationId);
  }

  begin(): void {
    this.undo = [];
    this.startPlaces.clear();
  }
  commit(): void {
    this.undo = null;
    this.startPlaces.clear();
  }
  rollback(): void {
    const undo = this.undo ?? [];
    this.undo = null;
    this.startPlaces.clear();
    for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
  }

  putRow(next: RowState): void {
    const key = rowKey(next.entity, next.id);
    const before = this.rows.get(key);
    this.undo?.push(() => (before ? this.rows.set(key, before) : this.rows.delete(key)));
    this.rows.set(key, next);
  }

  putPlace(next: PlaceState): void {
    const before = this.places.get(next.allegationId);
    if (this.undo && !this.startPlaces.has(next.allegationId)) this.startPlaces.set(next.allegationId, before);
    this.undo?.push(() => (before ? this.places.set(next.allegationId, before) : this.places.delete(next.allegationId)));
    this.places.set(next.allegationId, next);
  }
}

interface StoredRow {
  entity: string;
  id: string;
  scope: EntitySpec['scope'];
  allegation_ids: string[];
  owner_user: string | null;
  data: Record<string, FieldValue>;
  clocks: Record<string, string>;
}

const ROW_COLUMNS = 'entity, id, scope, allegation_ids, owner_user, data, clocks';

export async function loadRows(tx: Queryable, state: WorkingState, keys: Iterable<[string, string]>): Promise<void> {
  const wanted = [...new Map([...keys].filter(([e, i]) => !state.rows.has(rowKey(e, i))).map(([e, i]) => [rowKey(e, i), [e, i] as const])).values()];
  if (!wanted.length) return;
  // One query per entity, by primary key (entity = $1 AND id = ANY($2)): a join against a list of pairs lets the
  // planner scan the whole table once it is large.
  const byEntity = new Map<string, string[]>();
  for (const [e, i] of wanted) byEntity.set(e, [...(byEntity.get(e) ?? []), i]);
  const rows: StoredRow[] = [];
  for (const [entity, ids] of byEntity) {
    rows.push(
      ...(await tx.query<StoredRow>(
        `SELECT ${ROW_COLUMNS} FROM entity_rows WHERE entity = $1 AND id = ANY($2::text[])`,
        [entity, ids],
      )),
    );
  }
  for (const r of rows) state.rows.set(rowKey(r.entity, r.id), stored(r));
}

function stored(r: StoredRow): RowState {
  return {
    entity: r.entity,
    id: r.id,
    scope: r.scope,
    allegationIds: r.allegation_ids,
    ownerUser: r.owner_user,
    data: r.data,
    clocks: r.clocks,
    stored: true,
    dirty: false,
  };
}

const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);

/** What one push needs to know of the record, read under the locks on what it touches (see pushRead). */
export interface PushWorld {
  desk: { id: string; node: string; status: string; last_seq: number } | null;
  state: WorkingState;
}

/** The rows, allegations, people and references the changes of one push name (before their rows are read). */
function wantedBy(changes: readonly ChangeRow[]): { rowKeys: Array<[string, string]>; allegations: Set<string>; persons: Set<string>; moving: string[] } {
  const rowKeys: Array<[string, string]> = [];
  const allegations = new Set<string>();
  const moving = new Set<string>();
  const persons = new Set<string>();
  for (const c of changes) {
    let spec: EntitySpec;
    try {
      spec = entitySpec(c.entity);
    } catch {
      continue; // judged unknown later
    }
    rowKeys.push([c.entity, c.id]);
    if (c.allegationId) allegations.add(c.allegationId);
    if (c.userId) persons.add(c.userId);
    for (const col of spec.allegations ?? []) {
      const v = str(c.fields[col]?.to);
      if (v) allegations.add(v);
    }
    if (spec.entity === 'allegation') allegations.add(c.id);
    if (spec.entity === 'allegation' && c.op === 'update' && 'unit_code' in c.fields) moving.add(c.id);
    if (spec.parent) {
      try {
        const key = decodeKey(spec, c.id);
        const parent = key[spec.parent.column] ?? str(c.fields[spec.parent.column]?.to);
        if (parent !== undefined && parent !== null) rowKeys.push([spec.parent.entity, String(parent)]);
      } catch {
        // a malformed key is judged later
      }
    }
    const allocated = str(c.fields.user_id?.to);
    if (allocated) persons.add(allocated);
    const decision = str(c.fields.decision_id?.to);
    if (decision && spec.entity === 'compliance_signoff') rowKeys.push(['outcome_decision', decision]);
    const original = str(c.fields.duplicate_of?.to);
    if (original) allegations.add(original);
  }
  return { rowKeys, allegations, persons, moving: [...moving] };
}


interface PushRead {
  desk: PushWorld['desk'];
  rows: StoredRow[];
  places: Array<{ allegation_id: string; unit_code: string | null; status: string | null; reference: string | null; allocated_users: string[] }>;
  persons: Array<{ id: string; username: string; role: Role; unit_code: string | null; active: boolean }>;
  desk_users: string[];
}

/** Advisory locks on what pushes touch take two keys: this class, and the hash of an allegation's or a row's name. */
export const ROW_LOCK_CLASS = 7240;
/** A push's lock on its desk (one push of a desk at a time): this class and the hash of the desk's id. */
export const DESK_LOCK_CLASS = 7241;

/** The lock names of a push's allegations ('a/id') and of the rows of changes that name no allegation ('r/entity/id'). */
export const allegationLock = (id: string) => `a/${id}`;
const rowLock = (entity: string, id: string) => `r/${entity}/${id}`;

// The rows a push names, each looked up by its primary key in turn (the LATERAL with OFFSET 0 keeps every lookup an
// index probe): a join against the list of pairs let the planner scan the whole table once it was large, and
// `entity = ANY AND id = ANY` then a check of each pair against the whole list compared every candidate (and every
// dead version of an amended row) with hundreds of names.
const named = (columns: string) =>
  `SELECT r.* FROM unnest($2::text[], $3::text[]) AS k(e, i) CROSS JOIN LATERAL (SELECT ${columns} FROM entity_rows WHERE entity = k.e AND id = k.i OFFSET 0) r`;

/**
 * Locks, in one statement and in the order of their hashes (so two pushes never wait for each other in a circle),
 * every allegation the push names or whose rows it names, and the rows of changes that name no allegation. Held
 * until the transaction ends. A row never moves to another allegation, so a lock on its allegations covers it; a
 * hash shared by two names only makes one push wait for another. Answers the names it locked.
 */
const LOCK = `
  WITH names AS MATERIALIZED (SELECT unnest($1::text[]) AS k UNION SELECT 'a/' || unnest(allegation_ids) FROM (${named('allegation_ids')}) n),
       locked AS MATERIALIZED (SELECT h, pg_advisory_xact_lock(${ROW_LOCK_CLASS}, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM names ORDER BY h) s)
  SELECT (SELECT count(*) FROM locked)::int AS locks, (SELECT coalesce(array_agg(k), '{}') FROM names) AS names`;

// An allegation row the changes name is in `named` already, and is not read (and turned into JSON) twice.
const PUSH_READ = `
  WITH named AS MATERIALIZED (${named(ROW_COLUMNS)}),
       allegations AS MATERIALIZED (SELECT unnest($4::text[]) AS id UNION SELECT unnest(allegation_ids) FROM named)
  SELECT (SELECT row_to_json(d) FROM (SELECT id, node, status, last_seq FROM desks WHERE id = $1::text) d) AS desk,
         (SELECT coalesce(json_agg(w), '[]') FROM (SELECT * FROM named
            UNION ALL SELECT ${ROW_COLUMNS} FROM entity_rows WHERE entity = 'allegation'
                        AND id = ANY(ARRAY(SELECT id FROM allegations EXCEPT SELECT id FROM named WHERE entity = 'allegation'))
            UNION ALL SELECT ${ROW_COLUMNS} FROM entity_rows WHERE entity = 'allocation'
                        AND id = ANY(ARRAY(SELECT id FROM allocations WHERE allegation_id = ANY($6::text[]) AND ended_at IS NULL))) w) AS rows,
         (SELECT coalesce(json_agg(s), '[]') FROM (SELECT allegation_id, unit_code, status, reference, allocated_users
            FROM allegation_scope WHERE allegation_id = ANY(ARRAY(SELECT id FROM allegations))) s) AS places,
         (SELECT coalesce(json_agg(u), '[]') FROM (SELECT id, username, role, unit_code, active FROM users WHERE id = ANY($5::text[])) u) AS persons,
         (SELECT coalesce(json_agg(user_id), '[]') FROM desk_users WHERE desk_id = $1::text) AS desk_users`;

export interface PushReading {
  /** The push's opening statements after its BEGIN: the desk's lock, the locks, the read. */
  statements: Statement[];
  /** The read alone, to run again after more locks were taken (see missingLocks). */
  read: Statement;
}

/**
 * The opening of a push, sent with its BEGIN and shared write lock in one round trip: the desk's lock (one
 * push of a desk at a time: its changes follow on from the last one received), the locks on what the changes touch
 * (LOCK), then one read of everything they can touch — their rows and parents, the allegations they name or their
 * rows belong to (rows and places), the people, and every open allocation of a case they move to another unit
 * (judge.ts ends those the desk did not) — with the desk. The read runs after the locks are granted, so it sees
 * whatever the pushes that held them committed: an allocation belongs to its allegation alone, so the lock on a
 * moving case covers its allocations, and none is made or ended elsewhere between the read and the commit.
 */
export function pushRead(deskId: string, changes: readonly ChangeRow[]): PushReading {
  const { rowKeys, allegations, persons, moving } = wantedBy(changes);
  const names = new Set([...allegations].map(allegationLock));
  for (const c of changes) if (!c.allegationId) names.add(rowLock(c.entity, c.id));
  const keys = [...new Map(rowKeys.map(([e, i]) => [`${e}/${i}`, [e, i] as const])).values()];
  const rows: SqlValue[] = [keys.map(([e]) => e), keys.map(([, i]) => i)];
  const read = { sql: PUSH_READ, params: [deskId, ...rows, [...allegations], [...persons], moving] };
  return {
    // An advisory lock, not the desk's row FOR UPDATE: locking a row gives the transaction its id at once, and pulls
    // wait for every transaction with an id to end (numbering.ts); a push takes its id only when it writes, at its end.
    statements: [{ sql: `SELECT pg_advisory_xact_lock(${DESK_LOCK_CLASS}, hashtext($1::text))`, params: [deskId] }, { sql: LOCK, params: [[...names], ...rows] }, read],
    read,
  };
}

/** The names LOCK answered it locked. */
export function lockedNames(row: Record<string, unknown> | undefined): Set<string> {
  return new Set((row?.names as string[] | undefined) ?? []);
}

/**
 * Allegations the read reached that were not locked before it: the allegations of a row that another push created
 * between the push's locks and its read (a link to an allegation the changes do not name). Their state may be older
 * than their lock: the push locks them too and reads again.
 */
export function missingLocks(state: WorkingState, locked: ReadonlySet<string>): string[] {
  const reached = new Set(state.places.keys());
  for (const r of state.rows.values()) for (const a of r.allegationIds) reached.add(a);
  return [...reached].filter((a) => !locked.has(allegationLock(a))).sort();
}

/** Locks more allegations (in the order of their hashes) after the opening ones. */
export function lockMore(allegations: readonly string[]): Statement {
  return {
    sql: `SELECT count(*)::int AS locks FROM (SELECT h, pg_advisory_xact_lock(${ROW_LOCK_CLASS}, h) FROM (SELECT DISTINCT hashtext('a/' || a) AS h FROM unnest($1::text[]) AS a ORDER BY h) s) l`,
    params: [allegations],
  };
}

export function pushWorld(row: Record<string, unknown> | undefined): PushWorld {
  if (!row) throw new Error('the push read returned no row');
  const world = row as unknown as PushRead;
  const state = new WorkingState();
  for (const r of world.rows) {
    const key = rowKey(r.entity, r.id);
    if (!state.rows.has(key)) state.rows.set(key, stored(r));
  }
  for (const p of world.places) {
    state.places.set(p.allegation_id, { allegationId: p.allegation_id, unit: p.unit_code, status: p.status, reference: p.reference, allocatedTo: p.allocated_users, stored: true, dirty: false });
  }
  for (const u of world.persons) state.persons.set(u.id, { id: u.id, username: u.username, role: u.role, unit: u.unit_code, active: u.active });
  for (const u of world.desk_users) state.deskUsers.add(u);
  return { desk: world.desk, state };
}

/** A reference in national form, IMS-YYYY-NNNNNN (a desk's provisional one carries its suffix). */
export const NATIONAL_REFERENCE = /^IMS-(\d{4})-(\d{6})$/;
