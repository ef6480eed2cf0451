import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { ApiError } from '../../shared/errors.ts';
import { findAllegationId, queueRows, readAllegation } from '../store/allegations.ts';
import { UNITS } from '../../shared/units.ts';
import { NATIONAL_ROLES, type Status } from '../../shared/domain.ts';
import type { QueueBucket } from '../../shared/api.ts';
import { storeStats } from '../core/stats.ts';

type CaseProcedures = 'units.list' | 'queue.list' | 'allegations.get' | 'stats.get';

const BUCKET_STATUSES: Record<QueueBucket, readonly Status[]> = {
  all_open: ['new', 'triaged', 'in_research', 'with_ice', 'actioned', 'nfa'],
  new: ['new'],
  awaiting_assessment: ['new'],
  in_research: ['triaged', 'in_research', 'with_ice'],
  awaiting_compliance: ['actioned', 'nfa'],
  closed: ['closed'],
};

export const caseHandlers: Handlers<CaseProcedures> = {
  'units.list': () => UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind, region: u.region })),

  'queue.list': (ctx, input) => {
    const user = requireUser(ctx);
    const unit = input.unit ?? user.unit_code;
    if (input.unit && input.unit !== user.unit_code && !NATIONAL_ROLES.includes(user.role)) {
      throw new ApiError('forbidden', `Your queue is ${user.unit_code ?? 'national'}; only national roles can open another unit's queue`);
    }
    if (!unit && !NATIONAL_ROLES.includes(user.role)) throw new ApiError('bad_request', 'Your account has no unit: ask an administrator to set one');
    const { total, rows } = queueRows(ctx.core.store.db, { unit: unit ?? null, statuses: BUCKET_STATUSES[input.bucket], limit: input.limit });
    return { unit: unit ?? null, bucket: input.bucket, total, rows };
  },

  'allegations.get': (ctx, input) => {
    const id = findAllegationId(ctx.core.store.db, input);
    const record = id ? readAllegation(ctx.core.store.db, id) : null;
    if (!record) throw new ApiError('not_found', 'reference' in input ? `No allegation ${input.reference}` : 'No such allegation');
    return record;
  },

  'stats.get': (ctx) => storeStats(ctx.core.store.db),
};
