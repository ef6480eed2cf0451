import type { Handlers } from './context.ts';
import { actorOf, requireUser } from './context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { countUsers, createUser, toUserView, updateUser } from '../core/users.ts';
import { authenticate, lockState, unlockAccount } from '../core/sign-in.ts';
import type { UserRow } from '../core/users.ts';
import { signInWithServer } from '../sync/accounts.ts';
import { personSecret } from '../core/key-release.ts';

type AuthProcedures = 'auth.status' | 'auth.setup' | 'auth.signIn' | 'auth.signOut' | 'auth.me' | 'users.list' | 'users.create' | 'users.update' | 'users.unlock';

export const authHandlers: Handlers<AuthProcedures> = {
  'auth.status': (ctx) => {
    const server = ctx.core.sync.config;
    return {
      // A desk of a central server has no set-up of its own: its people sign in with their server accounts.
      needsSetup: !server && countUsers(ctx.core.store) === 0,
      deskName: server?.deskName ?? ctx.core.deskName,
      server: server ? { url: server.url, deskName: server.deskName, unit: server.unit } : null,
    };
  },

  'auth.setup': async (ctx, input) => {
    if (ctx.core.sync.config) throw new ApiError('conflict', 'This desk works with a central server: sign in with your account there');
    if (countUsers(ctx.core.store) > 0) throw new ApiError('conflict', 'This desk is already set up: sign in instead');
    const user = await createUser(ctx.core.store, { userId: null, name: 'first-run set-up' }, { ...input, role: 'admin', unit: null });
    return { sessionToken: ctx.core.sessions.start(user.id), user };
  },

  'auth.signIn': async (ctx, input) => {
    const config = ctx.core.sync.config;
    const api = ctx.core.sync.server();
    if (config && api) {
      const signed = await signInWithServer(ctx.core.store, api, config, input.username, input.password);
      const row = ctx.core.store.db.prepare('SELECT * FROM users WHERE id = ?').get(signed.userId) as UserRow;
      if (!signed.offline) ctx.core.syncScheduler.soon(0);
      // Keys the server releases to this person are kept sealed under a secret of their password (offline too).
      const secret = await personSecret(ctx.core, input.password, signed.userId);
      return {
        sessionToken: ctx.core.sessions.start(signed.userId, { serverSession: signed.serverSession, offline: signed.offline, personSecret: secret }),
        user: toUserView(row),
        offline: signed.offline,
        notice: signed.notice,
      };
    }
    const row = await authenticate(ctx.core, input.username, input.password, { via: 'desk' });
    return { sessionToken: ctx.core.sessions.start(row.id), user: toUserView(row), offline: false, notice: null };
  },

  'auth.signOut': (ctx) => {
    if (ctx.sessionToken) ctx.core.sessions.end(ctx.sessionToken);
    return {};
  },

  'auth.me': (ctx) => toUserView(requireUser(ctx)),

  'users.list': (ctx) =>
    (ctx.core.store.db.prepare('SELECT * FROM users ORDER BY active DESC, display_name').all() as UserRow[]).map((r) => {
      const lock = lockState(ctx.core, r.username);
      return { ...toUserView(r), locked: lock.locked, failedSignIns: lock.failures };
    }),

  'users.create': (ctx, input) => createUser(ctx.core.store, actorOf(ctx), input),

  'users.update': async (ctx, input) => {
    const user = await updateUser(ctx.core.store, actorOf(ctx), input);
    if (input.active === false || input.password || input.role) ctx.core.sessions.endAllFor(input.id);
    return user;
  },

  'users.unlock': (ctx, { id }) => {
    const lock = unlockAccount(ctx.core, actorOf(ctx), id);
    return { locked: lock.locked, failedSignIns: lock.failures };
  },
};
