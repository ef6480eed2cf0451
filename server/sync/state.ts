// The part of the national record one push works on, loaded in a few multi-row queries and held in memory while
// the push's changes are judged and merged in order; then written back in a few multi-row statements (write.ts).
import type { Queryable } from '../db/database.ts';
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
  for (const r of rows) {
    state.rows.set(rowKey(r.entity, r.id), {
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
    });
  }
}

async function loadPlaces(tx: Queryable, state: WorkingState, ids: Iterable<string>): Promise<void> {
  const wanted = [...new Set(ids)].filter((id) => !state.places.has(id));
  if (!wanted.length) return;
  const rows = await tx.query<{ allegation_id: string; unit_code: string | null; status: string | null; reference: string | null; allocated_users: string[]; updated_seq: number }>(
    'SELECT allegation_id, unit_code, status, reference, allocated_users, updated_seq FROM allegation_scope WHERE allegation_id = ANY($1::text[])',
    [wanted],
  );
  for (const r of rows) {
    state.places.set(r.allegation_id, { allegationId: r.allegation_id, unit: r.unit_code, status: r.status, reference: r.reference, allocatedTo: r.allocated_users, updatedSeq: r.updated_seq, stored: true, dirty: false });
  }
}

async function loadPersons(tx: Queryable, state: WorkingState, ids: Iterable<string>): Promise<void> {
  const wanted = [...new Set(ids)].filter((id) => !state.persons.has(id));
  if (!wanted.length) return;
  const rows = await tx.query<{ id: string; username: string; role: Role; unit_code: string | null; active: boolean }>('SELECT id, username, role, unit_code, active FROM users WHERE id = ANY($1::text[])', [wanted]);
  for (const r of rows) state.persons.set(r.id, { id: r.id, username: r.username, role: r.role, unit: r.unit_code, active: r.active });
}

const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);

/** Everything the changes of one push can touch: their rows, parents, allegations, people and references. */
export async function loadState(tx: Queryable, deskId: string, changes: readonly ChangeRow[]): Promise<WorkingState> {
  const state = new WorkingState();
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
  await loadRows(tx, state, rowKeys);
  // Rows already held name their allegations: load those too (an update need not repeat its allegation column).
  for (const r of state.rows.values()) for (const a of r.allegationIds) allegations.add(a);
  await loadRows(tx, state, [...allegations].map((a) => ['allegation', a] as [string, string]));
  await loadPlaces(tx, state, allegations);
  await loadPersons(tx, state, persons);
  const deskUsers = await tx.query<{ user_id: string }>('SELECT user_id FROM desk_users WHERE desk_id = $1', [deskId]);
  for (const u of deskUsers) state.deskUsers.add(u.user_id);

  const national = changes.filter((c) => c.entity === 'allegation' && c.op === 'insert').map((c) => str(c.fields.reference?.to)).filter((r): r is string => r !== null && NATIONAL_REFERENCE.test(r));
  if (national.length) {
    const taken = await tx.query<{ reference: string }>(
      'SELECT reference FROM allegation_scope WHERE reference = ANY($1::text[]) UNION SELECT alias FROM reference_aliases WHERE alias = ANY($1::text[])',
      [national],
    );
    for (const t of taken) state.takenReferences.add(t.reference);
  }
  const years = await tx.query<{ year: number; last: number }>('SELECT year, last FROM reference_sequences');
  for (const y of years) state.referenceYears.set(y.year, { last: y.last, stored: true, dirty: false });
  return state;
}

/** A reference in national form, IMS-YYYY-NNNNNN (a desk's provisional one carries its suffix). */
export const NATIONAL_REFERENCE = /^IMS-(\d{4})-(\d{6})$/;
