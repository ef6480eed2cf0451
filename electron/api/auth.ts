import type { Handlers } from './context.ts';
import { actorOf, requireUser } from './context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { countUsers, createUser, findUserByName, toUserView, updateUser } from '../core/users.ts';
import { verifyPassword } from '../core/passwords.ts';
import type { UserRow } from '../core/users.ts';
import { signInWithServer } from '../sync/accounts.ts';

type AuthProcedures = 'auth.status' | 'auth.setup' | 'auth.signIn' | 'auth.signOut' | 'auth.me' | 'users.list' | 'users.create' | 'users.update';

/** A hash to compare against when the username is unknown, so timing does not reveal which usernames exist. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

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
      return {
        sessionToken: ctx.core.sessions.start(signed.userId, { serverSession: signed.serverSession, offline: signed.offline }),
        user: toUserView(row),
        offline: signed.offline,
        notice: signed.notice,
      };
    }
    const row = findUserByName(ctx.core.store, input.username);
    const ok = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH);
    const store = ctx.core.store;
    if (!row || !ok || row.active !== 1) {
      store.audit.record({
        at: store.now().toISOString(),
        userId: row?.id ?? null,
        actor: input.username,
        action: 'auth.sign_in_failed',
        entity: 'user',
        entityId: row?.id ?? null,
        allegationId: null,
        details: { reason: !row ? 'unknown username' : !ok ? 'wrong password' : 'account disabled' },
      });
      if (row && ok && row.active !== 1) throw new ApiError('unauthenticated', 'This account is disabled: ask an administrator');
      throw new ApiError('unauthenticated', 'The username or password is not right');
    }
    store.audit.record({ at: store.now().toISOString(), userId: row.id, actor: row.username, action: 'auth.sign_in', entity: 'user', entityId: row.id, allegationId: null, details: {} });
    return { sessionToken: ctx.core.sessions.start(row.id), user: toUserView(row), offline: false, notice: null };
  },

  'auth.signOut': (ctx) => {
    if (ctx.sessionToken) ctx.core.sessions.end(ctx.sessionToken);
    return {};
  },

  'auth.me': (ctx) => toUserView(requireUser(ctx)),

  'users.list': (ctx) =>
    (ctx.core.store.db.prepare('SELECT * FROM users ORDER BY active DESC, display_name').all() as UserRow[]).map(toUserView),

  'users.create': (ctx, input) => createUser(ctx.core.store, actorOf(ctx), input),

  'users.update': async (ctx, input) => {
    const user = await updateUser(ctx.core.store, actorOf(ctx), input);
    if (input.active === false || input.password || input.role) ctx.core.sessions.endAllFor(input.id);
    return user;
  },
};
