// People sign in against the central server when the desk has one. The server checks the password and says how
// this desk may make its own verifier (scrypt parameters; never the server's hash), so that the person can sign in
// here when the server cannot be reached, for a while (OFFLINE_DAYS) after their last sign-in online.
//
// The first sign-in on a desk that is not yet registered registers it (a signed-in person asks; an administrator
// approves it on the server). Accounts themselves live on the server and reach the desk as synced rows; the row of
// a person signing in for the first time is taken from the server's answer until the synced one arrives.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { prepared } from '../store/statements.ts';
import { applyChange } from '../store/registry.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ServerUser } from '../../shared/server/api.ts';
import { formatHlc } from '../../shared/sync/hlc.ts';
import { ServerError, UnreachableError, type ServerApi } from './server-api.ts';
import { saveServerConfig, type ServerConfig } from './state.ts';

export interface ServerSignIn {
  userId: string;
  /** The person's session on the server (kept in memory with the desk's session, never on disk). */
  serverSession: string | null;
  /** Signed in without the server: it could not be reached. */
  offline: boolean;
  /** What the person should know (offline, desk waiting for approval). */
  notice: string | null;
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** This desk's own verifier of a password, in the desk's format (electron/core/passwords.ts reads it). */
async function makeVerifier(password: string, p: { N: number; r: number; p: number; keyLength: number }): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, p.N, p.r, p.p, p.keyLength);
  return `scrypt$${p.N}$${p.r}$${p.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

async function checkVerifier(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await derive(password, Buffer.from(saltB64, 'base64'), Number(n), Number(r), Number(p), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The clock of a row taken from a sign-in answer: earlier than any the server gives, so the synced row wins. */
const PROVISIONAL_CLOCK = formatHlc({ wall: 0, counter: 0, node: 'signin' });

/** Holds the account as the server described it, until the synced row (with its clocks) arrives by pull. */
function holdAccount(store: Store, user: ServerUser): void {
  if (prepared(store.db, 'SELECT 1 FROM users WHERE id = ?').get(user.id)) return;
  store.db.transaction(() => {
    applyChange(store.db, {
      entity: 'user',
      id: user.id,
      op: 'insert',
      hlc: PROVISIONAL_CLOCK,
      allegationId: null,
      fields: {
        username: { from: null, to: user.username },
        display_name: { from: null, to: user.displayName },
        role: { from: null, to: user.role },
        unit_code: { from: null, to: user.unit },
        active: { from: null, to: user.active ? 1 : 0 },
        created_at: { from: null, to: user.createdAt },
        created_by: { from: null, to: null },
      },
    });
  })();
}

function refused(error: unknown): never {
  if (error instanceof ServerError) {
    if (error.status === 401) throw new ApiError('unauthenticated', 'The username or password is not right');
    throw new ApiError(error.status === 403 ? 'forbidden' : 'conflict', error.message);
  }
  throw error;
}

/**
 * Signs a person in against the server (registering the desk on its first sign-in), keeps their offline verifier,
 * and returns their session; when the server cannot be reached, signs them in with the verifier if it is still
 * valid. A wrong password the server refused is never retried offline.
 */
export async function signInWithServer(store: Store, api: ServerApi, config: ServerConfig, username: string, password: string): Promise<ServerSignIn> {
  const now = store.now();
  let answer;
  try {
    answer = await api.signIn(username, password, config.deskToken);
  } catch (error) {
    if (error instanceof UnreachableError) return offlineSignIn(store, username, password, error.message);
    if (error instanceof ServerError && error.status === 401 && /desk credential/.test(error.message)) {
      throw new ApiError('forbidden', `The server does not know this desk's credential (${error.message}). An administrator can reset this desk's registration in Sync settings.`);
    }
    refused(error);
  }
  let notice: string | null = null;
  if (!config.deskToken) {
    // The first sign-in here: register the desk, then sign in again as a person of this desk.
    let registered;
    try {
      registered = await api.registerDesk(answer.sessionToken, { node: store.clientId, name: config.deskName, unit: config.unit });
    } catch (error) {
      if (error instanceof UnreachableError) throw new ApiError('unavailable', `The server stopped answering while this desk registered: ${error.message}`);
      refused(error);
    }
    Object.assign(config, { deskId: registered.desk.id, deskToken: registered.deskToken, status: registered.desk.status });
    saveServerConfig(store.db, config);
    await api.signOut(answer.sessionToken).catch(() => undefined);
    try {
      answer = await api.signIn(username, password, config.deskToken);
    } catch (error) {
      if (error instanceof UnreachableError) throw new ApiError('unavailable', error.message);
      refused(error);
    }
  }
  if (config.status !== 'approved') notice = 'This desk is waiting for an administrator to approve it on the server: until then your work stays on this desk.';
  holdAccount(store, answer.user);
  const verifier = await makeVerifier(password, answer.offline);
  store.mutate({ actor: { userId: answer.user.id, name: `${answer.user.displayName} (${answer.user.username})` }, action: 'auth.sign_in', entity: 'user', entityId: answer.user.id, details: { server: true } }, (m) => {
    // The verifier is this desk's own column of the account (local in the registry): written, never synced.
    m.update('user', answer.user.id, { password_hash: verifier });
    prepared(m.db, `INSERT INTO offline_signins (user_id, valid_until, password_changed_at, online_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET valid_until = excluded.valid_until, password_changed_at = excluded.password_changed_at, online_at = excluded.online_at`).run(
      answer.user.id,
      answer.offline.validUntil,
      answer.offline.passwordChangedAt,
      now.toISOString(),
    );
  });
  return { userId: answer.user.id, serverSession: answer.sessionToken, offline: false, notice };
}

async function offlineSignIn(store: Store, username: string, password: string, why: string): Promise<ServerSignIn> {
  const row = prepared(store.db, 'SELECT u.id, u.password_hash, u.active, o.valid_until FROM users u LEFT JOIN offline_signins o ON o.user_id = u.id WHERE u.username = ?').get(username) as
    | { id: string; password_hash: string; active: number; valid_until: string | null }
    | undefined;
  const ok = row?.password_hash ? await checkVerifier(password, row.password_hash) : false;
  if (!row || !ok || !row.valid_until) {
    store.audit.record({ at: store.now().toISOString(), userId: row?.id ?? null, actor: username, action: 'auth.sign_in_failed', entity: 'user', entityId: row?.id ?? null, allegationId: null, details: { offline: true } });
    if (row && ok) throw new ApiError('unavailable', `${why}. You have not signed in on this desk while it could reach the server, so it cannot sign you in offline.`);
    throw new ApiError('unavailable', `${why}. Offline, this desk signs in only people who signed in here online in the last 14 days, with the password they used then.`);
  }
  if (row.active !== 1) throw new ApiError('unauthenticated', 'This account is disabled: ask an administrator');
  if (Date.parse(row.valid_until) < store.now().getTime()) {
    throw new ApiError('unavailable', `${why}. Your offline sign-in on this desk ran out on ${row.valid_until.slice(0, 10)}: sign in once while the server can be reached.`);
  }
  store.audit.record({ at: store.now().toISOString(), userId: row.id, actor: username, action: 'auth.sign_in', entity: 'user', entityId: row.id, allegationId: null, details: { offline: true } });
  return {
    userId: row.id,
    serverSession: null,
    offline: true,
    notice: `Signed in offline: the server cannot be reached (${why}). Your work is kept on this desk and sent when the server is back.`,
  };
}
