// Push: a desk sends its change rows after what the server already has. In one transaction, under the write lock:
// - a change already received (same desk, same seq) is answered as it was the first time, and changes nothing;
//   the same seq with other content is a forgery or a broken desk, and refuses the whole batch;
// - the new changes must follow on from the last one received, in the desk's order, with the desk's clock and
//   no clock further ahead than the drift limit; otherwise the whole batch is refused and nothing changes;
// - each new change is judged and merged (judge.ts), then everything is written at once (write.ts).
// Pushes that arrive while another holds the lock wait in line in this process, and the next transaction takes all
// of them (one per desk) at once: one read, each desk's batch checked and judged in turn as if alone, one write and
// one COMMIT. The lock's round trips, the read, the statement and the commit's flush are paid once per group instead
// of once per desk, and the order they are judged in is the order of the log. A batch refused by its checks is
// answered alone and leaves nothing behind; the others go on.
// Under the lock a group makes two round trips: BEGIN, the lock and one read (state.ts pushRead); one write and the
// COMMIT (write.ts). A crash before the commit leaves no trace; after it, each desk's retry is answered from the log.
import { ApiError } from '../../shared/api/errors.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import { MAX_DRIFT_MS, parseHlc } from '../../shared/sync/hlc.ts';
import type { AuditHead, PushResponse, PushResult } from '../../shared/sync/protocol.ts';
import type { ServerContext } from '../context.ts';
import type { Queryable } from '../db/database.ts';
import { auditRecord, type AuditRecord } from '../store/audit.ts';
import { contentHash, judge, prepare, type Plan, type Prepared } from './judge.ts';
import { nudgePayload } from './nudge.ts';
import { pushRead, pushWorld, type PushWorld } from './state.ts';
import { nudgeOf, WRITE_LOCK, writePlan } from './write.ts';

/** A group takes waiting pushes up to about this many changes (one desk's batch is never split). */
const GROUP_CHANGES = 1_000;

interface Job {
  deskId: string;
  changes: readonly ChangeRow[];
  auditHead: AuditHead | undefined;
  prepared: Map<ChangeRow, Prepared>;
  resolve: (r: PushResponse) => void;
  reject: (e: unknown) => void;
}

/** What one push of a group comes to once judged (or its refusal). */
type Outcome =
  | { ok: true; results: PushResult[]; nextSeq: number; references: Plan['references']; head: PushResponse['auditHead'] }
  | { ok: false; error: unknown };

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

/** The checks that refuse a whole batch. They change nothing, so a refused batch leaves the group as it was. */
async function check(tx: Queryable, world: PushWorld, job: Job, now: Date): Promise<{ replayed: PushResult[]; fresh: ChangeRow[]; lastSeq: number }> {
  const desk = world.desks.get(job.deskId);
  if (!desk || desk.status !== 'approved') throw new ApiError('forbidden', 'This desk is not approved to sync: an administrator approves it on the server');
  const replayed = job.changes.filter((c) => c.seq <= desk.last_seq);
  const fresh = job.changes.filter((c) => c.seq > desk.last_seq);
  const results = await answered(tx, job.deskId, replayed);
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
  return { replayed: results, fresh, lastSeq: desk.last_seq };
}

