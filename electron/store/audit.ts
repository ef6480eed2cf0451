// The audit log is a chain under a keyed MAC. Each entry's MAC covers its content and the previous entry's MAC,
// with a key that evolves one way at every entry (audit-key-state.ts); the head (last entry and its MAC) is
// signed with the next key at every append. A bare hash chain could be recomputed by whoever edits the rows
// (delete the source.open entries, renumber, rehash: it verified); a keyed one cannot, and the keys of entries
// already written are gone from the desk, so even the holder of the current key cannot rewrite the past or sign a
// shorter head. The chain's first key is sealed in the vault (data_keys, scope "audit:<seq>"): verifying needs it.
//
// Stores from before the keyed chain hold hashed entries (SHA-256 over content and the previous hash). The vault's
// first unlock re-anchors the chain: it writes an "audit.keyed" entry at seq N that carries the last hash, keyed;
// entries before N are verified as hashed and are pinned by that entry, entries from N as keyed.
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from '../../shared/text/canonical-json.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { Db, Stmt } from './db.ts';
import { evolveKey, keyAt, readKeyState, writeKeyState, type ChainKeyState } from './audit-key-state.ts';
import { verifyChain, type ChainVerdict } from './audit-verify.ts';

export const GENESIS_HASH = '0'.repeat(64);
export const KEYED_ACTION = 'audit.keyed';

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

/** The chain's first key and the entry it keys: sealed in the vault, given by it while it is unlocked. */
export interface ChainRoot {
  chain: string;
  from: number;
  key: Buffer;
}

/** Where the chain is keyed from, as the scope of its sealed first key names it ("audit:<seq>:<chain id>"). */
export interface ChainAnchor {
  scope: string;
  chain: string;
  from: number;
}

export const auditKeyScope = (from: number, chain: string) => `audit:${from}:${chain}`;

/** What the head record holds: the last entry, its hash or MAC, and a signature by the next key. */
export interface AuditHead {
  seq: number;
  hash: string;
  sig: string | null;
}

/** The chain cannot be keyed here and now: nothing is written (the mutation that asked fails with this). */
export class AuditKeyError extends ApiError {
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'AuditKeyError';
  }
}

function entryBody(seq: number, prev: string, e: AuditEntryInput): string {
  return canonicalJson({ seq, prev, at: e.at, userId: e.userId, actor: e.actor, action: e.action, entity: e.entity, entityId: e.entityId, allegationId: e.allegationId, details: e.details });
}

/** An entry of the hashed part of a chain (before it was keyed). */
export function auditHash(seq: number, prevHash: string, e: AuditEntryInput): string {
  return createHash('sha256').update(entryBody(seq, prevHash, e)).digest('hex');
}

/** An entry of the keyed part of a chain. */
export function auditMac(key: Buffer, seq: number, prev: string, e: AuditEntryInput): string {
  return createHmac('sha256', key).update(entryBody(seq, prev, e)).digest('hex');
}

/** The head's signature, made with the key of the entry after it (which is all the desk then still holds). */
export function headSignature(nextKey: Buffer, seq: number, hash: string): string {
  return createHmac('sha256', nextKey).update(`ims-desk audit head\u0000${seq}\u0000${hash}`).digest('hex');
}

/** The entry from which the chain is keyed, named by the scope of its sealed first key; null before keying. */
export function chainAnchor(db: Db): ChainAnchor | null {
  const rows = db.prepare("SELECT scope FROM data_keys WHERE scope LIKE 'audit:%'").all() as Array<{ scope: string }>;
  if (rows.length === 0) return null;
  const m = rows.length === 1 ? /^audit:(\d{1,15}):([0-9a-f]{16})$/.exec((rows[0] as { scope: string }).scope) : null;
  if (!m) throw new AuditKeyError("The audit chain's sealed key is damaged or doubled in this store. Nothing was changed; restore the store from backup.");
  return { scope: m[0], from: Number(m[1]), chain: m[2] as string };
}

export class AuditLog {
  private readonly db: Db;
  private readonly profileDir: string;
  private readonly insert: Stmt;
  private readonly lastRow: Stmt;
  private readonly writeHead: Stmt;
  /** The vault's sealed first key, while it is unlocked (set by the core). */
  root: (() => ChainRoot | null) | null = null;
  /** The key this process holds for the next entry, once committed. */
  private held: ChainKeyState | null = null;
  /** The key for the entry after those appended in the open transaction: kept once it commits. */
  private pending: ChainKeyState | null = null;
  private anchor: ChainAnchor | null | undefined = undefined;

