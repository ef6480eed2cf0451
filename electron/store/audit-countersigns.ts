// The server's countersignatures of this desk's audit head (issue 16). Each push that carries the head comes back
// with the server's Ed25519 signature over the desk's id, the head's entry number and MAC, and the server's own audit
// entry that recorded them. Verify then checks that the chain still holds every countersigned entry with that MAC:
// the desk's own keys let someone recompute a chain they cut or edited, but not make the server sign it, so a log
// truncated or re-chained after a sync is caught.
import { createPublicKey, verify } from 'node:crypto';
import type { Db } from './db.ts';
import { prepared } from './statements.ts';
import { countersignMessage, type Countersignature } from '../../shared/sync/countersign.ts';

export interface CountersignedHeadInput {
  seq: number;
  hash: string;
  serverAuditSeq: number;
  countersign: Countersignature;
}

function signatureHolds(h: { deskId: string; seq: number; hash: string; serverAuditSeq: number; publicKey: string; signature: string }): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(h.publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(countersignMessage(h.deskId, h.seq, h.hash, h.serverAuditSeq), 'utf8'), key, Buffer.from(h.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Keeps a countersignature the server sent, after checking it is the server's (the key first seen, pinned) and for
 * this desk. Returns false, keeping nothing, when it is not.
 */
export function recordCountersign(db: Db, deskId: string, h: CountersignedHeadInput, at: string): boolean {
  const c = h.countersign;
  if (c.deskId !== deskId || !signatureHolds({ deskId, seq: h.seq, hash: h.hash, serverAuditSeq: h.serverAuditSeq, publicKey: c.publicKey, signature: c.signature })) return false;
  const pinned = prepared(db, 'SELECT key_id FROM audit_countersigns ORDER BY seq LIMIT 1').get() as { key_id: string } | undefined;
  if (pinned && pinned.key_id !== `${c.keyId} ${c.publicKey}`) return false;
  prepared(db, 'INSERT OR IGNORE INTO audit_countersigns (seq, hash, server_audit_seq, desk_id, key_id, signature, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(h.seq, h.hash, h.serverAuditSeq, deskId, `${c.keyId} ${c.publicKey}`, c.signature, at);
  return true;
}

export interface CountersignCheck {
  /** The latest countersigned head, or null when the server has countersigned none. */
  latest: { seq: number; serverAuditSeq: number; receivedAt: string } | null;
  problem: string | null;
  firstBadSeq: number | null;
}

/** Whether the chain still holds every countersigned entry as the server saw it. */
export function checkCountersigns(db: Db): CountersignCheck {
  const rows = prepared(db, 'SELECT seq, hash, server_audit_seq, desk_id, key_id, signature, received_at FROM audit_countersigns ORDER BY seq').all() as Array<{ seq: number; hash: string; server_audit_seq: number; desk_id: string; key_id: string; signature: string; received_at: string }>;
  const entry = prepared(db, 'SELECT hash FROM audit_log WHERE seq = ?');
  const last = (prepared(db, 'SELECT max(seq) AS seq FROM audit_log').get() as { seq: number | null }).seq ?? 0;
  for (const r of rows) {
    const publicKey = r.key_id.split(' ')[1] ?? '';
    if (!signatureHolds({ deskId: r.desk_id, seq: r.seq, hash: r.hash, serverAuditSeq: r.server_audit_seq, publicKey, signature: r.signature })) {
      return { latest: null, firstBadSeq: r.seq, problem: `the server's countersignature of entry ${r.seq} does not verify: the record of what the server vouched for was altered` };
    }
    const held = entry.get(r.seq) as { hash: string } | undefined;
    if (!held) {
      return { latest: null, firstBadSeq: Math.min(r.seq, last + 1), problem: `the server countersigned entry ${r.seq} at sync (its audit entry ${r.server_audit_seq}), but the log now ends at entry ${last}: entries were cut after they were synced` };
    }
    if (held.hash !== r.hash) {
      return { latest: null, firstBadSeq: r.seq, problem: `entry ${r.seq} is not the entry the server countersigned at sync (its audit entry ${r.server_audit_seq}): the log was rewritten (entries removed, renumbered or re-chained) after it was synced` };
    }
  }
  const latest = rows.at(-1);
  return { latest: latest ? { seq: latest.seq, serverAuditSeq: latest.server_audit_seq, receivedAt: latest.received_at } : null, problem: null, firstBadSeq: null };
}
