// The server's own audit chain: who signed in (and who was refused), which desk registered and who approved it,
// what each push brought and what was accepted or rejected, accounts made and changed. Each entry's MAC (HMAC-
// SHA256 under the server's audit key) covers the previous entry's MAC and the entry itself, so an entry edited,
// removed or inserted in the database breaks the chain for anyone holding the key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { iso } from '../db/database.ts';
import { canonicalJson } from '../../shared/sync/canonical.ts';

export interface AuditInput {
  userId: string | null;
  deskId: string | null;
  action: string;
  details: Record<string, unknown>;
}

export interface AuditRow extends AuditInput {
  seq: number;
  at: string;
}

const GENESIS = '0'.repeat(64);

function mac(key: Buffer, prev: string, e: AuditRow): string {
  return createHmac('sha256', key).update(`${prev}\n${canonicalJson({ seq: e.seq, at: e.at, userId: e.userId, deskId: e.deskId, action: e.action, details: e.details })}`).digest('hex');
}

export interface AuditHead {
  seq: number;
  mac: string;
}

/** The newest entry's number and MAC; the caller holds the write lock. */
export async function auditHead(tx: Queryable): Promise<AuditHead | null> {
  const [head] = await tx.query<AuditHead>('SELECT seq, mac FROM server_audit ORDER BY seq DESC LIMIT 1');
  return head ?? null;
}

/** The row that follows `head` in the chain, MAC and all (for a caller that writes it with its other statements). */
export interface AuditRecord {
  seq: number;
  at: string;
  userId: string | null;
  deskId: string | null;
  action: string;
  /** As JSON text. */
  details: string;
  prevMac: string;
  mac: string;
}

export function auditRecord(key: Buffer, head: AuditHead | null, at: Date, input: AuditInput): AuditRecord {
  const seq = (head?.seq ?? 0) + 1;
  // JSON round trip: what the database gives back is what the MAC must cover.
  const details = JSON.stringify(input.details);
  const entry: AuditRow = { ...input, details: JSON.parse(details) as Record<string, unknown>, seq, at: at.toISOString() };
  const prev = head?.mac ?? GENESIS;
  return { seq, at: entry.at, userId: entry.userId, deskId: entry.deskId, action: entry.action, details, prevMac: prev, mac: mac(key, prev, entry) };
}

/** Appends one entry. The caller holds the write lock (store/… and sync/… take it at the start of their transaction). */
export async function appendAudit(tx: Queryable, key: Buffer, at: Date, input: AuditInput): Promise<number> {
  const r = auditRecord(key, await auditHead(tx), at, input);
  await tx.query('INSERT INTO server_audit (seq, at, user_id, desk_id, action, details, prev_mac, mac) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)', [
    r.seq,
    r.at,
    r.userId,
    r.deskId,
    r.action,
    r.details,
    r.prevMac,
    r.mac,
  ]);
  return r.seq;
}

interface StoredAudit {
  seq: number;
  at: Date | string;
  user_id: string | null;
  desk_id: string | null;
  action: string;
  details: Record<string, unknown>;
  prev_mac: string;
  mac: string;
}

export async function readAudit(db: Queryable, after: number, limit: number): Promise<AuditRow[]> {
  const rows = await db.query<StoredAudit>('SELECT * FROM server_audit WHERE seq > $1 ORDER BY seq LIMIT $2', [after, limit]);
  return rows.map((r) => ({ seq: r.seq, at: iso(r.at), userId: r.user_id, deskId: r.desk_id, action: r.action, details: r.details }));
}

/** Walks the whole chain; null when it verifies, otherwise what is wrong and where. */
export async function verifyAudit(db: Queryable, key: Buffer): Promise<string | null> {
  let prev = GENESIS;
  let expected = 1;
  for (let after = 0; ; ) {
    const rows = await db.query<StoredAudit>('SELECT * FROM server_audit WHERE seq > $1 ORDER BY seq LIMIT 5000', [after]);
    if (!rows.length) return null;
    for (const r of rows) {
      if (r.seq !== expected) return `audit entry ${expected} is missing`;
      if (r.prev_mac !== prev) return `audit entry ${r.seq} does not follow entry ${r.seq - 1}`;
      const want = mac(key, prev, { seq: r.seq, at: iso(r.at), userId: r.user_id, deskId: r.desk_id, action: r.action, details: r.details });
      if (!timingSafeEqual(Buffer.from(want), Buffer.from(r.mac.padEnd(want.length).slice(0, want.length)))) return `audit entry ${r.seq} was altered`;
      prev = r.mac;
      expected++;
      after = r.seq;
    }
  }
}
