// The one writer of synced rows. Every insert, append and update of a table declared in shared/sync/entities.ts
// goes through here, so that each write and its change row are made from the same values: the change says
// `{field: {from, to}}` for every synced field it touched, with the mutation's hybrid logical clock. The same
// module applies a change made elsewhere (another desk, through the server; or a replay into an empty store),
// field by field by clock for rows that merge by field, by union for append-only rows.
//
// Clocks: a row's `hlc` column is the clock of its creation; a field changed since has its own clock in
// field_clocks. A field's clock is therefore field_clocks' value or, when it has none, the row's.
import { decodeKey, encodeKey, entitySpec, type EntityName, type EntitySpec } from '../../shared/sync/entities.ts';
import { changeProblem, type ChangeOp, type ChangeRow, type FieldChange, type FieldValue } from '../../shared/sync/changes.ts';
import type { Db } from './db.ts';
import { prepared } from './statements.ts';
import { SEALED_FORMAT } from './formats.ts';

export type SqlValue = string | number | bigint | null | Buffer;
export type Row = Record<string, SqlValue>;

/** A change as it is about to be logged: the writer gives the store what to append to the change log. */
export interface PendingChange {
  entity: string;
  id: string;
  allegationId: string | null;
  op: ChangeOp;
  fields: Record<string, FieldChange>;
}

/** Formats that mean a payload is sealed; a restricted column in any other format never enters the change log. */
const SEALED_FORMATS = new Set([SEALED_FORMAT]);

function toField(spec: EntitySpec, column: string, value: SqlValue): FieldValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) {
    if (!spec.binary?.includes(column)) throw new Error(`${spec.entity}.${column} is not declared binary but holds bytes`);
    return { b64: value.toString('base64') };
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function fromField(value: FieldValue): SqlValue {
  if (value !== null && typeof value === 'object') return Buffer.from(value.b64, 'base64');
  return value;
}

function sameValue(a: SqlValue | undefined, b: SqlValue | undefined): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  // SQLite hands back integers as numbers; a boolean-ish 1 and 1n are the same value.
  if (typeof a === 'bigint' || typeof b === 'bigint') return a != null && b != null && BigInt(a as number) === BigInt(b as number);
  return (a ?? null) === (b ?? null);
}

function keyWhere(spec: EntitySpec): string {
  return spec.key.map((k) => `${k} = @__k_${k}`).join(' AND ');
}

function keyParams(spec: EntitySpec, key: Readonly<Record<string, unknown>>): Row {
  return Object.fromEntries(spec.key.map((k) => [`__k_${k}`, key[k] as SqlValue]));
}

function checkColumns(spec: EntitySpec, row: Readonly<Record<string, unknown>>, allowKey: boolean): void {
  for (const c of Object.keys(row)) {
    if (spec.columns.includes(c) || (spec.local && c in spec.local) || (allowKey && spec.key.includes(c))) continue;
    throw new Error(`${c} is not a column of ${spec.entity} (declare it in shared/sync/entities.ts)`);
  }
}

/** The allegation a row belongs to, for the change log's scope: its own column, or its parent row's. */
function allegationOf(db: Db, spec: EntitySpec, row: Readonly<Record<string, unknown>>): string | null {
  const column = spec.allegations?.[0];
  if (column) return (row[column] as string | null | undefined) ?? null;
  if (spec.parent) {
    const parent = entitySpec(spec.parent.entity);
    const parentColumn = parent.allegations?.[0];
    if (!parentColumn) return null;
    const r = prepared(db, `SELECT ${parentColumn} AS a FROM ${parent.table} WHERE ${parent.key[0]} = ?`).get(row[spec.parent.column] as SqlValue) as { a: string } | undefined;
    return r?.a ?? null;
  }
  return null;
}

/** A sealed payload may travel; anything else in a restricted row's binary column may not (plaintext from before the vault). */
function assertSealed(spec: EntitySpec, row: Readonly<Record<string, unknown>>): void {
  if (!spec.restricted || !spec.binary) return;
  for (const col of spec.binary) {
    if (row[col] == null) continue;
    const format = (row.format ?? row.data_format) as string | null | undefined;
    if (!format || !SEALED_FORMATS.has(format)) throw new Error(`${spec.entity}: a restricted payload in format ${String(format)} cannot be written to the change log; seal it first`);
  }
}

function selectColumns(spec: EntitySpec): string {
  return [...spec.key, ...spec.columns].join(', ');
}

export class RowWriter {
  private readonly db: Db;
  private readonly hlc: string;
  private readonly log: (change: PendingChange) => void;

