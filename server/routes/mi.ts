// Management information over the national record: the same figures (shared/mi/compute.ts) and the same rules of
// who sees what (shared/mi/scope.ts) as on a desk, over the facts of every synced allegation. Each answer is
// audited in the server's chain: who asked for which scope, and which figure's records they opened.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { route } from '../http/route.ts';
import { MI_ROLES, miNationalRecords, miRecordsInput, miReport, miScopeInput, type MiReportView, type MiScopeView } from '../../shared/api/mi.ts';
import { computeMi, inFigure, miNow } from '../../shared/mi/compute.ts';
import { figureTitle, resolveMiScope } from '../../shared/mi/scope.ts';
import { ukDate } from '../../shared/domain/uk-time.ts';
import type { SessionUser } from '../store/sessions.ts';
import { appendAudit } from '../store/audit.ts';
import { WRITE_LOCK } from '../sync/write.ts';
import { catchUpMiFacts, firstDay, readFacts } from '../mi/facts.ts';

async function scopeOf(ctx: ServerContext, session: SessionUser, input: Parameters<typeof resolveMiScope>[1]): Promise<MiScopeView> {
  return resolveMiScope({ role: session.user.role, unitCode: session.user.unit_code }, input, { today: ukDate(ctx.now()), firstDay: await firstDay(ctx.db) });
}

async function audit(ctx: ServerContext, session: SessionUser, action: string, details: Record<string, unknown>): Promise<void> {
  await ctx.db.transaction((tx) => appendAudit(tx, ctx.auditKey, ctx.now(), { userId: session.user.id, deskId: session.deskId, action, details }), { lock: WRITE_LOCK });
}

export function miRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, ctx, {
    method: 'POST',
    url: '/v1/mi/report',
    caller: MI_ROLES,
    body: miScopeInput,
    response: miReport,
    handler: async ({ body, session }): Promise<MiReportView> => {
      const started = performance.now();
      const s = session as SessionUser;
      const caught = await catchUpMiFacts(ctx.db);
      const scope = await scopeOf(ctx, s, body);
      const now = ctx.now();
      const figures = computeMi(await readFacts(ctx.db, scope), miNow(now), scope.by);
      await audit(ctx, s, 'mi.report', { scope: scope.label, from: scope.from, to: scope.to, currentTo: caught.seq });
      return { scope, asOf: now.toISOString(), ...figures, caughtUp: caught.facts, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    },
  });

  route(app, ctx, {
    method: 'POST',
    url: '/v1/mi/records',
    caller: MI_ROLES,
    body: miRecordsInput,
    response: miNationalRecords,
    handler: async ({ body, session }) => {
      const s = session as SessionUser;
      await catchUpMiFacts(ctx.db);
      const scope = await scopeOf(ctx, s, body.scope);
      const { title, label } = figureTitle(body.target);
      const now = miNow(ctx.now());
      const ids = (await readFacts(ctx.db, scope)).filter((f) => inFigure(f, body.target, now)).map((f) => f.allegationId);
      const shown = ids.slice(0, body.limit);
      const places = await ctx.db.query<{ allegation_id: string; reference: string | null; unit_code: string | null }>(
        'SELECT allegation_id, reference, unit_code FROM allegation_scope WHERE allegation_id = ANY($1)',
        [shown],
      );
      const byId = new Map(places.map((p) => [p.allegation_id, p]));
      const records = shown
        .map((id) => ({ allegationId: id, reference: byId.get(id)?.reference ?? null, unit: byId.get(id)?.unit_code ?? null }))
        .sort((a, b) => (a.reference ?? a.allegationId).localeCompare(b.reference ?? b.allegationId));
      await audit(ctx, s, 'mi.records', { scope: scope.label, from: scope.from, to: scope.to, figure: `${body.target.group}:${body.target.key}`, row: body.target.row ?? null, total: ids.length });
      return { scope, title, label, total: ids.length, records };
    },
  });
}
