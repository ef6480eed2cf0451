// The key service's one route: release an allegation's data key to the signed-in person (keys/release.ts).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { releasedKey, releaseKeyRequest } from '../../shared/server/keys.ts';
import { releaseDataKey } from '../keys/release.ts';
import type { SessionUser } from '../store/sessions.ts';

export function keyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'POST',
    url: '/v1/keys/release',
    caller: 'user',
    body: releaseKeyRequest,
    response: releasedKey,
    handler: async ({ body, session }) => releaseDataKey({ ctx, keys: ctx.keys }, session as SessionUser, body.allegationId, body.reason),
  });
}
