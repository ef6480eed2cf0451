import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { gradeAllegation } from '../core/grading.ts';
import { addDebrief, followUps, listActions, recordAction, recordResult } from '../core/actions.ts';
import { drawSample, qaSample, recordCheck } from '../core/qa.ts';
import { allegationHistory } from '../core/history.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { prepared } from '../store/db.ts';

type ResultProcedures = 'allegations.grade' | 'actions.list' | 'actions.record' | 'actions.result' | 'feedback.debrief' | 'followups.list' | 'qa.sample' | 'qa.draw' | 'qa.check' | 'allegations.history';

export const resultHandlers: Handlers<ResultProcedures> = {
  'allegations.grade': (ctx, { id, ...grading }) => gradeAllegation(ctx.core, requireUser(ctx), id, grading),
  'actions.list': (ctx, { allegationId }) => listActions(ctx.core, allegationId),
  'actions.record': (ctx, input) => recordAction(ctx.core, requireUser(ctx), input),
  'actions.result': (ctx, { actionId, ...input }) => recordResult(ctx.core, requireUser(ctx), actionId, input),
  'feedback.debrief': (ctx, { allegationId, actionId, debrief }) => addDebrief(ctx.core, requireUser(ctx), allegationId, actionId, debrief),
  'followups.list': (ctx, { view, unit }) => followUps(ctx.core, requireUser(ctx), view, unit),
  'qa.sample': (ctx, { unit, month }) => qaSample(ctx.core, unit, month),
  'qa.draw': (ctx, { unit, month }) => drawSample(ctx.core, requireUser(ctx), unit, month),
  'qa.check': (ctx, { checkId, result, findings, note }) => recordCheck(ctx.core, requireUser(ctx), checkId, result, findings, note),
  'allegations.history': (ctx, { allegationId }) => {
    if (!prepared(ctx.core.store.db, 'SELECT 1 FROM allegations WHERE id = ?').get(allegationId)) throw new ApiError('not_found', 'No such allegation');
    return allegationHistory(ctx.core, allegationId);
  },
};
