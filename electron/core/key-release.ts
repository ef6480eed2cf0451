// Opening sealed details another desk made (issue 16). An allegation's restricted material is sealed with the data
// key of the desk that wrote it; a desk that receives it by sync (a case reallocated from NAT to a region, or an NSU
// officer's desk) holds the ciphertext but not the key. The server keeps every desk's deposited key wrapped by its
// own, and releases them only to a person allocated to the case now, or NSU, auditing before it answers. This desk
// asks for them with the reason the person gave, and keeps what it is given sealed to that person's sign-in
// (vault/released-keys.ts) until the expiry the server set, so allocated work continues offline. A pull that shows
// the person is no longer allocated drops the kept keys at once; so does the server's refusal, and the expiry.
import type { HasStore, HasVault } from './deps.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { Session } from './sessions.ts';
import type { UserRow } from './users.ts';
import { actorFor, isAllocated } from './access.ts';
import { prepared } from '../store/statements.ts';
import { allegationScope } from '../store/allegation-write.ts';
import { ServerError, UnreachableError } from '../sync/server-api.ts';
import { derivePersonSecret, type ReleaseBinding } from '../vault/released-keys.ts';
import { ApiError } from '../../shared/api/errors.ts';

export type KeyReleaseDeps = HasStore & HasVault & { readonly sync: SyncEngine };

/** The session a request came with: its server session, and the secret released keys are sealed under. */
export type Caller = Pick<Session, 'serverSession' | 'personSecret'> | null;

interface Case {
  id: string;
  reference: string;
}

interface HeldRow {
  user_id: string;
  allegation_id: string;
  sealed: Buffer | null;
  key_id: string;
  expires_at: string;
  server_audit_seq: number;
  dropped_why: string | null;
}

/** The person's secret for sealing released keys at this desk (derived at sign-in, kept in the session only). */
export function personSecret(core: HasStore, password: string, userId: string): Promise<Buffer> {
  return derivePersonSecret(password, core.store.clientId, userId);
}

/** Every sealed value of an allegation's restricted material, with the additional data it was sealed under. */
function sealedValues(core: HasStore, allegationId: string): Array<{ aad: string; payload: Buffer; format: string }> {
  const db = core.store.db;
  const source = prepared(db, 'SELECT format, payload FROM source_details WHERE allegation_id = ?').all(allegationId) as Array<{ format: string; payload: Buffer }>;
  const texts = prepared(db, 'SELECT part, format, payload FROM restricted_texts WHERE allegation_id = ?').all(allegationId) as Array<{ part: string; format: string; payload: Buffer }>;
  const contacts = prepared(db, 'SELECT id, format, payload FROM source_contacts WHERE allegation_id = ?').all(allegationId) as Array<{ id: string; format: string; payload: Buffer }>;
  return [...source.map((r) => ({ aad: 'source', ...r })), ...texts.map((r) => ({ aad: `text:${r.part}`, format: r.format, payload: r.payload })), ...contacts.map((r) => ({ aad: `contact:${r.id}`, format: r.format, payload: r.payload }))];
}

const binding = (r: HeldRow): ReleaseBinding => ({ userId: r.user_id, allegationId: r.allegation_id, expiresAt: r.expires_at, serverAuditSeq: r.server_audit_seq });

/** Forgets a person's released keys of an allegation (the sealed bytes go; the row records why), audited. */
export function dropReleased(core: HasStore, userId: string, allegationId: string, why: string): boolean {
  const held = prepared(core.store.db, 'SELECT 1 FROM released_keys WHERE user_id = ? AND allegation_id = ? AND sealed IS NOT NULL').get(userId, allegationId);
  if (!held) return false;
  core.store.mutate({ actor: { userId: null, name: 'IMS Desk key service' }, action: 'key.release_dropped', entity: 'allegation', entityId: allegationId, allegationId, details: { userId, why } }, (m) => {
    // Local to this desk, never synced (shared/sync/entities.ts, LOCAL_TABLES); secure_delete zeroes the old cell.
    prepared(m.db, 'UPDATE released_keys SET sealed = NULL, dropped_at = ?, dropped_why = ? WHERE user_id = ? AND allegation_id = ?').run(m.at, why, userId, allegationId);
  });
  return true;
}

/**
 * Drops every kept key whose person is no longer allocated to its allegation (and is not NSU), is no longer an
 * active account here, or whose expiry has passed. Run after every pull and before every opening.
 */
export function revokeReleased(core: HasStore): number {
  const db = core.store.db;
  const rows = prepared(
    db,
    `SELECT k.user_id, k.allegation_id, k.expires_at, u.role, u.active,
            EXISTS (SELECT 1 FROM sync_moved m WHERE m.allegation_id = k.allegation_id AND m.returned_at IS NULL) AS moved
       FROM released_keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.sealed IS NOT NULL`,
  ).all() as Array<{ user_id: string; allegation_id: string; expires_at: string; role: string | null; active: number | null; moved: number }>;
  const now = core.store.now().getTime();
  let dropped = 0;
  for (const r of rows) {
    const why =
      r.active !== 1
        ? 'the account is no longer active here'
        : r.role !== 'nsu' && r.moved
          ? 'the case moved to another unit'
          : r.role !== 'nsu' && !isAllocated(db, r.user_id, r.allegation_id)
          ? 'no longer allocated to the case'
          : Date.parse(r.expires_at) <= now
            ? 'expired'
            : null;
    if (why && dropReleased(core, r.user_id, r.allegation_id, why)) dropped++;
  }
  return dropped;
}

type Kept = { keys: Buffer[] } | { expiredAt: string } | null;

