import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { candidatesFor, draftCandidates, intakeWarningsOf, judge, judgementsOf } from '../core/links.ts';
import { linkGroup } from '../core/link-groups.ts';
import { recordReview } from '../core/link-reviews.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { prepared } from '../store/db.ts';

type LinkProcedures = 'links.candidates' | 'links.draftCandidates' | 'links.judge' | 'links.judgements' | 'links.group' | 'links.review';

function exists(ctx: Parameters<Handlers<'links.group'>['links.group']>[0], id: string): void {
  if (!prepared(ctx.core.store.db, 'SELECT 1 FROM allegations WHERE id = ?').get(id)) throw new ApiError('not_found', 'No such allegation');
}

export const linkHandlers: Handlers<LinkProcedures> = {
  'links.candidates': (ctx, { allegationId, limit, includeWeak }) => {
    exists(ctx, allegationId);
    return candidatesFor(ctx.core, allegationId, { limit, includeWeak });
  },
  'links.draftCandidates': (ctx, { form, allegationId, limit }) => {
    if (allegationId) exists(ctx, allegationId);
    return draftCandidates(ctx.core, form, allegationId, limit);
  },
  'links.judge': (ctx, input) => judge(ctx.core, requireUser(ctx), input),
  'links.judgements': (ctx, { allegationId }) => {
    exists(ctx, allegationId);
    return { judgements: judgementsOf(ctx.core, allegationId), intakeWarnings: intakeWarningsOf(ctx.core, allegationId) };
  },
  'links.group': (ctx, { allegationId }) => {
    exists(ctx, allegationId);
    return linkGroup(ctx.core, allegationId);
  },
  'links.review': (ctx, { allegationId, note }) => recordReview(ctx.core, requireUser(ctx), allegationId, note),
};
