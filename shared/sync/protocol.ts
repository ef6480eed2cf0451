// The sync protocol between a desk and the central server, as zod schemas both sides validate with:
// push (the desk's change rows after its cursor), pull (other desks' accepted changes within its scope, and the
// whole rows of allegations that came into its scope), the initial snapshot, conflicts, the live nudge and blobs.
import { z } from 'zod';
import { changeRow, fieldValue, CHANGE_OPS, HLC_PATTERN } from './changes.ts';
import { countersignature } from './countersign.ts';

/** At most this many changes in one push; the desk sends the rest in the next. */
export const MAX_PUSH = 2000;
export const MAX_PULL = 5000;

/** The head of a desk's own audit chain (its last entry's number and hash), sent with a push for the server to record. */
export const auditHead = z.object({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type AuditHead = z.infer<typeof auditHead>;

export const pushRequest = z
  .object({
    /** The desk's changes in its own order, seq rising by one from where the server's answer said to go on. */
    changes: z.array(changeRow).min(1).max(MAX_PUSH),
    /**
     * The desk's audit head as the push leaves it. The server writes it into its own MAC-chained audit trail, so that
     * entries later cut from the end of the desk's chain are noticed against the server's record.
     */
    auditHead: auditHead.optional(),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequest>;

export const pushResult = z.object({
  seq: z.number().int().positive(),
  status: z.enum(['accepted', 'rejected']),
  /** The change's place in the national order. */
  serverSeq: z.number().int().positive(),
  /** Why it was rejected: it comes back to its author as a conflict. */
  reason: z.string().nullable(),
  /** Fields where a newer write already stood: stored, but those fields kept the newer value. */
  stale: z.array(z.string()),
  conflictId: z.number().int().positive().nullable(),
});
export type PushResult = z.infer<typeof pushResult>;

export const pushResponse = z.object({
  results: z.array(pushResult),
  /** The next seq the server expects from this desk. */
  nextSeq: z.number().int().positive(),
  /** National references given to allegations first seen in this push (their provisional one stays an alias). */
  references: z.array(z.object({ allegationId: z.string(), reference: z.string(), provisional: z.string().nullable() })),
  serverHlc: z.string().regex(HLC_PATTERN),
  /** The desk's audit head as the server recorded it, with the number of the server's own audit entry that holds it. */
  auditHead: z.object({ seq: z.number().int().positive(), hash: z.string(), serverAuditSeq: z.number().int().positive(), countersign: countersignature.optional() }).nullable().optional(),
});
export type PushResponse = z.infer<typeof pushResponse>;

export const pullQuery = z
  .object({
    cursor: z.coerce.number().int().min(0),
    limit: z.coerce.number().int().min(1).max(MAX_PULL).default(1000),
  })
  .strict();

/** An accepted change as another desk receives it. */
export const pulledChange = z.object({
  serverSeq: z.number().int().positive(),
  /** The desk it came from; null when the server made it (a national reference, an account). */
  deskId: z.string().nullable(),
  hlc: z.string().regex(HLC_PATTERN),
  entity: z.string(),
  id: z.string(),
  allegationId: z.string().nullable(),
  op: z.enum(CHANGE_OPS),
  fields: changeRow.shape.fields,
  userId: z.string().nullable(),
});
export type PulledChange = z.infer<typeof pulledChange>;

/** A whole row as the server holds it, with the clock of each field. */
export const snapshotRow = z.object({
  entity: z.string(),
  id: z.string(),
  data: z.record(z.string(), fieldValue),
  clocks: z.record(z.string(), z.string()),
});
export type SnapshotRow = z.infer<typeof snapshotRow>;

export const pullResponse = z.object({
  changes: z.array(pulledChange),
  /** Every row of allegations that came into this desk's scope in this window (reallocated to its unit, allocated to one of its people). */
  snapshots: z.array(snapshotRow),
  /** Allegations that left this desk's scope in this window: the desk keeps what it may and marks them moved. */
  moved: z.array(z.object({ allegationId: z.string(), unit: z.string().nullable(), serverSeq: z.number().int().positive() })),
  cursor: z.number().int().min(0),
  /** More is waiting: pull again at once. */
  more: z.boolean(),
  serverHlc: z.string().regex(HLC_PATTERN),
  /** Poll again after this many seconds when the live nudge is not connected. */
  pollSeconds: z.number().int().positive(),
});
export type PullResponse = z.infer<typeof pullResponse>;

export const snapshotQuery = z
  .object({
    /** The last allegation id of the previous page; absent for the first page. */
    after: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(2000).default(500),
  })
  .strict();

export const snapshotResponse = z.object({
  /** Pull from here once every page is in (the first page's value). */
  cursor: z.number().int().min(0),
  rows: z.array(snapshotRow),
  allegations: z.number().int().min(0),
  /** Pass as `after` for the next page; null when this was the last. */
  next: z.string().nullable(),
});
export type SnapshotResponse = z.infer<typeof snapshotResponse>;

/** Rows as the server holds them now, by key: a desk restores what a rejected change of its own had written. */
export const MAX_ROWS = 500;
export const rowKey = z.object({ entity: z.string().min(1).max(64), id: z.string().min(1).max(512) }).strict();
export const rowsRequest = z.object({ keys: z.array(rowKey).min(1).max(MAX_ROWS) }).strict();
export const rowsResponse = z.object({
  rows: z.array(snapshotRow),
  /** Keys the server holds no row for within this desk's scope (never created, or created by a rejected change). */
  missing: z.array(rowKey),
});
export type RowsResponse = z.infer<typeof rowsResponse>;

export const conflictView = z.object({
  id: z.number().int().positive(),
  serverSeq: z.number().int().positive(),
  deskSeq: z.number().int().positive(),
  userId: z.string().nullable(),
  allegationId: z.string().nullable(),
  entity: z.string(),
  entityId: z.string(),
  reason: z.string(),
  change: changeRow,
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.enum(['reapplied', 'discarded']).nullable(),
  note: z.string().nullable(),
});
export type ConflictView = z.infer<typeof conflictView>;

export const conflictsQuery = z.object({ state: z.enum(['open', 'all']).default('open') }).strict();
export const conflictsResponse = z.object({ conflicts: z.array(conflictView) });

export const resolveConflict = z
  .object({
    /** Reapplied: the person made the change again on today's record (new changes follow); discarded: they let it go. */
    resolution: z.enum(['reapplied', 'discarded']),
    note: z.string().trim().max(2000).default(''),
  })
  .strict();

/** The live nudge: server-sent events on /v1/sync/events. */
export const syncEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), latestSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('waiting'), latestSeq: z.number().int().min(0) }),
]);
export type SyncEvent = z.infer<typeof syncEvent>;

// ------------------------------------------------------------------------------------------------- blobs

export const blobHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lower-case hex');
export const MAX_BLOB_BYTES = 2 * 1024 ** 3;
export const MAX_CHUNK_BYTES = 8 * 1024 ** 2;

export const blobStatus = z.object({
  hash: blobHash,
  /** Bytes the server holds: the upload goes on from here. */
  received: z.number().int().min(0),
  size: z.number().int().min(0).nullable(),
  complete: z.boolean(),
});
export type BlobStatus = z.infer<typeof blobStatus>;

export const blobChunkQuery = z
  .object({
    offset: z.coerce.number().int().min(0),
    /** The whole blob's size in bytes. */
    size: z.coerce.number().int().min(1).max(MAX_BLOB_BYTES),
  })
  .strict();
