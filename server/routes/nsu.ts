// National repeat referrers: desks deposit their allegations' data keys (so the server can index sealed source
// details under its own blind-index key), and NSU reads the groups found across every unit.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { depositKeysRequest, depositKeysResponse, nationalReferrers, nationalReferrersQuery } from '../../shared/server/nsu.ts';
import { depositKeys } from '../sources/national-index.ts';
import { nationalReferrerGroups } from '../sources/national-referrers.ts';
import type { SessionUser } from '../store/sessions.ts';
import type { DeskRow } from '../store/desks.ts';

export function nsuRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'POST',
    url: '/v1/keys/deposit',
    caller: 'desk',
    body: depositKeysRequest,
    response: depositKeysResponse,
    handler: async ({ body, desk, session }) => depositKeys(ctx, (desk as DeskRow).id, session?.user.id ?? null, body.keys),
  });
  route(app, ctx, {
    method: 'GET',
    url: '/v1/nsu/referrers',
    caller: 'user',
    query: nationalReferrersQuery,
    response: nationalReferrers,
    handler: async ({ query, session }) => nationalReferrerGroups(ctx, session as SessionUser, query.minCount),
  });
}
