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
    fields: z.record(z.string(), fieldChange),
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
