// One change row, in the one shape every write produces: which row of which synced entity, what each field was
// and became, and the hybrid logical clock of the write. Sync pushes these, the server validates and merges
// them field by field, and a desk applies other desks' changes from them.
import { z } from 'zod';
import { entitySpec, type EntitySpec } from './entities.ts';

export const HLC_PATTERN = /^\d{13}-\d{5}-[A-Za-z0-9_-]{1,64}$/;

/** A column's value as it travels: text, a number, null, or bytes (sealed payloads) as base64. */
export const fieldValue = z.union([z.string(), z.number(), z.null(), z.object({ b64: z.string() }).strict()]);
export type FieldValue = z.infer<typeof fieldValue>;

export const fieldChange = z.object({ from: fieldValue, to: fieldValue }).strict();
export type FieldChange = z.infer<typeof fieldChange>;

function valueProblem(v: unknown): string | null {
  if (v === null || typeof v === 'string') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : 'is not a finite number';
  if (typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'b64' && typeof (v as { b64: unknown }).b64 === 'string') return null;
  }
  return 'must be text, a number, null or {"b64": text}';
}

/** What is wrong with a change's fields, naming the first field at fault, or null: the rules of fieldChange. */
export function fieldsProblem(fields: unknown): string | null {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return 'fields must be an object of {from, to} by column';
  for (const name of Object.keys(fields)) {
    // zod's record passes over an own "__proto__" key without looking at it; a change names columns, and a key that
    // is read as an object's prototype is never one, so it is refused here rather than passed on unchecked.
    if (name === '__proto__') return 'field "__proto__" is not a column name';
    const c = (fields as Record<string, unknown>)[name];
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return `field ${JSON.stringify(name)} must be {from, to}`;
    const keys = Object.keys(c);
    if (keys.length !== 2 || !keys.includes('from') || !keys.includes('to')) return `field ${JSON.stringify(name)} must have "from" and "to" and nothing else`;
    for (const side of ['from', 'to'] as const) {
      const problem = valueProblem((c as Record<string, unknown>)[side]);
      if (problem) return `field ${JSON.stringify(name)}: "${side}" ${problem}`;
    }
  }
  return null;
}

/**
 * A change's fields, column by column: the same rules as a record of fieldChange (and no "__proto__" key), checked in one pass over the value
 * (no copy). As a record of unions, zod's checking of the fields of every change pushed and pulled was a tenth of a
 * busy server's time, most of it in making the copy and collecting it.
 */
export const changeFields = z.custom<Record<string, FieldChange>>((v) => fieldsProblem(v) === null, { error: (issue) => fieldsProblem(issue.input) ?? 'fields are not valid' });

export const CHANGE_OPS = ['insert', 'update', 'append'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export const changeRow = z
  .object({
    /** The desk's own order of its changes (idempotency: a desk and a sequence name one change). */
    seq: z.number().int().positive(),
    hlc: z.string().regex(HLC_PATTERN),
    entity: z.string().min(1).max(64),
    id: z.string().min(1).max(512),
    allegationId: z.string().max(64).nullable(),
    op: z.enum(CHANGE_OPS),
    fields: changeFields,
    userId: z.string().max(64).nullable(),
  })
  .strict();
export type ChangeRow = z.infer<typeof changeRow>;

/**
 * What is wrong with a change against the registry (an unknown entity, an op its merge kind does not allow, a
 * field that is not a synced column, an insert that leaves columns out), or null when it is well formed.
 */
export function changeProblem(c: Pick<ChangeRow, 'entity' | 'op' | 'fields'>): string | null {
  let spec: EntitySpec;
  try {
    spec = entitySpec(c.entity);
  } catch (error) {
    return (error as Error).message;
  }
  if (spec.merge === 'append' && c.op !== 'append') return `${spec.entity} rows are append-only: a change must be an append, not an ${c.op}`;
  if (spec.merge === 'fields' && c.op === 'append') return `${spec.entity} rows merge field by field: a change is an insert or an update`;
  const allowed = new Set(spec.columns);
  for (const f of Object.keys(c.fields)) if (!allowed.has(f)) return `${f} is not a synced field of ${spec.entity}`;
  if (c.op !== 'update') {
    const missing = spec.columns.filter((col) => !(col in c.fields));
    if (missing.length) return `a new ${spec.entity} must give every field; missing ${missing.join(', ')}`;
  } else if (!Object.keys(c.fields).length) {
    return 'an update must change at least one field';
  }
  for (const [f, v] of Object.entries(c.fields)) {
    const bytes = spec.binary?.includes(f) ?? false;
    for (const side of [v.from, v.to]) {
      if (side !== null && bytes !== (typeof side === 'object')) return `${spec.entity}.${f} must travel as ${bytes ? 'bytes ({ b64 })' : 'text or a number'}`;
    }
  }
  return null;
}
