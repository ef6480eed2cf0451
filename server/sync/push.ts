// Push: a desk sends its change rows after what the server already has. In one transaction:
// - a change already received (same desk, same seq) is answered as it was the first time, and changes nothing;
//   the same seq with other content is a forgery or a broken desk, and refuses the whole batch;
// - the new changes must follow on from the last one received, in the desk's order, with the desk's clock and
//   no clock further ahead than the drift limit; otherwise the whole batch is refused and nothing changes;
// - each new change is judged and merged (judge.ts), then everything is written (write.ts).
// Pushes run at the same time, and nothing serialises them but what they touch: each holds the write lock shared,
// its desk's lock (one push of a desk at a time) and locks on the allegations and rows its changes touch (state.ts),
// taken in one order so that none waits for another in a circle. Under them it reads, judges, and writes everything
// in one statement with its COMMIT. Its changes are numbered by its transaction's id as they are written, and pulls
// pass only numbers below every transaction still running (numbering.ts), so a puller's cursor never passes a change
// still to commit. New allegations' national references are reserved apart (references.ts); the push's audit entry
// is queued and chained after the commit (store/audit-queue.ts).
// Two round trips: BEGIN, the locks and the read; the write and COMMIT (a third to reserve references, if any).
// A crash before the commit leaves no trace; after it, the desk's retry is answered from the log.
import { ApiError } from '../../shared/api/errors.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { MAX_DRIFT_MS, parseHlc } from '../../shared/sync/hlc.ts';
import type { AuditHead, PushResponse, PushResult } from '../../shared/sync/protocol.ts';
import type { ServerContext } from '../context.ts';
import type { Queryable } from '../db/database.ts';
import { chainAudit, chainedSeq, type QueuedAudit } from '../store/audit-queue.ts';
import { contentHash, giveReferences, judge, prepare, referencesToGive, type Plan, type Prepared } from './judge.ts';
import { nudgePayload } from './nudge.ts';
import { reserveReferences } from './references.ts';
import { allegationLock, lockedNames, lockMore, missingLocks, pushRead, pushWorld, type PushReading, type PushWorld } from './state.ts';
import { nudgeOf, numberEntries, planStatement, WRITE_LOCK, writtenConflicts, type PlanOutput } from './write.ts';

type DeskRow = NonNullable<PushWorld['desk']>;

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

async function answered(tx: Queryable, deskId: string, changes: readonly ChangeRow[]): Promise<PushResult[]> {
  if (!changes.length) return [];
  const rows = await tx.query<{ desk_seq: number; seq: number; status: 'accepted' | 'rejected'; reason: string | null; stale: string[]; content_hash: string; conflict_id: number | null }>(
    `SELECT c.desk_seq, c.seq, c.status, c.reason, c.stale, c.content_hash, f.id AS conflict_id
       FROM change_log c LEFT JOIN conflicts f ON f.change_seq = c.seq
      WHERE c.desk_id = $1 AND c.desk_seq = ANY($2::bigint[])`,
    [deskId, changes.map((c) => c.seq)],
  );
  const bySeq = new Map(rows.map((r) => [r.desk_seq, r]));
  return changes.map((c) => {
    const r = bySeq.get(c.seq);
    if (!r) throw new ApiError('conflict', `The server has no record of change ${c.seq} from this desk though it has later ones: the desk's log and the server's disagree`);
    if (r.content_hash !== contentHash(c)) {
      throw new ApiError('conflict', `Change ${c.seq} was pushed before with different content: a desk never rewrites a change it has sent. Nothing in this batch was accepted.`);
    }
    return { seq: c.seq, status: r.status, serverSeq: r.seq, reason: r.reason, stale: r.stale, conflictId: r.conflict_id };
  });
}

/** The audit entry of a push that brought new changes: what it carried, what was accepted and refused. */
export function pushAudit(deskId: string, fresh: readonly ChangeRow[], plan: Plan, now: Date, auditHead: AuditHead | undefined): QueuedAudit {
  const accepted = plan.entries.filter((e) => e.deskId && e.status === 'accepted').length;
  const rejected = plan.entries.filter((e) => e.status === 'rejected');
  return {
    at: now,
    userId: null,
    deskId,
    action: 'sync.push',
    details: {
      from: (fresh[0] as ChangeRow).seq,
      to: (fresh.at(-1) as ChangeRow).seq,
      accepted,
      rejected: rejected.length,
      rejections: rejected.slice(0, 20).map((e) => ({ seq: e.deskSeq, entity: e.change.entity, id: e.change.id, userId: e.change.userId, reason: e.reason })),
      references: plan.references.length,
      ...(auditHead ? { deskAuditHead: auditHead } : {}),
    },
  };
}

/** A deadlock PostgreSQL broke by failing this push: only possible when a push had to lock more after its read. */
function deadlocked(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01';
}

export async function push(ctx: ServerContext, deskId: string, changes: readonly ChangeRow[], auditHead?: AuditHead): Promise<PushResponse> {
  for (let i = 1; i < changes.length; i++) {
    const prev = (changes[i - 1] as ChangeRow).seq;
    const seq = (changes[i] as ChangeRow).seq;
    if (seq <= prev) throw new ApiError('bad_request', `Changes must come in the desk's order: change ${seq} comes after change ${prev} in this batch. Nothing in this batch was accepted.`);
  }
  // Hashes and registry problems need no lock: worked out before any is taken.
  const prepared = prepare(changes);
  const reading = pushRead(deskId, changes);
  for (let attempt = 1; ; attempt++) {
    try {
      return await pushOnce(ctx, deskId, changes, auditHead, prepared, reading);
    } catch (error) {
      // The transaction was rolled back whole: nothing of it remains, and it runs again from the start.
      if (attempt < 5 && deadlocked(error)) continue;
      throw error;
    }
  }
}

