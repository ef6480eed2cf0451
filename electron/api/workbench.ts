import type { Handlers } from './context.ts';
import { findEntity } from '../search/entities.ts';
import { allegationTimeline, entityTimeline } from '../core/timeline.ts';
import { chartOfAllegation, chartOfEntity, expandNodes } from '../core/chart.ts';
import { canonicalEntity, type EntityRef } from '../../shared/entities/entity.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { actorOf, requireUser } from './context.ts';
import { changeOwnPassword } from '../core/own-password.ts';
import { readWaitingScan } from '../core/scan-reading.ts';
import { exportAllegations } from '../core/search-exports.ts';
import { allegationFormHistory } from '../core/form-changes.ts';
import { addToWatch, listWatch, markWatchSeen, removeFromWatch } from '../core/watch.ts';

type WorkbenchProcedures = 'scans.read' | 'allegations.export' | 'entities.get' | 'timeline.allegation' | 'timeline.entity' | 'history.allegation' | 'chart.start' | 'chart.expand' | 'watch.list' | 'watch.add' | 'watch.remove' | 'watch.seen' | 'auth.changePassword';

/** The entity as typed or linked, in canonical form; a value that cannot be one of its kind is a clear error. */
function canonical(ref: EntityRef): EntityRef {
  const value = canonicalEntity(ref.kind, ref.value);
  if (!value) throw new ApiError('bad_request', `“${ref.value}” cannot be read as a ${ref.kind}`, { value: `not a ${ref.kind}` });
  return { kind: ref.kind, value };
}

export const workbenchHandlers: Handlers<WorkbenchProcedures> = {
  'scans.read': (ctx, { id }) => readWaitingScan(ctx.core, id),
  'allegations.export': (ctx, { ids }) => exportAllegations(ctx.core.store, actorOf(ctx), ids),
  'entities.get': (ctx, { kind, value, limit }) => {
    const started = performance.now();
    const view = findEntity(ctx.core.search, canonical({ kind, value }), limit);
    return { ...view, tookMs: Math.round((performance.now() - started) * 10) / 10 };
  },
  'timeline.allegation': (ctx, { allegationId }) => ({ events: allegationTimeline(ctx.core, allegationId), allegations: 1, truncated: false }),
  'timeline.entity': (ctx, { kind, value, limit }) => entityTimeline(ctx.core, canonical({ kind, value }), limit),
  'history.allegation': (ctx, { allegationId }) => allegationFormHistory(ctx.core, allegationId),
  'chart.start': (ctx, input) => ('allegationId' in input ? chartOfAllegation(ctx.core, input.allegationId) : chartOfEntity(ctx.core, canonical(input.entity))),
  'chart.expand': (ctx, { nodes, limit }) => expandNodes(ctx.core, nodes, limit),
  'auth.changePassword': async (ctx, { current, next }) => {
    await changeOwnPassword(ctx.core.store, requireUser(ctx), current, next);
    return {};
  },
  'watch.list': (ctx) => listWatch(ctx.core, requireUser(ctx)),
  'watch.add': (ctx, { items }) => addToWatch(ctx.core, requireUser(ctx), items),
  'watch.remove': (ctx, { id }) => {
    removeFromWatch(ctx.core, requireUser(ctx), id);
    return {};
  },
  'watch.seen': (ctx, { ids }) => {
    markWatchSeen(ctx.core, requireUser(ctx), ids);
    return {};
  },
};
