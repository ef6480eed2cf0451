// Changes the server makes itself (accounts an administrator adds or changes): they enter the same log, in the
// same order, with the server's clock, and reach every desk whose scope holds them like any desk's change.
import type { Queryable } from '../db/database.ts';
import type { ServerContext } from '../context.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { entitySpec } from '../../shared/sync/entities.ts';
import { apply, contentHash, type Plan } from './judge.ts';
import { loadRows, WorkingState } from './state.ts';
import { announce } from './nudge.ts';
import { nudgeOf, writePlan } from './write.ts';

export type ServerChange = Pick<ChangeRow, 'entity' | 'id' | 'op' | 'fields'>;

/** Records the changes; the caller holds the write lock. */
export async function recordServerChanges(tx: Queryable, ctx: ServerContext, changes: readonly ServerChange[]): Promise<Plan> {
  const state = new WorkingState();
  await loadRows(tx, state, changes.map((c) => [c.entity, c.id] as [string, string]));
  // Ordinals within the transaction: the statement that writes them makes them change numbers (numbering.ts).
  let n = 0;
  const nextSeq = () => ++n;
  const plan: Plan = { entries: [], references: [], aliases: [], blobRefs: [] };
  for (const c of changes) {
    const spec = entitySpec(c.entity);
    const change = { ...c, hlc: ctx.clock.tick(), allegationId: null, userId: null };
    plan.entries.push(apply(state, spec, change, state.row(c.entity, c.id), [], nextSeq(), { deskId: null, deskSeq: null, change, allegationIds: [], contentHash: contentHash(change), stale: [] }));
  }
  await writePlan(tx, state, plan, ctx.now());
  const nudge = nudgeOf(plan);
  if (nudge) await announce(tx, nudge);
  return plan;
}
