// What administrators do on the server: accounts, desks, and reading (and verifying) the server's audit chain.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { auditQuery, auditResponse, decideDesk as decideDeskSchema, deskView, idParam, newServerUser, serverUser, updateServerUser } from '../../shared/server/api.ts';
import { createUser, listUsers, updateUser } from '../store/users.ts';
import { decideDesk, listDesks } from '../store/desks.ts';
import { readAudit, verifyAudit } from '../store/audit.ts';

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const admin = ['admin'] as const;
  const actor = (s: { user: { id: string } } | null) => (s as { user: { id: string } }).user.id;

  route(app, ctx, { method: 'GET', url: '/v1/admin/users', caller: ['admin', 'manager'], response: z.object({ users: z.array(serverUser) }), handler: async () => ({ users: await listUsers(ctx.db) }) });
  route(app, ctx, {
    method: 'POST',
    url: '/v1/admin/users',
    caller: admin,
    body: newServerUser,
    response: serverUser,
    status: 201,
    handler: async ({ body, session }) => createUser(ctx, actor(session), body),
  });
  route(app, ctx, {
    method: 'PATCH',
    url: '/v1/admin/users/:id',
    caller: admin,
    params: idParam,
    body: updateServerUser,
    response: serverUser,
    handler: async ({ body, params, session }) => updateUser(ctx, actor(session), params.id, body),
  });
  route(app, ctx, { method: 'GET', url: '/v1/admin/desks', caller: admin, response: z.object({ desks: z.array(deskView) }), handler: async () => ({ desks: await listDesks(ctx.db) }) });
  route(app, ctx, {
    method: 'POST',
    url: '/v1/admin/desks/:id/decision',
    caller: admin,
    params: idParam,
    body: decideDeskSchema,
    response: deskView,
    handler: async ({ body, params, session }) => decideDesk(ctx, actor(session), params.id, body.decision, body.note),
  });
  route(app, ctx, {
    method: 'GET',
    url: '/v1/admin/audit',
    caller: ['admin', 'sacu'],
    query: auditQuery,
    response: auditResponse,
    handler: async ({ query }) => {
      const problem = await verifyAudit(ctx.db, ctx.auditKey);
      return { entries: await readAudit(ctx.db, query.after, query.limit), verified: problem === null, problem };
    },
  });
}
