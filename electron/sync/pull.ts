// Pull: other desks' accepted changes (and the server's own: national references, accounts) within this desk's
// scope, applied in one transaction per page with the registry's applyChange — field by field by clock, append
// rows by union, so a page applied twice changes nothing. With them come the whole rows of allegations that came
// into scope (reallocated here, allocated to one of this desk's people) and a note of those that left it: this
// desk keeps what it held of them, marked as moved, and receives no more of their changes.
//
// The desk's clock moves past every clock it applies and keeps what it has seen; a clock further ahead of this
// computer's than the drift limit refuses the whole page, with nothing applied (ClockDriftError).
import type { Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { applyChange, applyRow, type WholeRow } from '../store/registry.ts';
import { ENTITIES, entitySpec } from '../../shared/sync/entities.ts';
import type { FieldValue } from '../../shared/sync/changes.ts';
import type { PullResponse, SnapshotRow } from '../../shared/sync/protocol.ts';

/** Blob columns: a row naming a file this desk does not hold sends for it. */
const BLOB_COLUMNS: Readonly<Record<string, readonly string[]>> = { attachment: ['content_hash', 'sanitised_hash'], attachment_sanitised: ['blob_hash'] };
const HASH = /^[0-9a-f]{64}$/;
/** A provisional reference: national form plus this desk's suffix. */
const PROVISIONAL = /^IMS-\d{4}-\d{6}-[A-Z0-9]{1,12}$/;

export interface Applied {
  changes: number;
  rows: number;
  moved: number;
  /** Allegations whose rows changed (the search index and open screens catch up with them). */
  allegations: Set<string>;
  /** Files named by what was applied. */
  blobs: Set<string>;
}

const ORDER = new Map<string, number>(ENTITIES.map((e, i) => [e.entity, i]));

function blobsOf(entity: string, fields: Readonly<Record<string, FieldValue | undefined>>, out: Set<string>): void {
  for (const col of BLOB_COLUMNS[entity] ?? []) {
    const v = fields[col];
    if (typeof v === 'string' && HASH.test(v)) out.add(v);
  }
}

/** Rows of a snapshot in an order in which they can be created (a row's references before it). */
export function creationOrder(rows: readonly SnapshotRow[]): SnapshotRow[] {
  return [...rows].sort((a, b) => (ORDER.get(a.entity) ?? 99) - (ORDER.get(b.entity) ?? 99) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function latestClock(page: { changes: ReadonlyArray<{ hlc: string }>; rows: readonly WholeRow[] }): string | null {
  let max: string | null = null;
  for (const c of page.changes) if (max === null || c.hlc > max) max = c.hlc;
  for (const r of page.rows) for (const h of Object.values(r.clocks)) if (max === null || h > max) max = h;
  return max;
}

/** Applies whole rows (a snapshot page, or allegations that came into scope); the caller holds the transaction. */
export function applyRows(store: Store, rows: readonly SnapshotRow[], out: Applied): void {
  for (const row of creationOrder(rows)) {
    const r = applyRow(store.db, row);
    out.rows++;
    if (r.allegationId) out.allegations.add(r.allegationId);
    blobsOf(row.entity, row.data, out.blobs);
    // An allegation back in scope is no longer "moved".
    if (row.entity === 'allegation') prepared(store.db, 'UPDATE sync_moved SET returned_at = ? WHERE allegation_id = ? AND returned_at IS NULL').run(store.now().toISOString(), row.id);
  }
}

function noteAlias(db: Db, allegationId: string, from: FieldValue, at: string): void {
  if (typeof from === 'string' && PROVISIONAL.test(from)) {
    prepared(db, 'INSERT INTO reference_aliases (alias, allegation_id, created_at) VALUES (?, ?, ?) ON CONFLICT (alias) DO NOTHING').run(from, allegationId, at);
  }
}

/**
 * Applies one page of a pull (the caller holds the transaction and moves the cursor in it). Foreign keys are
 * checked at commit, so a page's rows may arrive in any order within it.
 */
export function applyPullPage(store: Store, page: PullResponse): Applied {
  const db = store.db;
  const out: Applied = { changes: 0, rows: 0, moved: 0, allegations: new Set(), blobs: new Set() };
  db.pragma('defer_foreign_keys = ON');
  const latest = latestClock({ changes: page.changes, rows: page.snapshots });
  if (latest) store.receiveClock(latest);
  const at = store.now().toISOString();
  // Allegations that came into scope arrive whole, as they stand now; the window's changes to them are then older
  // than what is held (skipped by clock) or later (applied).
  applyRows(store, page.snapshots, out);
  for (const c of page.changes) {
    entitySpec(c.entity); // an entity this desk does not know refuses the page: the desk is older than the server
    const r = applyChange(db, c);
    out.changes++;
    if (r.allegationId) out.allegations.add(r.allegationId);
    const to: Record<string, FieldValue> = {};
    for (const [f, v] of Object.entries(c.fields)) to[f] = v.to;
    blobsOf(c.entity, to, out.blobs);
    if (c.entity === 'allegation' && c.fields.reference && r.written.includes('reference')) noteAlias(db, c.id, c.fields.reference.from, at);
  }
  for (const m of page.moved) {
    if (!prepared(db, 'SELECT 1 FROM allegations WHERE id = ?').get(m.allegationId)) continue;
    prepared(db, `INSERT INTO sync_moved (allegation_id, unit_code, server_seq, moved_at) VALUES (?, ?, ?, ?)
                  ON CONFLICT (allegation_id) DO UPDATE SET unit_code = excluded.unit_code, server_seq = excluded.server_seq, moved_at = excluded.moved_at, returned_at = NULL`).run(
      m.allegationId,
      m.unit,
      m.serverSeq,
      at,
    );
    out.moved++;
    out.allegations.add(m.allegationId);
  }
  return out;
}

/** Files named by this desk's rows that it does not hold: queued to fetch. */
export function queueDownloads(db: Db, hashes: Iterable<string>, has: (hash: string) => boolean, at: string): number {
  let n = 0;
  const insert = prepared(db, "INSERT INTO sync_blobs (hash, direction, queued_at) VALUES (?, 'down', ?) ON CONFLICT (hash, direction) DO NOTHING");
  for (const h of hashes) {
    if (has(h)) continue;
    n += insert.run(h, at).changes;
  }
  return n;
}
