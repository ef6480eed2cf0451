// First run, sign-in, sign-out. Sign-in checks the password against the server's scrypt hash; the answer tells the
// desk how to make its own offline verifier (never the server's hash). A failed sign-in is audited too.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { route, deskTokenOf } from '../http/route.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { bootstrapRequest, empty, health, OFFLINE_DAYS, serverUser, signInRequest, signInResponse } from '../../shared/server/api.ts';
import { DUMMY_HASH, SCRYPT, verifyPassword } from '../../node/passwords.ts';
import { activeAdmins, createUser, toServerUser, userByName, type UserRow } from '../store/users.ts';
import { endSession, startSession } from '../store/sessions.ts';
import { deskByToken, joinDesk } from '../store/desks.ts';
import { appendAudit } from '../store/audit.ts';
import { lockWrites } from '../sync/write.ts';
import { latestSeq } from '../sync/pull.ts';
import { iso } from '../db/database.ts';
import { clearBootstrapToken, bootstrapTokenHash } from '../bootstrap.ts';

/** After this many failed sign-ins for one username within the window, further attempts wait out the window. */
export const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;

function throttled(ctx: ServerContext, username: string): number {
  const key = username.toLowerCase();
  const now = ctx.now().getTime();
  const recent = (ctx.signInFailures.get(key) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
  ctx.signInFailures.set(key, recent);
  return recent.length >= MAX_FAILURES ? Math.ceil((FAILURE_WINDOW_MS - (now - (recent[0] as number))) / 60_000) : 0;
}

function failed(ctx: ServerContext, username: string): void {
  const key = username.toLowerCase();
  ctx.signInFailures.set(key, [...(ctx.signInFailures.get(key) ?? []), ctx.now().getTime()]);
}

async function signedIn(ctx: ServerContext, user: UserRow, deskToken: string | null) {
  const now = ctx.now();
  const desk = deskToken ? await deskByToken(ctx.db, deskToken) : undefined;
  if (deskToken && !desk) throw new ApiError('unauthenticated', 'The desk credential is not known to this server: register the desk');
  if (desk && (desk.status === 'refused' || desk.status === 'revoked')) throw new ApiError('forbidden', `This desk was ${desk.status} by an administrator`);
  const session = await ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const s = await startSession(tx, user.id, desk?.id ?? null, now);
    if (desk) await joinDesk(ctx, tx, desk.id, user.id, now);
    await appendAudit(tx, ctx.auditKey, now, { userId: user.id, deskId: desk?.id ?? null, action: 'auth.sign_in', details: { username: user.username } });
    return s;
  });
  return {
    sessionToken: session.token,
    expiresAt: session.expiresAt.toISOString(),
    user: toServerUser(user),
    offline: { scheme: 'scrypt' as const, ...SCRYPT, validUntil: new Date(now.getTime() + OFFLINE_DAYS * 86_400_000).toISOString(), passwordChangedAt: iso(user.password_changed_at) },
  };
}

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'GET',
    url: '/v1/health',
    caller: 'public',
    response: health,
    handler: async () => ({ ok: true as const, database: ctx.db.kind, needsBootstrap: (await activeAdmins(ctx.db)) === 0, latestSeq: await latestSeq(ctx.db) }),
  });

  route(app, ctx, {
    method: 'POST',
    url: '/v1/bootstrap',
    caller: 'public',
    body: bootstrapRequest,
    response: signInResponse,
    status: 201,
    handler: async ({ body, request }) => {
      const stored = await bootstrapTokenHash(ctx.db);
      const given = createHash('sha256').update(body.token).digest('hex');
      if (!stored || !timingSafeEqual(Buffer.from(stored), Buffer.from(given))) {
        throw new ApiError('forbidden', stored ? 'That is not the bootstrap token this server printed at start' : 'This server already has an administrator: sign in');
      }
      await createUser(ctx, null, { username: body.username, displayName: body.displayName, role: 'admin', unit: null, password: body.password }, { firstAdmin: true });
      await clearBootstrapToken(ctx);
      return signedIn(ctx, (await userByName(ctx.db, body.username)) as UserRow, deskTokenOf(request));
    },
  });

  route(app, ctx, {
    method: 'POST',
    url: '/v1/auth/sign-in',
    caller: 'public',
    body: signInRequest,
    response: signInResponse,
    handler: async ({ body, request }) => {
      const wait = throttled(ctx, body.username);
      if (wait) throw new ApiError('forbidden', `Too many failed sign-ins for ${body.username}: try again in ${wait} min, or ask an administrator to reset the password`);
      const user = await userByName(ctx.db, body.username);
      const ok = await verifyPassword(body.password, user?.password_hash ?? DUMMY_HASH);
      if (!ok) failed(ctx, body.username);
      else ctx.signInFailures.delete(body.username.toLowerCase());
      if (!user || !ok || !user.active) {
        const now = ctx.now();
        await ctx.db.transaction(async (tx) => {
          await lockWrites(tx);
          await appendAudit(tx, ctx.auditKey, now, { userId: user?.id ?? null, deskId: null, action: 'auth.refused', details: { username: body.username, why: !user || !ok ? 'wrong username or password' : 'account not active' } });
        });
        if (user && ok) throw new ApiError('forbidden', 'This account is not active: ask an administrator');
        throw new ApiError('unauthenticated', 'Wrong username or password');
      }
      return signedIn(ctx, user, deskTokenOf(request));
    },
  });

  route(app, ctx, {
    method: 'POST',
    url: '/v1/auth/sign-out',
    caller: 'user',
    body: empty,
    response: empty,
    handler: async ({ session }) => {
      if (session) await endSession(ctx.db, session.tokenHash, ctx.now());
      return {};
    },
  });

  route(app, ctx, {
    method: 'GET',
    url: '/v1/auth/me',
    caller: 'user',
    response: z.object({ user: serverUser }),
    handler: async ({ session }) => ({ user: toServerUser((session as NonNullable<typeof session>).user) }),
  });
}
