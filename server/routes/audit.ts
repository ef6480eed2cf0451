// Audit across desks: a desk's latest countersigned audit head (so its verify can check the log against what the
// server vouched for even if the desk's stored countersignatures are gone), and who opened which source pane on
// every desk, for SACU and administrators.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { countersignedHead } from '../../shared/sync/countersign.ts';
import { latestCountersignedHead } from '../sync/countersign.ts';
import type { DeskRow } from '../store/desks.ts';
import type { SessionUser } from '../store/sessions.ts';
import { deskSourceAccessRequest, deskSourceAccessResponse, sourceAccessQuery, sourceAccessResponse } from '../../shared/server/nsu.ts';
import { readSourceAccess, receiveSourceAccess } from '../store/source-access.ts';

export function auditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'GET',
    url: '/v1/sync/audit-head',
    caller: 'desk',
    response: countersignedHead,
    handler: async ({ desk }) => latestCountersignedHead(ctx, (desk as DeskRow).id),
  });
  route(app, ctx, {
    method: 'POST',
    url: '/v1/audit/source-access',
    caller: 'desk',
    body: deskSourceAccessRequest,
    response: deskSourceAccessResponse,
    handler: async ({ body, desk }) => receiveSourceAccess(ctx, (desk as DeskRow).id, body.entries),
  });
  route(app, ctx, {
    method: 'GET',
    url: '/v1/audit/source-access',
    caller: ['sacu', 'admin'],
    query: sourceAccessQuery,
    response: sourceAccessResponse,
    handler: async ({ query, session }) => readSourceAccess(ctx, session as SessionUser, query),
  });
}
