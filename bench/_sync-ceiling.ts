// The sync benchmark's ceiling: what the server writes for the desks' pushes, written straight into PostgreSQL by as
// many connections as desks, batch by batch, with no server in between. Each batch is the very statement a push
// writes (server/sync/write.ts, planStatement): the log entries, including the server's own entry that gives each
// new allegation its national reference; the merged rows; the allegations' places; the provisional references kept
// as aliases; the desk's progress; the push's audit entry and its nudge. With it, in the same transaction, the
// reservation of the batch's reference numbers. The statements are made before the clock starts, by judging the
// changes in memory as the server would (the same rules, rows carried over from batch to batch): what is timed is
// the database taking the rows. The reservations commit at once, as the server's do (references.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { HybridClock } from '../shared/sync/hlc.ts';
import type { ChangeRow } from '../shared/sync/changes.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { migrate } from '../server/db/migrate.ts';
import type { Statement } from '../server/db/database.ts';
import { giveReferences, judge, prepare, referencesToGive, type Plan } from '../server/sync/judge.ts';
import { nudgePayload } from '../server/sync/nudge.ts';
import { pushAudit } from '../server/sync/push.ts';
import { referenceCounts, RESERVE_NUMBERS } from '../server/sync/references.ts';
import { WorkingState } from '../server/sync/state.ts';
import { nudgeOf, planStatement } from '../server/sync/write.ts';
import { workload } from './_sync-workload.ts';

interface Batch {
  /** The reservation of the batch's reference numbers, one statement per year, each committed at once. */
  reserve: Statement[];
  write: Statement;
}

/** Numbers of each year's reference sequence handed out so far, across the desks (the database's sequence follows). */
type Numbering = Map<number, number>;

/** A desk's batches as the server would write them, judged in memory against the rows of its earlier batches. */
export function deskBatches(deskId: string, userId: string, changes: readonly ChangeRow[], batch: number, numbering: Numbering, now: () => Date): Batch[] {
  const state = new WorkingState();
  state.persons.set(userId, { id: userId, username: `ceiling.${deskId}`, role: 'analyst', unit: 'WMID', active: true });
  state.deskUsers.add(userId);
  const clock = new HybridClock(`ceiling-server-${randomBytes(3).toString('hex')}`);
  const batches: Batch[] = [];
  for (let i = 0; i < changes.length; i += batch) {
    const fresh = changes.slice(i, i + batch);
    for (const c of fresh) clock.receive(c.hlc);
    let order = 0;
    const plan = judge(state, { deskId, clock, nextSeq: () => ++order, now, prepared: prepare(fresh) }, fresh);
    const refused = plan.entries.find((e) => e.status === 'rejected');
    if (refused) throw new Error(`the ceiling's workload was refused: ${refused.reason}`);
    const reserve = referencesToGive(plan).size ? giveFromNumbering(state, plan, numbering, now) : [];
    plan.entries.forEach((e, n) => {
      e.seq = n + 1;
    });
    const at = now();
    const nudge = nudgeOf(plan);
    const extras = { desk: { id: deskId, lastSeq: (fresh.at(-1) as ChangeRow).seq, at }, audit: pushAudit(deskId, fresh, plan, at, undefined), nudge: nudge && nudgePayload(nudge) };
    batches.push({ reserve, write: planStatement(state, plan, at, extras) });
  }
  return batches;
}

/**
 * Gives the plan's new allegations their national references from the in-memory numbering, as the server does from
 * the numbers it reserved (references.ts); answers the reservations, written before the batch.
 */
function giveFromNumbering(state: WorkingState, plan: Plan, numbering: Numbering, now: () => Date): Statement[] {
  const next = new Map<number, number>();
  const reserve: Statement[] = [];
  for (const [year, count] of referenceCounts(plan, now)) {
    const last = (numbering.get(year) ?? 0) + count;
    numbering.set(year, last);
    next.set(year, last - count + 1);
    reserve.push({ sql: RESERVE_NUMBERS, params: [year, count] });
  }
  giveReferences(state, now, plan, { kept: new Set(), next });
  return reserve;
}

/** Changes a second the database takes when given the server's writes of the desks' pushes straight. */
export async function ceiling(databaseUrl: string, desks: number, mutations: number, batch: number): Promise<number> {
  const db = await openPostgres(databaseUrl, { max: desks });
  try {
    await migrate(db);
    const at = new Date();
    const now = () => at;
    const numbering: Numbering = new Map();
    const loads: Batch[][] = [];
    let changes = 0;
    for (let n = 0; n < desks; n++) {
      const deskId = randomUUID();
      const node = `ceiling${n}${randomBytes(3).toString('hex')}`;
      await db.query("INSERT INTO desks (id, node, name, unit_code, status, token_hash, requested_at) VALUES ($1, $2, $3, 'WMID', 'approved', $4, now())", [deskId, node, `Ceiling ${n}`, randomBytes(16).toString('hex')]);
      const userId = randomUUID();
      const work = workload(node, userId, mutations);
      changes += work.length;
      loads.push(deskBatches(deskId, userId, work, batch, numbering, now));
    }
    const started = performance.now();
    await Promise.all(
      loads.map(async (batches) => {
        for (const b of batches) {
          // As the server reserves them: each reservation commits at once, so the batches do not queue for the
          // sequence's row until the end of each other's transactions.
          for (const r of b.reserve) await db.query(r.sql, r.params);
          await db.transaction(async (tx) => tx.finish(b.write.sql, b.write.params));
        }
      }),
    );
    return Math.round(changes / ((performance.now() - started) / 1000));
  } finally {
    await db.close();
  }
}
