// Audit across desks: a desk's latest countersigned audit head (so its verify can check the log against what the
// server vouched for even if the desk's stored countersignatures are gone).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { countersignedHead } from '../../shared/sync/countersign.ts';
import { latestCountersignedHead } from '../sync/countersign.ts';
import type { DeskRow } from '../store/desks.ts';

export function auditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'GET',
    url: '/v1/sync/audit-head',
    caller: 'desk',
    response: countersignedHead,
    handler: async ({ desk }) => latestCountersignedHead(ctx, (desk as DeskRow).id),
  });
}
