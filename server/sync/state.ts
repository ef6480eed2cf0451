// The part of the national record one push works on, loaded in a few multi-row queries and held in memory while
// the push's changes are judged and merged in order; then written back in a few multi-row statements (write.ts).
import type { Queryable, SqlValue } from '../db/database.ts';
import { decodeKey, entitySpec, type EntitySpec } from '../../shared/sync/entities.ts';
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';
import type { MergedRow } from '../../shared/sync/merge.ts';
import type { RulePerson, RuleWorld } from '../../shared/sync/rules.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import type { AuditHead } from '../store/audit.ts';

export interface RowState extends MergedRow {
  entity: string;
  id: string;
  scope: EntitySpec['scope'];
  allegationIds: string[];
  ownerUser: string | null;
  createdSeq: number;
  updatedSeq: number;
  stored: boolean;
  dirty: boolean;
}

export interface PlaceState {
  allegationId: string;
  unit: string | null;
  status: string | null;
  reference: string | null;
  allocatedTo: string[];
  updatedSeq: number;
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
  /** National references already taken (checked for references a desk brings in national form). */
  readonly takenReferences = new Set<string>();
  readonly referenceYears = new Map<number, { last: number; stored: boolean; dirty: boolean }>();
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
  created_seq: number;
  updated_seq: number;
}

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
        'SELECT entity, id, scope, allegation_ids, owner_user, data, clocks, created_seq, updated_seq FROM entity_rows WHERE entity = $1 AND id = ANY($2::text[])',
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
    createdSeq: r.created_seq,
    updatedSeq: r.updated_seq,
    stored: true,
    dirty: false,
  };
}

const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);

/** What one push needs to know, read in one statement under the write lock (see pushRead). */
export interface PushWorld {
  desk: { id: string; node: string; status: string; last_seq: number } | null;
  auditHead: AuditHead | null;
  /** The first change number not yet taken. */
  nextSeq: number;
  state: WorkingState;
}

/** The rows, allegations, people and references the changes of one push name (before their rows are read). */
function wantedBy(changes: readonly ChangeRow[]): { rowKeys: Array<[string, string]>; allegations: Set<string>; persons: Set<string>; national: string[] } {
  const rowKeys: Array<[string, string]> = [];
  const allegations = new Set<string>();
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
  const national = changes.filter((c) => c.entity === 'allegation' && c.op === 'insert').map((c) => str(c.fields.reference?.to)).filter((r): r is string => r !== null && NATIONAL_REFERENCE.test(r));
  return { rowKeys, allegations, persons, national };
}

const ROW_COLUMNS = 'entity, id, scope, allegation_ids, owner_user, data, clocks, created_seq, updated_seq';

interface PushRead {
  desk: PushWorld['desk'];
  head: AuditHead | null;
  next_seq: number;
  rows: StoredRow[];
  places: Array<{ allegation_id: string; unit_code: string | null; status: string | null; reference: string | null; allocated_users: string[]; updated_seq: number }>;
  persons: Array<{ id: string; username: string; role: Role; unit_code: string | null; active: boolean }>;
  desk_users: string[];
  taken: string[];
  years: Array<{ year: number; last: number }>;
}

const PUSH_READ = `
  WITH named AS MATERIALIZED (SELECT ${ROW_COLUMNS} FROM entity_rows
                               WHERE entity = ANY($2::text[]) AND id = ANY($3::text[]) AND entity || '/' || id = ANY($7::text[])),
       allegations AS MATERIALIZED (SELECT unnest($4::text[]) AS id UNION SELECT unnest(allegation_ids) FROM named)
  SELECT (SELECT row_to_json(d) FROM (SELECT id, node, status, last_seq FROM desks WHERE id = $1::text) d) AS desk,
         (SELECT row_to_json(h) FROM (SELECT seq, mac FROM server_audit ORDER BY seq DESC LIMIT 1) h) AS head,
         (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM change_seq) AS next_seq,
         (SELECT coalesce(json_agg(w), '[]') FROM (SELECT * FROM named
            UNION ALL SELECT ${ROW_COLUMNS} FROM entity_rows WHERE entity = 'allegation' AND id = ANY(ARRAY(SELECT id FROM allegations))) w) AS rows,
         (SELECT coalesce(json_agg(s), '[]') FROM (SELECT allegation_id, unit_code, status, reference, allocated_users, updated_seq
            FROM allegation_scope WHERE allegation_id = ANY(ARRAY(SELECT id FROM allegations))) s) AS places,
         (SELECT coalesce(json_agg(u), '[]') FROM (SELECT id, username, role, unit_code, active FROM users WHERE id = ANY($5::text[])) u) AS persons,
         (SELECT coalesce(json_agg(user_id), '[]') FROM desk_users WHERE desk_id = $1::text) AS desk_users,
         (SELECT coalesce(json_agg(t.reference), '[]') FROM (SELECT reference FROM allegation_scope WHERE reference = ANY($6::text[])
            UNION SELECT alias FROM reference_aliases WHERE alias = ANY($6::text[])) t) AS taken,
         (SELECT coalesce(json_agg(y), '[]') FROM (SELECT year, last FROM reference_sequences) y) AS years`;

/**
 * The one read of a push, under the write lock: everything its changes can touch — their rows and parents, the
 * allegations they name or their rows belong to (rows and places), the people, the references — with the desk,
 * the audit chain's head and the next change number. Rows are found by primary key (entity = ANY, id = ANY, then
 * only the wanted pairs): a join against a list of pairs lets the planner scan the whole table once it is large.
 * The push sends it with its BEGIN and lock (Database.transaction's `first`); pushWorld reads its answer.
 */
export function pushRead(deskId: string, changes: readonly ChangeRow[]): { sql: string; params: SqlValue[] } {
  const { rowKeys, allegations, persons, national } = wantedBy(changes);
  return {
    sql: PUSH_READ,
    // An entity's name never holds a slash (the registry's names), so entity/id names one row.
    params: [deskId, [...new Set(rowKeys.map(([e]) => e))], [...new Set(rowKeys.map(([, i]) => i))], [...allegations], [...persons], national, [...new Set(rowKeys.map(([e, i]) => `${e}/${i}`))]],
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
    state.places.set(p.allegation_id, { allegationId: p.allegation_id, unit: p.unit_code, status: p.status, reference: p.reference, allocatedTo: p.allocated_users, updatedSeq: p.updated_seq, stored: true, dirty: false });
  }
  for (const u of world.persons) state.persons.set(u.id, { id: u.id, username: u.username, role: u.role, unit: u.unit_code, active: u.active });
  for (const u of world.desk_users) state.deskUsers.add(u);
  for (const t of world.taken) state.takenReferences.add(t);
  for (const y of world.years) state.referenceYears.set(y.year, { last: y.last, stored: true, dirty: false });
  return { desk: world.desk, auditHead: world.head, nextSeq: world.next_seq, state };
}

/** A reference in national form, IMS-YYYY-NNNNNN (a desk's provisional one carries its suffix). */
export const NATIONAL_REFERENCE = /^IMS-(\d{4})-(\d{6})$/;
