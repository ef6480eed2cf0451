// The vault holds the keys that protect source details, and is the only code that seals or opens them.
// - Every allegation's restricted material (source details, original texts that revealed the source, the contact
//   log) is sealed with that allegation's own data key; data keys are wrapped by the master key (key ring).
// - Blind indexes: HMAC-SHA256 with a separate key over normalised source identifiers, so equal identifiers can
//   be found (repeat referrers) without decrypting anything.
// - While locked, nothing restricted can be written or read; the error says how to unlock.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import type { Actor, Store } from '../store/store.ts';
import { LEGACY_PLAIN_FORMAT, SEALED_FORMAT } from '../store/formats.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { open, seal } from './aead.ts';
import {
  createKeyring,
  finishRotation,
  KeyError,
  keyringExists,
  pendingRotation,
  prepareRotation,
  unlockKeyring,
  unlockPendingRotation,
  type KeyWrapper,
  type UnlockedKeys,
} from './keyring.ts';
import { LocalKeyRing, type KeyService } from './key-service.ts';
import { checkRing, readRingRecord, writeRingRecord } from './ring-record.ts';
import { auditKeyScope, chainAnchor, GENESIS_HASH, KEYED_ACTION, type ChainRoot } from '../store/audit.ts';
import { openReleased, releaseSealKey, sealReleased, type ReleaseBinding } from './released-keys.ts';
import type { Opener } from '../store/allegation-write.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export { SEALED_FORMAT, LEGACY_PLAIN_FORMAT };

export interface VaultStatus {
  exists: boolean;
  unlocked: boolean;
  keyId: string | null;
  /** Rows still in plaintext from before the vault existed (sealed on the next unlock). */
  plaintextRows: number;
}

const VAULT_ACTOR: Actor = { userId: null, name: 'IMS Desk vault' };

class AlreadyKeyed extends Error {}

export class Vault {
  private readonly store: Store;
  private readonly db: Db;
  private readonly profileDir: string;
  private ring: LocalKeyRing | null = null;
  private readonly unlockedListeners: Array<() => Promise<void>> = [];

  constructor(store: Store) {
    this.store = store;
    this.db = store.db;
    this.profileDir = store.profileDir;
  }

  get unlocked(): boolean {
    return this.ring !== null;
  }

  status(): VaultStatus {
    return { exists: keyringExists(this.profileDir), unlocked: this.unlocked, keyId: this.ring?.identity().keyId ?? null, plaintextRows: this.plaintextRows() };
  }

  /**
   * Opens the key ring (creating it on a desk that has none and no sealed data yet), after checking that it is
   * the ring this store was sealed under: another desk's ring is refused before anything is written with it.
   */
  async unlock(wrapper: KeyWrapper): Promise<void> {
    let keys: UnlockedKeys;
    if (!keyringExists(this.profileDir)) {
      const record = readRingRecord(this.db);
      const sealed = (prepared(this.db, 'SELECT count(*) AS n FROM data_keys').get() as { n: number }).n;
      if (record || sealed > 0) {
        const which = record ? ` This store was sealed under key ring ${record.keyId} (fingerprint ${record.fingerprint.slice(0, 16)}).` : '';
        throw new KeyError('missing', `The vault's key ring is missing (${join(this.profileDir, 'keys')}), but ${sealed} sealed records exist.${which} Nothing was changed. Restore the key ring from backup.`);
      }
      keys = await createKeyring(this.profileDir, wrapper);
    } else {
      keys = await unlockKeyring(this.profileDir, wrapper);
      if (pendingRotation(this.profileDir)) keys = await this.recoverRotation(wrapper, keys);
    }
    const ring = new LocalKeyRing(keys);
    const hadRecord = readRingRecord(this.db) !== null;
    checkRing(this.db, ring.identity(), this.store.now().toISOString(), () => this.unwrapsAny(ring));
    this.ring = ring;
    try {
      this.keyAuditChain(hadRecord);
      const root = this.auditRoot();
      if (root) this.store.audit.restoreKeyFile(root);
    } catch (error) {
      this.ring = null;
      throw error;
    }
    this.sealLegacyPlaintext();
    for (const listener of this.unlockedListeners) await listener();
  }