  constructor(db: Db, hlc: string, log: (change: PendingChange) => void) {
    this.db = db;
    this.hlc = hlc;
    this.log = log;
  }

  /** Inserts a row of an entity that merges by field; every synced column is logged as it was stored (defaults too). */
  insert(entity: EntityName, row: Row): Row {
    const spec = entitySpec(entity);
    if (spec.merge !== 'fields') throw new Error(`${entity} rows are append-only: use append`);
    return this.write(spec, row, 'insert');
  }

  /** Appends a row of an append-only entity (a note, a check, a judgement). */
  append(entity: EntityName, row: Row): Row {
    const spec = entitySpec(entity);
    if (spec.merge !== 'append') throw new Error(`${entity} rows merge by field: use insert`);
    return this.write(spec, row, 'append');
  }

  /**
   * Changes the fields of an existing row that differ from `patch`, logging what each was and became; returns
   * the fields changed (empty when nothing differed). Local columns are written but not logged.
   */
  update(entity: EntityName, key: string | Readonly<Record<string, unknown>>, patch: Row): Record<string, FieldChange> {
    const spec = entitySpec(entity);
    if (spec.merge !== 'fields') throw new Error(`${entity} rows are append-only and are never changed`);
    checkColumns(spec, patch, false);
    const k = typeof key === 'string' ? decodeKey(spec, key) : key;
    const names = Object.keys(patch);
    const current = prepared(this.db, `SELECT ${[...new Set([...spec.key, ...spec.columns, ...names])].join(', ')} FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, k)) as Row | undefined;
    if (!current) throw new Error(`${spec.entity} ${encodeKey(spec, k)} does not exist`);
    const changed = names.filter((n) => !sameValue(current[n], patch[n]));
    if (!changed.length) return {};
    const sets = changed.map((n) => `${n} = @${n}`).join(', ');
    prepared(this.db, `UPDATE ${spec.table} SET ${sets} WHERE ${keyWhere(spec)}`).run({ ...Object.fromEntries(changed.map((n) => [n, patch[n] as SqlValue])), ...keyParams(spec, k) });
    const synced = changed.filter((n) => spec.columns.includes(n));
    if (!synced.length) return {};
    const after = { ...current, ...patch };
    assertSealed(spec, after);
    const id = encodeKey(spec, current);
    const fields: Record<string, FieldChange> = {};
    const clock = prepared(this.db, 'INSERT INTO field_clocks (entity, id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT (entity, id, field) DO UPDATE SET hlc = excluded.hlc');
    for (const n of synced) {
      // What a restricted payload was is never logged: only the sealed value now in force travels.
      const from = spec.restricted && spec.binary?.includes(n) ? null : toField(spec, n, current[n] as SqlValue);
      fields[n] = { from, to: toField(spec, n, patch[n] as SqlValue) };
      clock.run(spec.entity, id, n, this.hlc);
    }
    this.log({ entity: spec.entity, id, allegationId: allegationOf(this.db, spec, after), op: 'update', fields });
    return fields;
  }

  /** Inserts the row, or updates the fields of the one already there. */
  put(entity: EntityName, row: Row): void {
    const spec = entitySpec(entity);
    const exists = prepared(this.db, `SELECT 1 FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, row));
    if (!exists) {
      this.insert(entity, row);
      return;
    }
    const patch = { ...row };
    for (const k of spec.key) delete patch[k];
    this.update(entity, row, patch);
  }

  /**
   * Changes a row the change log has never described (written before the log described every write: restricted
   * rows still in plaintext until the vault sealed them) and logs it whole, as it now stands, as an insert.
   */
  replace(entity: EntityName, key: string | Readonly<Record<string, unknown>>, patch: Row): void {
    const spec = entitySpec(entity);
    checkColumns(spec, patch, false);
    const k = typeof key === 'string' ? decodeKey(spec, key) : key;
    const names = Object.keys(patch);
    prepared(this.db, `UPDATE ${spec.table} SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE ${keyWhere(spec)}`).run({ ...patch, ...keyParams(spec, k) });
    this.publish(entity, k);
  }

  /**
   * Logs a row that is already stored, as it stands, as if it had just been inserted: for rows written before the
   * change log described every write (a store from an earlier version), so that sync can carry them.
   */
  publish(entity: EntityName, key: string | Readonly<Record<string, unknown>>, columns?: readonly string[]): void {
    // `columns`: a migration's baseline names the synced columns its schema has so far (later ones are added after it).
    const spec = columns ? { ...entitySpec(entity), columns } : entitySpec(entity);
    const k = typeof key === 'string' ? decodeKey(spec, key) : key;
    const row = prepared(this.db, `SELECT ${selectColumns(spec)} FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, k)) as Row | undefined;
    if (!row) throw new Error(`${spec.entity} ${JSON.stringify(k)} does not exist`);
    this.logWhole(spec, row, spec.merge === 'append' ? 'append' : 'insert');
  }

  private write(spec: EntitySpec, row: Row, op: 'insert' | 'append'): Row {
    checkColumns(spec, row, true);
    for (const k of spec.key) if (row[k] == null) throw new Error(`${spec.entity}: key column ${k} has no value`);
    const names = Object.keys(row);
    const stored = prepared(
      this.db,
      `INSERT INTO ${spec.table} (${[...names, 'hlc'].join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')}, @__hlc) RETURNING ${selectColumns(spec)}`,
    ).get({ ...row, __hlc: this.hlc }) as Row;
    this.logWhole(spec, stored, op);
    return stored;
  }

  private logWhole(spec: EntitySpec, row: Row, op: 'insert' | 'append'): void {
    assertSealed(spec, row);
    const fields: Record<string, FieldChange> = {};
    for (const c of spec.columns) fields[c] = { from: null, to: toField(spec, c, row[c] as SqlValue) };
    this.log({ entity: spec.entity, id: encodeKey(spec, row), allegationId: allegationOf(this.db, spec, row), op, fields });
  }
}

// ----------------------------------------------------------------------------------- applying changes

export interface ApplyResult {
  /** Fields written (a field whose clock was already later stays as it was). */
  written: string[];
  allegationId: string | null;
}

function fieldClock(db: Db, entity: string, id: string, field: string): string | undefined {
  return (prepared(db, 'SELECT hlc FROM field_clocks WHERE entity = ? AND id = ? AND field = ?').get(entity, id, field) as { hlc: string } | undefined)?.hlc;
}

/**
 * Applies a change made elsewhere to this store, without logging it again: a new row is inserted as it was
 * written; on an existing row each field is taken only if the change's clock is later than the field's (last
 * writer wins, field by field); an append-only row already held is left as it is (union). Applying the same
 * change twice changes nothing.
 */
export function applyChange(db: Db, change: Pick<ChangeRow, 'entity' | 'id' | 'op' | 'fields' | 'hlc' | 'allegationId'>): ApplyResult {
  const problem = changeProblem(change);
  if (problem) throw new Error(`Refused change to ${change.entity} ${change.id}: ${problem}`);
  const spec = entitySpec(change.entity);
  const key = decodeKey(spec, change.id);
  const current = prepared(db, `SELECT ${[...spec.key, ...spec.columns, 'hlc'].join(', ')} FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, key)) as Row | undefined;
  if (!current) {
    if (change.op === 'update') throw new Error(`Refused change to ${change.entity} ${change.id}: it updates a row this store does not hold`);
    const row: Row = { ...spec.arriving, ...key };
    for (const [f, v] of Object.entries(change.fields)) row[f] = fromField(v.to);
    const names = Object.keys(row);
    prepared(db, `INSERT INTO ${spec.table} (${[...names, 'hlc'].join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')}, @__hlc)`).run({ ...row, __hlc: change.hlc });
    return { written: Object.keys(change.fields), allegationId: allegationOf(db, spec, row) };
  }
  if (spec.merge === 'append') return { written: [], allegationId: allegationOf(db, spec, current) };
  const written: string[] = [];
  for (const f of Object.keys(change.fields)) {
    const clock = fieldClock(db, spec.entity, change.id, f) ?? (current.hlc as string);
    if (change.hlc <= clock) continue;
    written.push(f);
  }
  if (written.length) {
    prepared(db, `UPDATE ${spec.table} SET ${written.map((f) => `${f} = @${f}`).join(', ')} WHERE ${keyWhere(spec)}`).run({
      ...Object.fromEntries(written.map((f) => [f, fromField((change.fields[f] as FieldChange).to)])),
      ...keyParams(spec, key),
    });
    const clock = prepared(db, 'INSERT INTO field_clocks (entity, id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT (entity, id, field) DO UPDATE SET hlc = excluded.hlc');
    for (const f of written) clock.run(spec.entity, change.id, f, change.hlc);
  }
  return { written, allegationId: allegationOf(db, spec, { ...current, ...key }) };
}

/** A whole row as another side holds it: its synced fields and the clock of each. */
export interface WholeRow {
  entity: string;
  id: string;
  data: Readonly<Record<string, FieldValue>>;
  clocks: Readonly<Record<string, string>>;
}

/**
 * Applies a whole row (a snapshot of the server's record) as the changes that made it: the row is created at its
 * earliest clock if this store lacks it, then each later clock's fields are applied as an update, so every field
 * ends with the value and the clock it has there, unless this store holds a later write of it.
 */
export function applyRow(db: Db, row: WholeRow): ApplyResult {
  const spec = entitySpec(row.entity);
  const groups = new Map<string, string[]>();
  for (const f of Object.keys(row.data)) {
    const clock = row.clocks[f];
    if (!clock) throw new Error(`Refused row ${row.entity} ${row.id}: field ${f} has no clock`);
    groups.set(clock, [...(groups.get(clock) ?? []), f]);
  }
  const clocks = [...groups.keys()].sort();
  const first = clocks[0];
  if (first === undefined) throw new Error(`Refused row ${row.entity} ${row.id}: it has no fields`);
  const key = decodeKey(spec, row.id);
  const held = prepared(db, `SELECT 1 FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, key)) !== undefined;
  const pick = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, { from: null, to: row.data[f] ?? null }]));
  const written: string[] = [];
  let allegationId: string | null = null;
  const apply = (change: Parameters<typeof applyChange>[1]) => {
    const r = applyChange(db, change);
    written.push(...r.written);
    allegationId = r.allegationId;
  };
  if (!held) apply({ entity: row.entity, id: row.id, op: spec.merge === 'append' ? 'append' : 'insert', fields: pick(Object.keys(row.data)), hlc: first, allegationId: null });
  if (spec.merge === 'fields') {
    for (const clock of held ? clocks : clocks.slice(1)) apply({ entity: row.entity, id: row.id, op: 'update', fields: pick(groups.get(clock) ?? []), hlc: clock, allegationId: null });
  } else if (held) {
    allegationId = applyChange(db, { entity: row.entity, id: row.id, op: 'append', fields: pick(Object.keys(row.data)), hlc: first, allegationId: null }).allegationId;
  }
  return { written: [...new Set(written)], allegationId };
}

/** The clock of each field of a row this store holds (its own clock, else the row's), or null when it holds none. */
export function rowClocks(db: Db, entity: string, id: string): Record<string, string> | null {
  const spec = entitySpec(entity);
  const key = decodeKey(spec, id);
  const row = prepared(db, `SELECT hlc FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, key)) as { hlc: string } | undefined;
  if (!row) return null;
  const own = prepared(db, 'SELECT field, hlc FROM field_clocks WHERE entity = ? AND id = ?').all(entity, id) as Array<{ field: string; hlc: string }>;
  const clocks: Record<string, string> = Object.fromEntries(spec.columns.map((c) => [c, row.hlc]));
  for (const c of own) clocks[c.field] = c.hlc;
  return clocks;
}

/** A row's synced fields as they travel ({ b64 } for bytes), or null when this store does not hold it. */
export function rowFields(db: Db, entity: string, id: string): Record<string, FieldValue> | null {
  const spec = entitySpec(entity);
  const key = decodeKey(spec, id);
  const row = prepared(db, `SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE ${keyWhere(spec)}`).get(keyParams(spec, key)) as Row | undefined;
  if (!row) return null;
  return Object.fromEntries(spec.columns.map((c) => [c, toField(spec, c, row[c] as SqlValue)]));
}

/**
 * Puts back, as the server holds them, the fields a rejected change of this desk had written: only those that
 * still carry the rejected change's clock (a later write of this desk stands, and travels in its own change).
 * The value and the clock both become the server's, whatever their order: the rejected write never happened there.
 */
export function restoreFields(db: Db, server: WholeRow, fields: readonly string[], rejectedHlc: string): string[] {
  const spec = entitySpec(server.entity);
  if (spec.merge === 'append') return [];
  const clocks = rowClocks(db, server.entity, server.id);
  if (!clocks) return [];
  const restore = fields.filter((f) => clocks[f] === rejectedHlc && f in server.data && server.clocks[f]);
  if (!restore.length) return [];
  const key = decodeKey(spec, server.id);
  prepared(db, `UPDATE ${spec.table} SET ${restore.map((f) => `${f} = @${f}`).join(', ')} WHERE ${keyWhere(spec)}`).run({
    ...Object.fromEntries(restore.map((f) => [f, fromField(server.data[f] ?? null)])),
    ...keyParams(spec, key),
  });
  const clock = prepared(db, 'INSERT INTO field_clocks (entity, id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT (entity, id, field) DO UPDATE SET hlc = excluded.hlc');
  for (const f of restore) clock.run(spec.entity, server.id, f, server.clocks[f] as string);
  return restore;
}
