// A desk asks to be registered (by a signed-in person), reads its own standing, and looks up references.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { deskView, referenceView, registerDesk, registerDeskResponse } from '../../shared/server/api.ts';
import { registerDesk as register, toDeskView } from '../store/desks.ts';

export function deskRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'POST',
    url: '/v1/desks',
    caller: 'user',
    body: registerDesk,
    response: registerDeskResponse,
    status: 201,
    handler: async ({ body, session }) => {
      const { desk, token } = await register(ctx, (session as NonNullable<typeof session>).user.id, body);
      return { desk, deskToken: token };
    },
  });
  route(app, ctx, { method: 'GET', url: '/v1/desks/me', caller: 'any_desk', response: deskView, handler: async ({ desk }) => toDeskView(desk as NonNullable<typeof desk>) });

  // A reference, national or a desk's provisional one (kept as an alias when the server numbered the allegation).
  route(app, ctx, {
    method: 'GET',
    url: '/v1/references/:reference',
    caller: 'desk',
    params: z.object({ reference: z.string().regex(/^IMS-\d{4}-\d{6}(-[A-Z0-9]{2,12})?$/, 'must look like IMS-2026-000123') }).strict(),
    response: referenceView,
    handler: async ({ params }) => {
      const [hit] = await ctx.db.query<{ allegation_id: string; reference: string; unit_code: string | null }>(
        `SELECT s.allegation_id, s.reference, s.unit_code FROM allegation_scope s
          WHERE s.reference = $1 OR s.allegation_id = (SELECT allegation_id FROM reference_aliases WHERE alias = $1) LIMIT 1`,
        [params.reference],
      );
      if (!hit) throw new ApiError('not_found', `No allegation has the reference ${params.reference}`);
      const aliases = await ctx.db.query<{ alias: string }>('SELECT alias FROM reference_aliases WHERE allegation_id = $1 ORDER BY alias', [hit.allegation_id]);
      return { allegationId: hit.allegation_id, reference: hit.reference, aliases: aliases.map((a) => a.alias), unit: hit.unit_code };
    },
  });
}