function kept(core: KeyReleaseDeps, user: UserRow, caller: Caller, allegationId: string): Kept {
  const row = prepared(core.store.db, 'SELECT user_id, allegation_id, sealed, key_id, expires_at, server_audit_seq, dropped_why FROM released_keys WHERE user_id = ? AND allegation_id = ?').get(user.id, allegationId) as HeldRow | undefined;
  if (!row) return null;
  if (!row.sealed) return row.dropped_why === 'expired' ? { expiredAt: row.expires_at } : null;
  if (Date.parse(row.expires_at) <= core.store.now().getTime()) {
    dropReleased(core, user.id, allegationId, 'expired');
    return { expiredAt: row.expires_at };
  }
  if (!caller?.personSecret) return null;
  try {
    return { keys: core.vault.openReleased(caller.personSecret, binding(row), row.sealed) };
  } catch {
    // Sealed under another password (changed since) or another ring: as if never kept.
    return null;
  }
}

function keep(core: KeyReleaseDeps, user: UserRow, caller: Caller, allegationId: string, release: { keyId: string; expiresAt: string; auditSeq: number }, keys: Buffer[]): void {
  if (!caller?.personSecret) return;
  const b: ReleaseBinding = { userId: user.id, allegationId, expiresAt: release.expiresAt, serverAuditSeq: release.auditSeq };
  const sealed = core.vault.sealReleased(caller.personSecret, b, keys);
  core.store.mutate({ actor: actorFor(user), action: 'key.released', entity: 'allegation', entityId: allegationId, allegationId, details: { serverAuditSeq: release.auditSeq, expiresAt: release.expiresAt, keyId: release.keyId, keys: keys.length } }, (m) => {
    prepared(
      m.db,
      `INSERT INTO released_keys (user_id, allegation_id, sealed, key_id, released_at, expires_at, server_audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, allegation_id) DO UPDATE SET sealed = excluded.sealed, key_id = excluded.key_id, released_at = excluded.released_at,
         expires_at = excluded.expires_at, server_audit_seq = excluded.server_audit_seq, dropped_at = NULL, dropped_why = NULL`,
    ).run(user.id, allegationId, sealed, release.keyId, m.at, release.expiresAt, release.auditSeq);
  });
}

const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The keys, besides this desk's own, needed to open an allegation's sealed details for this person: none when the
 * desk sealed all of it; else released by the server (asked each time it can be reached, so its judgement and its
 * audit are current), or kept from an earlier release while it cannot. Each failure says what the person can do.
 */
export async function keysToOpen(core: KeyReleaseDeps, user: UserRow, caller: Caller, a: Case, reason: string): Promise<Buffer[]> {
  if (core.vault.opensLocally(allegationScope(a.id), sealedValues(core, a.id))) return [];
  revokeReleased(core);
  const elsewhere = `The sealed details of ${a.reference} were made on another desk`;
  const fallback = (why: string): Buffer[] => {
    const k = kept(core, user, caller, a.id);
    if (k && 'keys' in k) return k.keys;
    if (k && 'expiredAt' in k) throw new ApiError('unavailable', `${elsewhere}. The key the server released to you for them expired at ${at(k.expiredAt)}, and ${why}. Connect to the server to open them again.`);
    throw new ApiError('unavailable', `${elsewhere}, and ${why}: this desk needs the server to release their key to you. Connect to the server to open them.`);
  };
  const config = core.sync.config;
  const api = core.sync.server();
  if (!config || !api || !config.deskToken) return fallback('this desk is not connected to a central server');
  if (!caller?.serverSession) return fallback('you signed in while the server could not be reached (sign out and in again when it can be)');
  let release;
  try {
    release = await api.releaseKey(config.deskToken, caller.serverSession, a.id, reason);
  } catch (error) {
    if (error instanceof UnreachableError) return fallback(`the server cannot be reached (${error.message})`);
    if (!(error instanceof ServerError)) throw error;
    if (error.status === 401) return fallback(`your session on the server has ended (${error.message}); sign in again`);
    if (error.status === 403) {
      dropReleased(core, user.id, a.id, 'refused by the server');
      core.store.audit.record({ at: core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action: 'source.open_refused', entity: 'allegation', entityId: a.id, allegationId: a.id, details: { by: 'server', reason } });
      // Allocated here, but the change has not reached the server yet: the person can do something about that.
      const unsent = prepared(core.store.db, "SELECT 1 FROM changes WHERE allegation_id = ? AND entity = 'allocation' AND pushed_at IS NULL LIMIT 1").get(a.id);
      const hint = unsent ? ' This desk has not yet sent the server its latest allocation of the case: sync, then open it again.' : '';
      throw new ApiError('forbidden', `The server refused to release the key to the sealed details of ${a.reference}: ${error.message}. The refusal is recorded on the server.${hint}`);
    }
    if (error.status === 404) throw new ApiError('not_found', `The server does not hold ${a.reference} yet (the desk that recorded it has not sent it), so it cannot release the key to its sealed details. Try again once that desk has synced.`);
    throw new ApiError('unavailable', `The server could not release the key to the sealed details of ${a.reference}: ${error.message}`);
  }
  const keys = [...release.depositedKeys, release.dataKey].map((k) => Buffer.from(k, 'base64'));
  keep(core, user, caller, a.id, release, keys);
  return keys;
}

/** What a person is told when even the released keys do not open a value (its desk has not sent its key yet). */
export function notYetDeposited(reference: string): ApiError {
  return new ApiError('unavailable', `Some sealed details of ${reference} were made on a desk that has not yet sent their key to the server (it does at its next sync): they cannot be opened here until then.`);
}
