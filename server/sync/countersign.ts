// Countersigning desks' audit heads. A push that carries the desk's head enters it in the server's own chain (the
// push's 'sync.push' entry, sync/push.ts); the answer then carries the server's signature over the desk's id, the
// head and that entry's number, which the desk keeps. GET /v1/sync/audit-head gives a desk the latest one again,
// so a desk whose stored countersignatures were removed along with the log they vouched for is still checked.
import type { ServerContext } from '../context.ts';
import { countersignMessage, type Countersignature, type CountersignedHead } from '../../shared/sync/countersign.ts';
import { iso } from '../db/database.ts';

export async function countersign(ctx: ServerContext, deskId: string, head: { seq: number; hash: string; serverAuditSeq: number }): Promise<Countersignature> {
  const signature = await ctx.countersign.sign(countersignMessage(deskId, head.seq, head.hash, head.serverAuditSeq));
  return { deskId, keyId: ctx.countersign.keyId, publicKey: ctx.countersign.publicKey, signature };
}

/** The desk's latest head recorded in the server's chain, countersigned. */
export async function latestCountersignedHead(ctx: ServerContext, deskId: string): Promise<CountersignedHead> {
  const [row] = await ctx.db.query<{ seq: number; at: Date | string; head: { seq: number; hash: string } }>(
    "SELECT seq, at, details->'deskAuditHead' AS head FROM server_audit WHERE desk_id = $1 AND action = 'sync.push' AND details ? 'deskAuditHead' ORDER BY seq DESC LIMIT 1",
    [deskId],
  );
  if (!row) return { head: null };
  const head = { seq: Number(row.head.seq), hash: String(row.head.hash), serverAuditSeq: Number(row.seq) };
  return { head: { ...head, at: iso(row.at), countersign: await countersign(ctx, deskId, head) } };
}
