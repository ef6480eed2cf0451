// `ims source` on a desk that syncs with a central server. Sealed details another desk made (a letter keyed at NAT
// and worked here) open only with keys the server releases to the person allocated now, or NSU, and audits before
// it answers (core/key-release.ts). The command line signs the person in against the server exactly as the desk's
// sign-in screen does (api/auth.ts): a server session for the release, and the secret of their password under which
// released keys are kept at this desk. So a key released in the desk app opens here offline until its expiry, and
// one released here is kept for the app. The server session ends when the command does.
import type { Core } from '../core/core.ts';
import type { UserRow } from '../core/users.ts';
import { findUserById } from '../core/users.ts';
import { personSecret, type Caller } from '../core/key-release.ts';
import { signInWithServer } from '../sync/accounts.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { checkLocally, CliError, credentialOf } from './common.ts';

export interface CliSignIn {
  user: UserRow;
  /** What the release of keys needs: the server session (null offline) and the secret kept keys are sealed under. */
  caller: Caller;
  /** What the person should know (signed in offline). */
  notice: string | null;
  /** Ends the server session. */
  end(): Promise<void>;
}

export async function signInForKeys(core: Core, username: string | undefined, command: string): Promise<CliSignIn> {
  const config = core.sync.config;
  const api = core.sync.server();
  const credential = await credentialOf(username);
  if (!config || !api) return { user: await checkLocally(core, credential.username, credential.password, command), caller: null, notice: null, end: async () => undefined };
  if (!config.deskToken) {
    throw new CliError(`this desk is set to sync with ${config.url} but has not registered there yet: sign in once in IMS Desk so that it registers (an administrator approves it), then run this again`);
  }
  let signed;
  try {
    signed = await signInWithServer(core.store, api, config, credential.username, credential.password);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // The server audits a refused sign-in on its side; this desk records that its command line was refused too.
    core.store.audit.record({ at: core.store.now().toISOString(), userId: null, actor: credential.username, action: 'auth.sign_in_failed', entity: 'user', entityId: null, allegationId: null, details: { via: 'cli', command, server: true, reason: error.message } });
    throw new CliError(`signing in to the server at ${config.url} as ${credential.username}: ${error.message}`);
  }
  const session = signed.serverSession;
  const end = async () => {
    if (session) await api.signOut(session).catch(() => undefined);
  };
  const user = findUserById(core.store, signed.userId);
  if (!user) {
    await end();
    throw new CliError(`the server signed ${credential.username} in, but this desk holds no account for them yet: sync, then run this again`);
  }
  const secret = await personSecret(core, credential.password, signed.userId);
  return { user, caller: { serverSession: session, personSecret: secret }, notice: signed.notice, end };
}
