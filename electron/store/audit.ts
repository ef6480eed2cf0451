// The audit log is a hash chain: each entry's hash covers its content and the previous entry's hash, so an
// edited, deleted or reordered row breaks every hash after it. The server countersigns the head at sync.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/text/canonical-json.ts';
import type { Db, Stmt } from './db.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  at: string;
  userId: string | null;
  actor: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  allegationId: string | null;
  details: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  allegation_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export function auditHash(seq: number, prevHash: string, e: AuditEntryInput): string {
  const body = canonicalJson({
    seq,
    prev: prevHash,
    at: e.at,
    userId: e.userId,
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    allegationId: e.allegationId,
    details: e.details,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** Signs the chain's head, so that entries cut from the end are noticed (the server countersigns at sync). */
export type HeadSigner = (label: string, value: string) => string | null;

interface Head {
  seq: number;
  hash: string;
  mac: string | null;
}

export class AuditLog {
  private readonly db: Db;
  private readonly insert: Stmt;
  private readonly lastRow: Stmt;
  private readonly writeHead: Stmt;
  signer: HeadSigner | null = null;

  constructor(db: Db) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, at, user_id, actor, action, entity, entity_id, allegation_id, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.lastRow = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.writeHead = db.prepare("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  }

  /** Appends an entry; call inside the mutation's transaction so the entry and the change stand or fall together. */
  append(entry: AuditEntryInput): { seq: number; hash: string } {
    const last = this.lastRow.get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS_HASH;
    const hash = auditHash(seq, prev, entry);
    this.insert.run(seq, entry.at, entry.userId, entry.actor, entry.action, entry.entity, entry.entityId, entry.allegationId, canonicalJson(entry.details), prev, hash);
    const head: Head = { seq, hash, mac: this.signer?.('audit head', `${seq}:${hash}`) ?? null };
    this.writeHead.run(JSON.stringify(head));
    return { seq, hash };
  }

  /** Appends an entry in a transaction of its own (reads that must be audited, sign-ins). */
  record(entry: AuditEntryInput): { seq: number; hash: string } {
    return this.db.transaction(() => this.append(entry))();
  }

  /** Walks the whole chain; returns the first entry that does not verify, or null when all do. */
  verify(): { ok: true; entries: number } | { ok: false; entries: number; firstBadSeq: number; problem: string } {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      count++;
      if (row.seq !== expectedSeq) return { ok: false, entries: count, firstBadSeq: row.seq, problem: `entry ${expectedSeq} is missing` };
      if (row.prev_hash !== prev) return { ok: false, entries: count, firstBadSeq: row.seq, problem: 'does not follow the entry before it' };
      let details: Record<string, unknown>;
      try {
        details = JSON.parse(row.details) as Record<string, unknown>;
      } catch {
        return { ok: false, entries: count, firstBadSeq: row.seq, problem: 'details are not valid JSON' };
      }
      const hash = auditHash(row.seq, prev, {
        at: row.at,
        userId: row.user_id,
        actor: row.actor,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        allegationId: row.allegation_id,
        details,
      });
      if (hash !== row.hash) return { ok: false, entries: count, firstBadSeq: row.seq, problem: 'its content does not match its hash' };
      prev = row.hash;
      expectedSeq++;
    }
    const headRow = this.db.prepare("SELECT value FROM meta WHERE key = 'audit_head'").get() as { value: string } | undefined;
    if (headRow) {
      const head = JSON.parse(headRow.value) as Head;
      if (head.seq !== count || head.hash !== prev) {
        return { ok: false, entries: count, firstBadSeq: Math.min(head.seq, count + 1), problem: `the log ends at entry ${count} but its recorded head is entry ${head.seq}: entries were removed from the end` };
      }
      const expected = head.mac && this.signer ? this.signer('audit head', `${head.seq}:${head.hash}`) : null;
      if (expected && expected !== head.mac) return { ok: false, entries: count, firstBadSeq: head.seq, problem: "the recorded head's signature does not verify" };
    }
    return { ok: true, entries: count };
  }
}