async function pushOnce(ctx: ServerContext, deskId: string, changes: readonly ChangeRow[], auditHead: AuditHead | undefined, prepared: ReadonlyMap<ChangeRow, Prepared>, reading: PushReading): Promise<PushResponse> {
  const now = ctx.now();
  // Through the admission gate (admission.ts): the transaction starts, and takes a connection, when a place is free.
  const result = await ctx.pushGate(() => ctx.db.transaction(async (tx, opened) => {
    // The desk, the state the changes touch: read after the locks. Replayed changes are read too; what they name is
    // harmless to hold.
    const locked = lockedNames(opened[1]?.[0]);
    let world = pushWorld(opened[2]?.[0]);
    for (let missing = missingLocks(world.state, locked); missing.length; missing = missingLocks(world.state, locked)) {
      const [row] = await tx.batch([lockMore(missing), reading.read]);
      for (const a of missing) locked.add(allegationLock(a));
      world = pushWorld(row);
    }
    const desk: DeskRow | null = world.desk;
    if (!desk || desk.status !== 'approved') throw new ApiError('forbidden', 'This desk is not approved to sync: an administrator approves it on the server');
    const replayed = changes.filter((c) => c.seq <= desk.last_seq);
    const fresh = changes.filter((c) => c.seq > desk.last_seq);
    const results = await answered(tx, deskId, replayed);
    const expected = desk.last_seq + 1;
    fresh.forEach((c, i) => {
      if (c.seq !== expected + i) {
        throw new ApiError('conflict', `The server expected change ${expected + i} from this desk next, not ${c.seq}: push again from change ${desk.last_seq + 1}. Nothing in this batch was accepted.`, {
          nextSeq: String(desk.last_seq + 1),
        });
      }
    });
    for (const c of fresh) {
      const t = parseHlc(c.hlc);
      if (t.node !== desk.node) throw new ApiError('bad_request', `Change ${c.seq} carries the clock of ${t.node}, not this desk's (${desk.node}). Nothing in this batch was accepted.`);
      const ahead = t.wall - now.getTime();
      if (ahead > MAX_DRIFT_MS) {
        throw new ApiError(
          'bad_request',
          `This desk's clock is ${duration(ahead)} ahead of the server's (change ${c.seq} is dated ${new Date(t.wall).toISOString()}): correct the computer's date and time, then sync again. Nothing in this batch was accepted.`,
          { clock: 'ahead' },
        );
      }
    }
    if (!fresh.length) return { results, nextSeq: expected, references: [], plan: null, head: null, queued: null };

    const state = world.state;
    for (const c of fresh) ctx.clock.receive(c.hlc);
    // Judged in order, each entry given its ordinal; numbered in the statement that writes them (numbering.ts).
    let order = 0;
    const plan = judge(state, { deskId, clock: ctx.clock, nextSeq: () => ++order, now: ctx.now, prepared }, fresh);
    const last = (fresh.at(-1) as ChangeRow).seq;
    if (referencesToGive(plan).size) giveReferences(state, ctx.now, plan, await reserveReferences(ctx.db.apart ?? tx, plan, ctx.now));
    plan.entries.forEach((e, i) => {
      e.seq = i + 1;
    });
    // The desk's audit head enters the server's own chain with the push that carried it (queued here, chained after
    // the commit: store/audit-queue.ts).
    const audit = pushAudit(deskId, fresh, plan, now, auditHead);
    const nudge = nudgeOf(plan);
    const mine = new Map(plan.entries.filter((e) => e.deskId).map((e) => [e.deskSeq as number, e]));
    const judged = fresh.map((c) => {
      const e = mine.get(c.seq);
      if (!e) throw new Error(`change ${c.seq} was not judged`);
      return e;
    });
    // Everything in one statement, sent with the COMMIT: the rows, places, allocations, blob references and aliases,
    // the log and its conflicts, the desk's progress, the queued audit entry and the nudge (NOTIFY goes out on commit).
    const write = planStatement(state, plan, now, { desk: { id: deskId, lastSeq: last, at: now }, audit, nudge: nudge && nudgePayload(nudge), finish: true });
    const [out] = await tx.finish<PlanOutput>(write.sql, write.params);
    numberEntries(plan, Number(out?.base));
    const conflictIds = writtenConflicts(out);
    for (const e of judged) results.push({ seq: e.deskSeq as number, status: e.status, serverSeq: e.seq, reason: e.reason, stale: e.stale, conflictId: conflictIds.get(e.seq) ?? null });
    return { results, nextSeq: last + 1, references: plan.references, plan, head: auditHead ?? null, queued: out?.audit_queued ?? null };
  }, { lock: WRITE_LOCK, shared: true, first: reading.statements }));
  // The push's audit entry into the chain before the desk hears back (its countersigned head names the entry).
  if (result.queued !== null) await chainAudit(ctx);
  const head = result.head && result.queued !== null ? { ...result.head, serverAuditSeq: await chainedSeq(ctx, result.queued) } : null;
  return { results: result.results, nextSeq: result.nextSeq, references: result.references, serverHlc: ctx.clock.current(), auditHead: head };
}
