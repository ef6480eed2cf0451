// The pushes' entries in the server's audit chain, chained after their commit. A push runs at the same time as
// others and must not wait for the chain's head (one head: whoever holds it serialises every writer behind it), so
// it writes its entry, in its own transaction, to a queue; a chaining run then takes the head under AUDIT_LOCK, gives
// every queued entry it sees its number and MAC, in the order they were queued, and moves them into the chain in one
// transaction. A push answers once a run that began after its commit has ended, so its entry is in the chain when
// its desk hears back. An entry queued by a process that died before chaining it is chained by the next run (at
// the next push, or when a server starts): the queue is part of the push's transaction, so nothing is lost.
import type { ServerContext } from '../context.ts';
import { WRITE_LOCK } from '../sync/write.ts';
import { auditRecord, type AuditHead, type AuditInput } from './audit.ts';

/** Held by a chaining run (with the write lock shared): one run at a time, across server instances. */
export const AUDIT_LOCK = 7_240_004;

export interface QueuedAudit extends AuditInput {
  at: Date;
}

interface QueueRow {
  id: number;
  at: string;
  user_id: string | null;
  desk_id: string | null;
  action: string;
  details: Record<string, unknown>;
}

const READ = `SELECT (SELECT row_to_json(h) FROM (SELECT seq, mac FROM server_audit ORDER BY seq DESC LIMIT 1) h) AS head,
                     (SELECT coalesce(json_agg(q ORDER BY q.id), '[]') FROM (SELECT id, at, user_id, desk_id, action, details FROM server_audit_queue ORDER BY id LIMIT 5000) q) AS queued`;

/** Chains what is queued now (up to 5,000 entries); answers how many it chained. */
async function chainOnce(ctx: ServerContext): Promise<number> {
  return ctx.db.transaction(
    async (tx, opened) => {
      const row = opened[1]?.[0] as { head: AuditHead | null; queued: QueueRow[] } | undefined;
      const queued = row?.queued ?? [];
      if (!queued.length) return 0;
      let head = row?.head ?? null;
      const records = queued.map((q) => {
        // The time is the push's, as it queued it (JSON gives it back with the database's offset).
        const r = auditRecord(ctx.auditKey, head, new Date(q.at), { userId: q.user_id, deskId: q.desk_id, action: q.action, details: q.details });
        head = { seq: r.seq, mac: r.mac };
        return { ...r, queued_id: q.id };
      });
      await tx.finish(
        `WITH moved AS (DELETE FROM server_audit_queue WHERE id = ANY($1::bigint[]))
         INSERT INTO server_audit (seq, at, user_id, desk_id, action, details, prev_mac, mac, queued_id)
         SELECT seq, at, "userId", "deskId", action, details::jsonb, "prevMac", mac, queued_id
           FROM jsonb_to_recordset($2::jsonb) AS r(seq bigint, at timestamptz, "userId" text, "deskId" text, action text, details text, "prevMac" text, mac text, queued_id bigint)`,
        [queued.map((q) => String(q.id)), JSON.stringify(records)],
      );
      return records.length;
    },
    { lock: WRITE_LOCK, shared: true, first: [{ sql: `SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`, params: [] }, { sql: READ, params: [] }] },
  );
}

interface Runs {
  running: Promise<void> | null;
  next: Promise<void> | null;
}
const runs = new WeakMap<ServerContext, Runs>();

async function chainAll(ctx: ServerContext): Promise<void> {
  while ((await chainOnce(ctx)) === 5000);
}

/**
 * Chains every entry queued before the call. Calls while a run is going join one further run, which starts when it
 * ends (the going run may have read the queue before their entries were committed).
 */
export function chainAudit(ctx: ServerContext): Promise<void> {
  let r = runs.get(ctx);
  if (!r) runs.set(ctx, (r = { running: null, next: null }));
  const state = r;
  const start = (): Promise<void> => {
    const run = chainAll(ctx).finally(() => {
      if (state.running === run) state.running = null;
    });
    state.running = run;
    return run;
  };
  if (!state.running) return start();
  state.next ??= state.running
    .catch(() => undefined)
    .then(() => {
      state.next = null;
      return start();
    });
  return state.next;
}

/** The chain's number of a queued entry, once chained. */
export async function chainedSeq(ctx: ServerContext, queuedId: number): Promise<number> {
  const [row] = await ctx.db.query<{ seq: number }>('SELECT seq FROM server_audit WHERE queued_id = $1', [queuedId]);
  if (!row) throw new Error(`audit entry ${queuedId} is not in the chain yet`);
  return row.seq;
}
