import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { findAllegationId, readAllegation } from '../store/allegations.ts';
import { queueRows, type QueueFilter } from '../store/queues.ts';
import { UNITS } from '../../shared/domain/units.ts';
import { NATIONAL_ROLES, type Status } from '../../shared/domain/vocabularies.ts';
import type { QueueBucket } from '../../shared/api.ts';
import { storeStats } from '../core/stats.ts';

type CaseProcedures = 'units.list' | 'queue.list' | 'allegations.get' | 'stats.get';

const OPEN: readonly Status[] = ['new', 'triaged', 'in_research', 'with_ice', 'actioned', 'nfa'];
const BEFORE_OUTCOME: readonly Status[] = ['new', 'triaged', 'in_research', 'with_ice'];

/** Which allegations each bucket of a unit's queue holds. */
export const BUCKETS: Record<QueueBucket, Pick<QueueFilter, 'statuses' | 'allocated'>> = {
  all_open: { statuses: OPEN },
  new: { statuses: ['new'], allocated: false },
  awaiting_assessment: { statuses: ['new'], allocated: true },
  in_research: { statuses: ['triaged', 'in_research', 'with_ice'] },
  awaiting_compliance: { statuses: ['actioned', 'nfa'] },
  closed: { statuses: ['closed'] },
};

export const caseHandlers: Handlers<CaseProcedures> = {
  'units.list': () => UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind, region: u.region })),

  'queue.list': (ctx, input) => {
    const user = requireUser(ctx);
    const national = NATIONAL_ROLES.includes(user.role);
    const db = ctx.core.store.db;
    if (input.view === 'mine') {
      const { total, rows } = queueRows(db, { unit: null, statuses: OPEN, allocatedTo: user.id, limit: input.limit });
      return { view: input.view, unit: null, bucket: input.bucket, total, rows };
    }
    const unit = input.unit ?? user.unit_code;
    if (input.unit && input.unit !== user.unit_code && !national) {
      throw new ApiError('forbidden', `Your queue is ${user.unit_code ?? 'national'}; only national roles can open another unit's queue`);
    }
    if (input.view === 'time_critical') {
      // The duty intelligence manager acts on what has no outcome yet: a case with one waits for compliance.
      const { total, rows } = queueRows(db, { unit: unit ?? null, statuses: BEFORE_OUTCOME, timeCriticalOnly: true, limit: input.limit });
      return { view: input.view, unit: unit ?? null, bucket: input.bucket, total, rows };
    }
    if (!unit && !national) throw new ApiError('bad_request', 'Your account has no unit: ask an administrator to set one');
    const { total, rows } = queueRows(db, { unit: unit ?? null, ...BUCKETS[input.bucket], limit: input.limit });
    return { view: input.view, unit: unit ?? null, bucket: input.bucket, total, rows };
  },

  'allegations.get': (ctx, input) => {
    const id = findAllegationId(ctx.core.store.db, input);
    const record = id ? readAllegation(ctx.core.store.db, id) : null;
    if (!record) throw new ApiError('not_found', 'reference' in input ? `No allegation ${input.reference}` : 'No such allegation');
    return record;
  },

  'stats.get': (ctx) => storeStats(ctx.core.store.db),
};