  constructor(db: Db, profileDir: string) {
    this.db = db;
    this.profileDir = profileDir;
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
    const key = this.keyFor(seq);
    const hash = key ? auditMac(key, seq, prev, entry) : auditHash(seq, prev, entry);
    this.insert.run(seq, entry.at, entry.userId, entry.actor, entry.action, entry.entity, entry.entityId, entry.allegationId, canonicalJson(entry.details), prev, hash);
    let sig: string | null = null;
    if (key) {
      const next = evolveKey(key);
      sig = headSignature(next, seq, hash);
      this.pending = { chain: (this.anchor as ChainAnchor).chain, next: seq + 1, key: next };
    }
    this.writeHead.run(JSON.stringify({ seq, hash, sig } satisfies AuditHead));
    return { seq, hash };
  }

  /** Appends an entry in a transaction of its own (reads that must be audited, sign-ins). */
  record(entry: AuditEntryInput): { seq: number; hash: string } {
    const r = this.db.transaction(() => this.append(entry))();
    if (!this.db.inTransaction) this.committed();
    return r;
  }

  /**
   * After a commit: the key for the next entry replaces the one held, in memory and in the key file; the keys of
   * the entries just written are gone. Called by the store after each mutation (and by record()).
   */
  committed(): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    const last = this.lastRow.get() as { seq: number } | undefined;
    // A transaction that was rolled back leaves a state ahead of the chain: it is dropped, never used.
    if ((last?.seq ?? 0) + 1 !== pending.next) return;
    this.held = pending;
    writeKeyState(this.profileDir, pending);
  }

  /** A transaction that did not commit: the keys it evolved are forgotten. */
  rolledBack(): void {
    this.pending = null;
  }

  /** The key of entry `seq`, or null while the chain is not keyed yet (a store whose vault was never unlocked). */
  private keyFor(seq: number): Buffer | null {
    if (this.anchor === undefined) this.anchor = chainAnchor(this.db);
    const anchor = this.anchor;
    if (anchor === null) return null;
    if (seq < anchor.from) throw new AuditKeyError(`The audit chain is keyed from entry ${anchor.from}, but it ends before it (entry ${seq - 1}): it has been cut. Nothing was changed.`);
    // Keys depend only on the chain's first key and the entry's number, so any state of this chain at or before
    // `seq` will do: the closest is evolved forward.
    const usable = (s: ChainKeyState | null): s is ChainKeyState => s !== null && s.chain === anchor.chain && s.next <= seq;
    if (usable(this.pending) && this.pending.next === seq) return this.pending.key;
    if (usable(this.held) && this.held.next === seq) return this.held.key;
    let best: ChainKeyState | null = null;
    for (const state of [this.pending, this.held, readKeyState(this.profileDir)]) {
      if (usable(state) && (!best || state.next > best.next)) best = state;
    }
    if (best) return keyAt(best, seq);
    const root = this.root?.() ?? null;
    if (root && root.chain === anchor.chain && root.from <= seq) return keyAt({ next: root.from, key: root.key }, seq);
    throw new AuditKeyError(
      `The audit chain's key for entry ${seq} is not held on this desk (keys/audit-chain.key is missing or behind the store). Nothing was changed. Unlock the vault once (IMS_PASSPHRASE, or the prompt) to restore it from the chain's sealed key.`,
    );
  }

  /**
   * With the chain's first key (the vault unlocked): puts back a key file that is missing, damaged, of another
   * chain or ahead of the store, so that the desk can key entries again while locked.
   */
  restoreKeyFile(root: ChainRoot): void {
    const next = ((this.lastRow.get() as { seq: number } | undefined)?.seq ?? 0) + 1;
    const held = readKeyState(this.profileDir);
    if (held && held.chain === root.chain && held.next <= next) return;
    if (next < root.from) return;
    writeKeyState(this.profileDir, { chain: root.chain, next, key: keyAt({ next: root.from, key: root.key }, next) }, { force: true });
  }

  /** Forgets what was read of the chain's keying (the vault has just keyed it). */
  reload(): void {
    this.anchor = undefined;
    this.held = null;
  }

  /** The recorded head, or null when there is none. */
  head(): AuditHead | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'audit_head'").get() as { value: string } | undefined;
    if (!row) return null;
    try {
      const h = JSON.parse(row.value) as Partial<AuditHead> & { mac?: string | null };
      return { seq: Number(h.seq), hash: String(h.hash ?? ''), sig: typeof h.sig === 'string' ? h.sig : null };
    } catch {
      return { seq: NaN, hash: '', sig: null };
    }
  }

  /**
   * Walks the whole chain with the vault's first key: hashed entries before the anchor, keyed ones from it, and
   * the head's signature. Without the key (a locked vault) it cannot say whether a keyed chain was rewritten.
   */
  verify(root: ChainRoot | null = null): ChainVerdict {
    const anchor = chainAnchor(this.db);
    if (anchor && (!root || root.chain !== anchor.chain || root.from !== anchor.from)) {
      throw new AuditKeyError("The audit chain is keyed: verifying it needs the chain's key, which the vault holds. Unlock the vault and verify again.");
    }
    return verifyChain(this.db, anchor ? root : null, this.head());
  }
}

export type { ChainVerdict };
