// The vault holds the keys that protect source details, and is the only code that seals or opens them.
// - Every allegation's restricted material (source details, original texts that revealed the source, the contact
//   log) is sealed with that allegation's own data key; data keys are wrapped by the master key (key ring).
// - Blind indexes: HMAC-SHA256 with a separate key over normalised source identifiers, so equal identifiers can
//   be found (repeat referrers) without decrypting anything.
// - While locked, nothing restricted can be written or read; the error says how to unlock.
import { createHmac, randomBytes } from 'node:crypto';
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

export class Vault {
  private readonly store: Store;
  private readonly db: Db;
  private readonly profileDir: string;
  private keys: UnlockedKeys | null = null;

  constructor(store: Store) {
    this.store = store;
    this.db = store.db;
    this.profileDir = store.profileDir;
  }

  get unlocked(): boolean {
    return this.keys !== null;
  }

  status(): VaultStatus {
    return { exists: keyringExists(this.profileDir), unlocked: this.unlocked, keyId: this.keys?.keyId ?? null, plaintextRows: this.plaintextRows() };
  }

  /** Opens the key ring (creating it on a desk that has none and no sealed data yet). */
  async unlock(wrapper: KeyWrapper): Promise<void> {
    if (!keyringExists(this.profileDir)) {
      const sealed = (prepared(this.db, 'SELECT count(*) AS n FROM data_keys').get() as { n: number }).n;
      if (sealed > 0) throw new KeyError('missing', `The vault's key ring is missing (${join(this.profileDir, 'keys')}), but ${sealed} sealed records exist. Restore the key ring from backup.`);
      this.keys = await createKeyring(this.profileDir, wrapper);
    } else {
      this.keys = await unlockKeyring(this.profileDir, wrapper);
      if (pendingRotation(this.profileDir)) await this.recoverRotation(wrapper);
    }
    this.sealLegacyPlaintext();
  }

  lock(): void {
    this.keys = null;
  }

  private require(): UnlockedKeys {
    if (!this.keys) throw new ApiError('unavailable', 'The vault is locked, so source details cannot be read or written. Unlock it with the desk passphrase (IMS_PASSPHRASE, or the prompt at start).');
    return this.keys;
  }

  /** The data key of a scope ("allegation:<id>", "nsu", "drafts"), created on first use. */
  dataKey(scope: string, create = true): Buffer {
    const keys = this.require();
    const row = prepared(this.db, 'SELECT key_id, wrapped FROM data_keys WHERE scope = ?').get(scope) as { key_id: string; wrapped: Buffer } | undefined;
    if (row) {
      if (row.key_id !== keys.keyId) throw new KeyError('corrupt', `The data key of ${scope} is wrapped by key ${row.key_id}, which is not the key ring's (${keys.keyId}). Restore the matching key ring.`);
      return open(keys.masterKey, row.wrapped, `data key ${scope}`);
    }
    if (!create) throw new ApiError('not_found', 'No sealed material here');
    const key = randomBytes(32);
    prepared(this.db, 'INSERT INTO data_keys (scope, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)').run(scope, keys.keyId, seal(keys.masterKey, key, `data key ${scope}`), new Date().toISOString());
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

  /** A keyed blind index of a normalised identifier: equal inputs give equal digests, nothing else is revealed. */
  blindIndex(kind: string, value: string): string {
    const keys = this.require();
    return createHmac('sha256', keys.blindKey).update(`${kind}\u0000${value}`).digest('base64url').slice(0, 32);
  }

  /** A MAC with a key derived from the blind-index key, for anchoring the audit chain's head. */
  mac(label: string, value: string): string | null {
    if (!this.keys) return null;
    return createHmac('sha256', this.keys.blindKey).update(`mac\u0000${label}\u0000${value}`).digest('hex');
  }

  /**
   * Replaces the master key and re-wraps every data key under it (the sealed data is not touched); the audit
   * entry is written in the same transaction as the re-wrapping.
   */
  async rotate(wrapper: KeyWrapper, actor: Actor = { userId: null, name: 'IMS Desk vault' }): Promise<{ rewrapped: number; keyId: string }> {
    const current = this.require();
    const next = await prepareRotation(this.profileDir, current, wrapper);
    const rows = prepared(this.db, 'SELECT scope, wrapped FROM data_keys').all() as Array<{ scope: string; wrapped: Buffer }>;
    this.store.mutate({ actor, action: 'vault.rotate', entity: 'vault', entityId: next.keyId, details: { rewrapped: rows.length, from: current.keyId } }, (m) => {
      for (const r of rows) {
        const key = open(current.masterKey, r.wrapped, `data key ${r.scope}`);
        // data_keys is this desk's own (wrapped by its ring): written directly, not synced.
        prepared(m.db, 'UPDATE data_keys SET key_id = ?, wrapped = ?, rewrapped_at = ? WHERE scope = ?').run(next.keyId, seal(next.masterKey, key, `data key ${r.scope}`), m.at, r.scope);
      }
    });
    finishRotation(this.profileDir);
    this.keys = next;
    return { rewrapped: rows.length, keyId: next.keyId };
  }

  /** A rotation stopped between re-wrapping and replacing the ring: keep whichever ring the data keys use. */
  private async recoverRotation(wrapper: KeyWrapper): Promise<void> {
    const next = await unlockPendingRotation(this.profileDir, wrapper);
    const used = prepared(this.db, 'SELECT DISTINCT key_id FROM data_keys').all() as Array<{ key_id: string }>;
    if (used.length && used.every((u) => u.key_id === next.keyId)) {
      finishRotation(this.profileDir);
      this.keys = next;
    } else {
      rmSync(join(this.profileDir, 'keys', 'keyring.next.json'), { force: true });
    }
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
    this.store.mutate({ actor: { userId: null, name: 'IMS Desk vault' }, action: 'vault.seal_legacy', details: { rows } }, (m) => {
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
