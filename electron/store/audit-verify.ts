// Verifying the audit chain end to end with the vault's first key: every entry in order and unbroken, the hashed
// entries of an upgraded store pinned by the keying entry, every keyed entry's MAC, and a head that names the last
// entry and is signed by the key after it. Each kind of tampering is caught here:
// - an edited entry: its MAC (or hash) no longer matches;
// - a deleted entry: its number is missing; renumbered after a deletion, the MACs of the renumbered entries fail;
// - a reordering: an entry does not follow the one before it;
// - a truncation: the head names a later entry, or is missing, or is signed for another entry;
// - a re-chaining (every hash recomputed without the key): the first recomputed entry's MAC fails.
import type { Db } from './db.ts';
import { auditHash, auditMac, GENESIS_HASH, headSignature, KEYED_ACTION, type AuditEntryInput, type AuditHead, type AuditRow, type ChainRoot } from './audit.ts';
import { evolveKey } from './audit-key-state.ts';

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  /** The first entry that does not verify (or the one a cut head should have named). */
  firstBadSeq: number | null;
  problem: string | null;
  /**
   * The entry from which the chain is keyed; those before it are the hashed entries of an older store. Null for a
   * chain never keyed (a store whose vault was never unlocked): hashes alone cannot show a re-chaining.
   */
  keyedFrom: number | null;
  head: { seq: number; signed: boolean } | null;
  lastAt: string | null;
}

function entryOf(row: AuditRow, details: Record<string, unknown>): AuditEntryInput {
  return { at: row.at, userId: row.user_id, actor: row.actor, action: row.action, entity: row.entity, entityId: row.entity_id, allegationId: row.allegation_id, details };
}

export function verifyChain(db: Db, root: ChainRoot | null, head: AuditHead | null): ChainVerdict {
  const from = root?.from ?? Number.POSITIVE_INFINITY;
  let prev = GENESIS_HASH;
  let expected = 1;
  let count = 0;
  let key = root?.key ?? Buffer.alloc(0);
  let lastAt: string | null = null;
  const verdict = (firstBadSeq: number | null, problem: string | null): ChainVerdict => ({
    ok: problem === null,
    entries: count,
    firstBadSeq,
    problem,
    keyedFrom: root ? from : null,
    head: head ? { seq: head.seq, signed: Boolean(head.sig) } : null,
    lastAt,
  });
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    count++;
    if (row.seq !== expected) return verdict(row.seq, `entry ${expected} is missing`);
    if (row.prev_hash !== prev) return verdict(row.seq, `entry ${row.seq}: does not follow the entry before it`);
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      return verdict(row.seq, `entry ${row.seq}: its details are not valid JSON`);
    }
    const entry = entryOf(row, details);
    if (row.seq < from) {
      if (auditHash(row.seq, prev, entry) !== row.hash) return verdict(row.seq, `entry ${row.seq}: its content does not match its hash`);
    } else {
      if (row.seq === from && (row.action !== KEYED_ACTION || details.keyedFrom !== from)) {
        return verdict(row.seq, `entry ${row.seq} should be the entry that keyed the chain, and is not`);
      }
      if (row.seq > from) key = evolveKey(key);
      if (auditMac(key, row.seq, prev, entry) !== row.hash) return verdict(row.seq, `entry ${row.seq}: its content does not match its MAC (edited, renumbered or re-chained without the key)`);
    }
    prev = row.hash;
    lastAt = row.at;
    expected++;
  }
  if (root && count < from) return verdict(count + 1, `the chain is keyed from entry ${from} but ends at entry ${count}: entries were cut from the end`);
  if (!head) return count === 0 ? verdict(null, null) : verdict(count + 1, `the chain's signed head is missing: entries may have been cut from the end (the log ends at entry ${count})`);
  if (head.seq !== count || head.hash !== prev) {
    return verdict(Math.min(Number.isFinite(head.seq) ? head.seq : count + 1, count + 1), `the log ends at entry ${count} but its recorded head is entry ${head.seq}: entries were removed from the end`);
  }
  if (!root) return verdict(null, null);
  if (!head.sig) return verdict(count, 'the recorded head has no signature: a missing signature is a failure, not a pass');
  if (headSignature(evolveKey(key), head.seq, head.hash) !== head.sig) return verdict(count, "the recorded head's signature does not verify: the head was rewritten");
  return verdict(null, null);
}
