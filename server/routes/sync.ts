// Sync: push, pull, the initial snapshot, conflicts, and the live nudge (server-sent events). Every route needs an
// approved desk's credential; resolving a conflict also needs the signed-in person.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { deskOf, route } from '../http/route.ts';
import { conflictsQuery, conflictsResponse, conflictView, pullQuery, pullResponse, pushRequest, pushResponse, resolveConflict, rowsRequest, rowsResponse, snapshotQuery, snapshotResponse, type SyncEvent } from '../../shared/sync/protocol.ts';
import { push } from '../sync/push.ts';
import { countersign } from '../sync/countersign.ts';
import { latestSeq, pull, rowsByKey, snapshot } from '../sync/pull.ts';
import { scopeOfDesk, type DeskRow } from '../store/desks.ts';
import { listConflicts, resolveConflict as resolve } from '../store/conflicts.ts';

/** A comment line keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

export function syncRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const desk = (d: DeskRow | null) => d as DeskRow;

  route(app, ctx, {
    method: 'POST',
    url: '/v1/sync/push',
    caller: 'desk',
    body: pushRequest,
    response: pushResponse,
    handler: async ({ body, desk: d }) => {
      const answer = await push(ctx, desk(d).id, body.changes, body.auditHead);
      // The desk's head, now in the server's chain, countersigned for the desk to keep.
      return answer.auditHead ? { ...answer, auditHead: { ...answer.auditHead, countersign: await countersign(ctx, desk(d).id, answer.auditHead) } } : answer;
    },
  });
  route(app, ctx, {
    method: 'GET',
    url: '/v1/sync/pull',
    caller: 'desk',
    query: pullQuery,
    response: pullResponse,
    handler: async ({ query, desk: d }) => pull(ctx, desk(d).id, await scopeOfDesk(ctx.db, desk(d)), query.cursor, query.limit),
  });
  route(app, ctx, {
    method: 'GET',
    url: '/v1/sync/snapshot',
    caller: 'desk',
    query: snapshotQuery,
    response: snapshotResponse,
    handler: async ({ query, desk: d }) => snapshot(ctx, await scopeOfDesk(ctx.db, desk(d)), query.after, query.limit),
  });
  route(app, ctx, {
    method: 'POST',
    url: '/v1/sync/rows',
    caller: 'desk',
    body: rowsRequest,
    response: rowsResponse,
    handler: async ({ body, desk: d }) => rowsByKey(ctx, await scopeOfDesk(ctx.db, desk(d)), body.keys),
  });
  route(app, ctx, {
    method: 'GET',
    url: '/v1/sync/conflicts',
    caller: 'desk',
    query: conflictsQuery,
    response: conflictsResponse,
    handler: async ({ query, desk: d }) => ({ conflicts: await listConflicts(ctx.db, desk(d).id, query.state) }),
  });
  route(app, ctx, {
    method: 'POST',
    url: '/v1/sync/conflicts/:id/resolve',
    caller: 'desk',
    withSession: true,
    params: z.object({ id: z.coerce.number().int().positive() }).strict(),
    body: resolveConflict,
    response: conflictView,
    handler: async ({ params, body, desk: d, session }) => {
      const user = (session as NonNullable<typeof session>).user;
      return resolve(ctx, desk(d).id, { id: user.id, role: user.role }, params.id, body.resolution, body.note);
    },
  });

  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });
  app.get('/v1/sync/events', async (request, reply) => {
    const d = await deskOf(ctx, request, true);
    const scope = await scopeOfDesk(ctx.db, d);
    const latest = await latestSeq(ctx.db);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (event: SyncEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    send({ type: 'hello', latestSeq: latest });
    const unsubscribe = ctx.hub.subscribe(scope, (seq) => send({ type: 'waiting', latestSeq: seq }));
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });
}
