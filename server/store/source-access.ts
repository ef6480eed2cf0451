// Source-pane access across desks: each desk sends the source-access entries of its own audit chain (who opened
// which pane, when and why; refusals; NSU reveals) after its pushes; the server keeps them, with each batch entered
// in its own chain, and SACU or an administrator reads them across every desk (each reading audited too).
import type { ServerContext } from '../context.ts';
import type { SessionUser } from './sessions.ts';
import { appendAudit } from './audit.ts';
import { lockWrites } from '../sync/write.ts';
import { iso } from '../db/database.ts';
import type { z } from 'zod';
import type { deskSourceAccessEntry, sourceAccessQuery, sourceAccessRow } from '../../shared/server/nsu.ts';

type Entry = z.infer<typeof deskSourceAccessEntry>;

export async function receiveSourceAccess(ctx: ServerContext, deskId: string, entries: readonly Entry[]): Promise<{ received: number; upTo: number }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const fresh: Entry[] = [];
    const held = new Set((await tx.query<{ desk_seq: number }>('SELECT desk_seq FROM desk_source_access WHERE desk_id = $1 AND desk_seq = ANY($2::bigint[])', [deskId, entries.map((e) => String(e.seq))])).map((r) => Number(r.desk_seq)));
    for (const e of entries) if (!held.has(e.seq)) fresh.push(e);
    const upTo = Math.max(0, ...entries.map((e) => e.seq));
    if (!fresh.length) return { received: 0, upTo };
    const serverSeq = await appendAudit(tx, ctx.auditKey, now, { userId: null, deskId, action: 'desk.source_access', details: { entries: fresh.length, from: fresh[0]?.seq, to: fresh.at(-1)?.seq, lastHash: fresh.at(-1)?.hash } });
    for (const e of fresh) {
      await tx.query(
        `INSERT INTO desk_source_access (desk_id, desk_seq, desk_hash, at, user_id, actor, action, allegation_id, reference, reason, received_at, server_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
        [deskId, e.seq, e.hash, e.at, e.userId, e.actor, e.action, e.allegationId, e.reference, e.reason, now.toISOString(), serverSeq],
      );
    }
    return { received: fresh.length, upTo };
  });
}

export async function readSourceAccess(ctx: ServerContext, session: SessionUser, q: z.infer<typeof sourceAccessQuery>): Promise<{ entries: Array<z.infer<typeof sourceAccessRow>>; auditSeq: number }> {
  const where: string[] = [];
  const params: Array<string | number> = [];
  const add = (sql: string, v: string | number) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.user) add('(a.actor ILIKE ?)', `%${q.user}%`);
  if (q.allegationId) add('a.allegation_id = ?', q.allegationId);
  if (q.desk) add('a.desk_id = ?', q.desk);
  if (q.from) add('a.at >= ?', q.from);
  if (q.to) add('a.at <= ?', q.to);
  params.push(q.limit);
  const rows = await ctx.db.query<{ desk_id: string; desk_name: string | null; desk_seq: number; at: Date | string; user_id: string | null; actor: string; action: string; allegation_id: string | null; reference: string | null; reason: string | null }>(
    `SELECT a.desk_id, d.name AS desk_name, a.desk_seq, a.at, a.user_id, a.actor, a.action, a.allegation_id, COALESCE(s.reference, a.reference) AS reference, a.reason
     FROM desk_source_access a LEFT JOIN desks d ON d.id = a.desk_id LEFT JOIN allegation_scope s ON s.allegation_id = a.allegation_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY a.at DESC, a.desk_id, a.desk_seq DESC LIMIT $${params.length}`,
    params,
  );
  const auditSeq = await ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    return appendAudit(tx, ctx.auditKey, ctx.now(), { userId: session.user.id, deskId: session.deskId, action: 'audit.source_access_read', details: { ...q, returned: rows.length } });
  });
  return {
    entries: rows.map((r) => ({ deskId: r.desk_id, deskName: r.desk_name, deskSeq: Number(r.desk_seq), at: iso(r.at), userId: r.user_id, actor: r.actor, action: r.action, allegationId: r.allegation_id, reference: r.reference, reason: r.reason })),
    auditSeq,
  };
}