  /**
   * Work that needs the keys and is done at every unlock (sealing what was stored before sealing existed), run
   * before unlock returns. A listener reports its own failures: the vault stays unlocked whatever it does.
   */
  onUnlocked(listener: () => Promise<void>): void {
    this.unlockedListeners.push(listener);
  }

  /** The audit chain's first key, sealed here, while the vault is unlocked (null when locked or not yet keyed). */
  auditRoot(): ChainRoot | null {
    if (!this.ring) return null;
    const anchor = chainAnchor(this.db);
    if (!anchor) return null;
    return { chain: anchor.chain, from: anchor.from, key: this.dataKey(anchor.scope, false) };
  }

  /**
   * Keys the audit chain on the vault's first unlock (a new desk, or a store from before keyed chains): a first
   * key is sealed here and an "audit.keyed" entry, itself keyed, records where keying starts and the last hash of
   * the entries before it, which are verified as hashed from then on.
   */
  private keyAuditChain(ringWasRecorded: boolean): void {
    if (chainAnchor(this.db)) return;
    // The unlock that records the ring keys the chain too, and a keyed chain signs its head: either without the
    // chain's sealed key means the key was removed, and keying afresh would bless whatever the chain now holds.
    if (ringWasRecorded || this.store.audit.head()?.sig) {
      throw new KeyError('corrupt', "This store's audit chain was keyed, but the chain's sealed key is missing from the store: it has been tampered with or damaged. Nothing was changed and the vault stays locked. Restore the store from backup.");
    }
    const chain = randomBytes(8).toString('hex');
    try {
      this.store.mutate({ actor: VAULT_ACTOR, action: KEYED_ACTION, entity: 'audit' }, (m) => {
        if (chainAnchor(m.db)) throw new AlreadyKeyed();
        const last = prepared(m.db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
        const from = (last?.seq ?? 0) + 1;
        this.dataKey(auditKeyScope(from, chain));
        this.store.audit.reload();
        m.note({ keyedFrom: from, hashedEntries: from - 1, lastHash: last?.hash ?? GENESIS_HASH });
      });
    } catch (error) {
      // Another process keyed it first: its key is the chain's.
      if (!(error instanceof AlreadyKeyed)) throw error;
    } finally {
      this.store.audit.reload();
    }
  }

  lock(): void {
    this.ring = null;
  }

  /** The key service in force: the desk's key ring today (a server's, later). */
  keyService(): KeyService {
    return this.require();
  }

  private require(): LocalKeyRing {
    if (!this.ring) throw new ApiError('unavailable', 'The vault is locked, so source details cannot be read or written. Unlock it with the desk passphrase (IMS_PASSPHRASE, or the prompt at start).');
    return this.ring;
  }

  /** Whether the ring opens at least one of the store's data keys (a store made before rings were recorded). */
  private unwrapsAny(ring: KeyService): boolean {
    const row = prepared(this.db, 'SELECT scope, key_id, wrapped FROM data_keys WHERE key_id = ? LIMIT 1').get(ring.identity().keyId) as { scope: string; key_id: string; wrapped: Buffer } | undefined;
    if (!row) return false;
    try {
      ring.unwrap(row.scope, { keyId: row.key_id, wrapped: row.wrapped });
      return true;
    } catch {
      return false;
    }
  }

  /** The data key of a scope ("allegation:<id>", "nsu", "drafts"), created on first use. */
  dataKey(scope: string, create = true): Buffer {
    const ring = this.require();
    const keyId = ring.identity().keyId;
    const row = prepared(this.db, 'SELECT key_id, wrapped FROM data_keys WHERE scope = ?').get(scope) as { key_id: string; wrapped: Buffer } | undefined;
    if (row) {
      if (row.key_id !== keyId) throw new KeyError('corrupt', `The data key of ${scope} is wrapped by key ${row.key_id}, which is not the key ring's (${keyId}). Restore the matching key ring.`);
      return ring.unwrap(scope, { keyId: row.key_id, wrapped: row.wrapped });
    }
    if (!create) throw new ApiError('not_found', 'No sealed material here');
    const key = randomBytes(32);
    const wrapped = ring.wrap(scope, key);
    prepared(this.db, 'INSERT INTO data_keys (scope, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)').run(scope, wrapped.keyId, wrapped.wrapped, new Date().toISOString());
    return key;
  }

  sealJson(scope: string, aad: string, value: unknown): Buffer {
    return seal(this.dataKey(scope), Buffer.from(JSON.stringify(value), 'utf8'), `${scope}|${aad}`);
  }

  openJson<T>(scope: string, aad: string, payload: Buffer, format: string): T {
    if (format === LEGACY_PLAIN_FORMAT) return JSON.parse(payload.toString('utf8')) as T;
    if (format !== SEALED_FORMAT) throw new KeyError('corrupt', `Unknown sealed format ${format}`);
    return JSON.parse(open(this.dataKey(scope, false), payload, `${scope}|${aad}`).toString('utf8')) as T;
  }

  /** The desk's own data key of a scope, or null when this desk never made one. */
  private localKey(scope: string): Buffer | null {
    const exists = prepared(this.db, 'SELECT 1 FROM data_keys WHERE scope = ?').get(scope);
    return exists ? this.dataKey(scope, false) : null;
  }

  /** Whether this desk's own key opens every one of these sealed values of a scope (else another desk sealed some). */
  opensLocally(scope: string, values: ReadonlyArray<{ aad: string; payload: Buffer; format: string }>): boolean {
    const sealed = values.filter((v) => v.format === SEALED_FORMAT);
    if (!sealed.length) return true;
    const key = this.localKey(scope);
    if (!key) return false;
    return sealed.every((v) => {
      try {
        open(key, v.payload, `${scope}|${v.aad}`);
        return true;
      } catch {
        return false;
      }
    });
  }

  /**
   * An opener that tries this desk's own key of the scope, then the given keys (released by the server for the
   * person at the desk). A value none of them opens is refused with `unopened`'s message.
   */
  openerWith(extra: readonly Buffer[], unopened: () => Error): Opener {
    return {
      openJson: <T>(scope: string, aad: string, payload: Buffer, format: string): T => {
        if (format === LEGACY_PLAIN_FORMAT) return JSON.parse(payload.toString('utf8')) as T;
        if (format !== SEALED_FORMAT) throw new KeyError('corrupt', `Unknown sealed format ${format}`);
        const local = this.localKey(scope);
        for (const key of local ? [local, ...extra] : extra) {
          try {
            return JSON.parse(open(key, payload, `${scope}|${aad}`).toString('utf8')) as T;
          } catch {
            // the next key
          }
        }
        throw unopened();
      },
    };
  }

  /** Seals keys the server released to a person, under their sign-in secret and this ring (vault/released-keys.ts). */
  sealReleased(personSecret: Buffer, binding: ReleaseBinding, keys: readonly Buffer[]): Buffer {
    return sealReleased(releaseSealKey(this.require().unlockedKeys().masterKey, personSecret, binding.userId), binding, keys);
  }

  /** Opens what sealReleased sealed; throws when the secret, the ring or the row is not the one it was sealed with. */
  openReleased(personSecret: Buffer, binding: ReleaseBinding, sealed: Buffer): Buffer[] {
    return openReleased(releaseSealKey(this.require().unlockedKeys().masterKey, personSecret, binding.userId), binding, sealed);
  }

  /** A keyed blind index of a normalised identifier: equal inputs give equal digests, nothing else is revealed. */
  blindIndex(kind: string, value: string): string {
    return this.require().blindIndex(kind, value);
  }


  /**
   * Replaces the master key and re-wraps every data key under it (the sealed data is not touched); the audit
   * entry is written in the same transaction as the re-wrapping.
   */
  async rotate(wrapper: KeyWrapper, actor: Actor = { userId: null, name: 'IMS Desk vault' }): Promise<{ rewrapped: number; keyId: string }> {
    const current = this.require().unlockedKeys();
    const next = await prepareRotation(this.profileDir, current, wrapper);
    const nextRing = new LocalKeyRing(next);
    const rows = prepared(this.db, 'SELECT scope, wrapped FROM data_keys').all() as Array<{ scope: string; wrapped: Buffer }>;
    this.store.mutate({ actor, action: 'vault.rotate', entity: 'vault', entityId: next.keyId, details: { rewrapped: rows.length, from: current.keyId } }, (m) => {
      for (const r of rows) {
        const key = open(current.masterKey, r.wrapped, `data key ${r.scope}`);
        // data_keys is this desk's own (wrapped by its ring): written directly, not synced.
        prepared(m.db, 'UPDATE data_keys SET key_id = ?, wrapped = ?, rewrapped_at = ? WHERE scope = ?').run(next.keyId, seal(next.masterKey, key, `data key ${r.scope}`), m.at, r.scope);
      }
      // The store now belongs to the new ring: recorded in the same transaction as the re-wrapping.
      writeRingRecord(m.db, nextRing.identity(), m.at);
    });
    finishRotation(this.profileDir);
    this.ring = nextRing;
    return { rewrapped: rows.length, keyId: next.keyId };
  }

  /** A rotation stopped between re-wrapping and replacing the ring: keep whichever ring the data keys use. */
  private async recoverRotation(wrapper: KeyWrapper, current: UnlockedKeys): Promise<UnlockedKeys> {
    const next = await unlockPendingRotation(this.profileDir, wrapper);
    const used = prepared(this.db, 'SELECT DISTINCT key_id FROM data_keys').all() as Array<{ key_id: string }>;
    if (used.length && used.every((u) => u.key_id === next.keyId)) {
      finishRotation(this.profileDir);
      return next;
    }
    rmSync(join(this.profileDir, 'keys', 'keyring.next.json'), { force: true });
    return current;
  }

  private plaintextRows(): number {
    const one = (sql: string) => (prepared(this.db, sql).get() as { n: number }).n;
    return (
      one(`SELECT count(*) AS n FROM source_details WHERE format = '${LEGACY_PLAIN_FORMAT}'`) +
      one(`SELECT count(*) AS n FROM restricted_texts WHERE format = '${LEGACY_PLAIN_FORMAT}'`) +
      one(`SELECT count(*) AS n FROM drafts WHERE source_format = '${LEGACY_PLAIN_FORMAT}'`)
    );
  }

  /**
   * Seals, in place, restricted rows written before the vault existed, and only then logs them for sync (the
   * change log never held them in plaintext); then purges the old pages.
   */
  private sealLegacyPlaintext(): void {
    const rows = this.plaintextRows();
    if (rows === 0) return;
    this.store.mutate({ actor: VAULT_ACTOR, action: 'vault.seal_legacy', details: { rows } }, (m) => {
      for (const r of prepared(this.db, `SELECT allegation_id, payload FROM source_details WHERE format = '${LEGACY_PLAIN_FORMAT}'`).all() as Array<{ allegation_id: string; payload: Buffer }>) {
        const value = JSON.parse(r.payload.toString('utf8')) as unknown;
        m.replace('source_details', r.allegation_id, { format: SEALED_FORMAT, payload: this.sealJson(`allegation:${r.allegation_id}`, 'source', value) });
      }
      for (const r of prepared(this.db, `SELECT allegation_id, part, payload FROM restricted_texts WHERE format = '${LEGACY_PLAIN_FORMAT}'`).all() as Array<{ allegation_id: string; part: string; payload: Buffer }>) {
        const value = JSON.parse(r.payload.toString('utf8')) as unknown;
        m.replace('restricted_text', { allegation_id: r.allegation_id, part: r.part }, { format: SEALED_FORMAT, payload: this.sealJson(`allegation:${r.allegation_id}`, `text:${r.part}`, value) });
      }
      for (const r of prepared(this.db, `SELECT id, source_payload FROM drafts WHERE source_format = '${LEGACY_PLAIN_FORMAT}'`).all() as Array<{ id: string; source_payload: Buffer }>) {
        const value = JSON.parse(r.source_payload.toString('utf8')) as unknown;
        prepared(this.db, 'UPDATE drafts SET source_format = ?, source_payload = ? WHERE id = ?').run(SEALED_FORMAT, this.sealJson('drafts', `draft:${r.id}`, value), r.id);
      }
    });
    // secure_delete zeroed the replaced cells in the database file; fold the WAL in and truncate it too.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