/** Checks, judges and writes a group of pushes (from different desks) in one transaction under the write lock. */
async function pushGroup(ctx: ServerContext, jobs: readonly Job[]): Promise<Outcome[]> {
  const now = ctx.now();
  return ctx.db.transaction(
    async (tx, read) => {
      // The desks, the state the changes touch, the audit head and the next change number: one read, sent with the
      // BEGIN and the lock. Replayed changes are read too; what they name is harmless to hold.
      const world = pushWorld(read[0]);
      const state = world.state;
      // Change numbers follow on from the sequence as read under the lock; the write moves it past the last one used.
      let seq = world.nextSeq;
      const nextSeq = () => seq++;
      let head = world.auditHead;
      const plan: Plan = { entries: [], references: [], aliases: [], blobRefs: [] };
      const audits: AuditRecord[] = [];
      const desks: Array<{ id: string; lastSeq: number }> = [];
      const pending: Array<{ job: Job; results: PushResult[]; judged: Plan['entries']; nextSeq: number; references: Plan['references']; audit: AuditRecord | null }> = [];
      const outcomes = new Map<Job, Outcome>();
      for (const job of jobs) {
        let checked: Awaited<ReturnType<typeof check>>;
        try {
          checked = await check(tx, world, job, now);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          outcomes.set(job, { ok: false, error });
          continue;
        }
        const { replayed, fresh } = checked;
        if (!fresh.length) {
          pending.push({ job, results: replayed, judged: [], nextSeq: checked.lastSeq + 1, references: [], audit: null });
          continue;
        }
        for (const c of fresh) ctx.clock.receive(c.hlc);
        state.deskUsers = world.deskUsers.get(job.deskId) ?? new Set();
        const own = judge(state, { deskId: job.deskId, clock: ctx.clock, nextSeq, now: ctx.now, prepared: job.prepared }, fresh);
        const last = (fresh.at(-1) as ChangeRow).seq;
        const accepted = own.entries.filter((e) => e.deskId && e.status === 'accepted').length;
        const rejected = own.entries.filter((e) => e.status === 'rejected');
        // The desk's audit head enters the server's own chain with the push that carried it.
        const audit = auditRecord(ctx.auditKey, head, now, {
          userId: null,
          deskId: job.deskId,
          action: 'sync.push',
          details: {
            from: (fresh[0] as ChangeRow).seq,
            to: last,
            accepted,
            rejected: rejected.length,
            rejections: rejected.slice(0, 20).map((e) => ({ seq: e.deskSeq, entity: e.change.entity, id: e.change.id, userId: e.change.userId, reason: e.reason })),
            references: own.references.length,
            ...(job.auditHead ? { deskAuditHead: job.auditHead } : {}),
          },
        });
        head = { seq: audit.seq, mac: audit.mac };
        audits.push(audit);
        desks.push({ id: job.deskId, lastSeq: last });
        plan.entries.push(...own.entries);
        plan.references.push(...own.references);
        plan.aliases.push(...own.aliases);
        plan.blobRefs.push(...own.blobRefs);
        const mine = new Map(own.entries.filter((e) => e.deskId).map((e) => [e.deskSeq as number, e]));
        const judged = fresh.map((c) => {
          const e = mine.get(c.seq);
          if (!e) throw new Error(`change ${c.seq} was not judged`);
          return e;
        });
        pending.push({ job, results: replayed, judged, nextSeq: last + 1, references: own.references, audit });
      }
      let conflictIds = new Map<number, number>();
      if (plan.entries.length || audits.length) {
        // Everything in one statement, sent with the COMMIT: the log, the rows, the desks' progress, the audit
        // entries and the nudge (NOTIFY goes out on commit).
        const nudge = nudgeOf(plan);
        ({ conflictIds } = await writePlan(tx, state, plan, now, { desks, audits, nudge: nudge && nudgePayload(nudge), seqUpTo: seq - 1, finish: true }));
      }
      for (const p of pending) {
        const results = [...p.results];
        for (const e of p.judged) results.push({ seq: e.deskSeq as number, status: e.status, serverSeq: e.seq, reason: e.reason, stale: e.stale, conflictId: conflictIds.get(e.seq) ?? null });
        const head = p.job.auditHead && p.audit ? { ...p.job.auditHead, serverAuditSeq: p.audit.seq } : null;
        outcomes.set(p.job, { ok: true, results, nextSeq: p.nextSeq, references: p.references, head });
      }
      return jobs.map((j) => outcomes.get(j) as Outcome);
    },
    { lock: WRITE_LOCK, first: pushRead([...new Set(jobs.map((j) => j.deskId))], jobs.flatMap((j) => j.changes)) },
  );
}

/** The pushes of one server process waiting for the write lock, taken a group at a time. */
class PushLine {
  private readonly waiting: Job[] = [];
  private running = false;
  private readonly ctx: ServerContext;

  constructor(ctx: ServerContext) {
    this.ctx = ctx;
  }

  add(job: Job): void {
    this.waiting.push(job);
    if (!this.running) void this.run();
  }

  /** The next group: the longest-waiting pushes, one per desk (a desk's next batch follows on from this one). */
  private take(): Job[] {
    const group: Job[] = [];
    const desks = new Set<string>();
    let changes = 0;
    for (let i = 0; i < this.waiting.length; ) {
      const job = this.waiting[i] as Job;
      if (desks.has(job.deskId) || (group.length && changes + job.changes.length > GROUP_CHANGES)) {
        i++;
        continue;
      }
      group.push(job);
      desks.add(job.deskId);
      changes += job.changes.length;
      this.waiting.splice(i, 1);
    }
    return group;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length) await this.settle(this.take());
    } finally {
      this.running = false;
    }
  }

  private async settle(group: Job[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await pushGroup(this.ctx, group);
    } catch (error) {
      // Nothing of the group was written. Alone, each push gets its own answer (one of them may be what failed).
      if (group.length > 1) {
        for (const job of group) await this.settle([job]);
      } else group[0]?.reject(error);
      return;
    }
    const serverHlc = this.ctx.clock.current();
    group.forEach((job, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) job.resolve({ results: o.results, nextSeq: o.nextSeq, references: o.references, serverHlc, auditHead: o.head });
      else job.reject(o.error);
    });
  }
}

const lines = new WeakMap<ServerContext, PushLine>();

export async function push(ctx: ServerContext, deskId: string, changes: readonly ChangeRow[], auditHead?: AuditHead): Promise<PushResponse> {
  for (let i = 1; i < changes.length; i++) {
    const prev = (changes[i - 1] as ChangeRow).seq;
    const seq = (changes[i] as ChangeRow).seq;
    if (seq <= prev) throw new ApiError('bad_request', `Changes must come in the desk's order: change ${seq} comes after change ${prev} in this batch. Nothing in this batch was accepted.`);
  }
  // Hashes and registry problems need no lock: worked out while other pushes hold it.
  const prepared = prepare(changes);
  let line = lines.get(ctx);
  if (!line) lines.set(ctx, (line = new PushLine(ctx)));
  const queued = line;
  return new Promise<PushResponse>((resolve, reject) => queued.add({ deskId, changes, auditHead, prepared, resolve, reject }));
}
