import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { addContact, openSource, sourceStatus, updateSource } from '../core/sources.ts';
import { decideGroup, referrerGroups } from '../core/nsu.ts';
import { revealGroup } from '../core/nsu-reveal.ts';
import { referrerView } from '../core/nsu-national.ts';
import { prepared } from '../store/db.ts';
import { intelligenceReport } from '../core/report.ts';
import { verifyAuditTrailWithServer } from '../core/audit-trail.ts';

type SourceProcedures = 'allegations.report' | 'vault.status' | 'source.status' | 'source.open' | 'source.update' | 'source.addContact' | 'nsu.referrers' | 'nsu.referrerView' | 'nsu.reveal' | 'nsu.decide' | 'audit.sourceAccess' | 'audit.verify';

export const sourceHandlers: Handlers<SourceProcedures> = {
  'allegations.report': (ctx, { id }) => intelligenceReport(ctx.core, requireUser(ctx), id),
  'vault.status': (ctx) => ctx.core.vault.status(),
  'source.status': (ctx, { allegationId }) => sourceStatus(ctx.core, requireUser(ctx), allegationId),
  'source.open': (ctx, { allegationId, reason }) => openSource(ctx.core, requireUser(ctx), allegationId, reason, ctx.core.sessions.resolve(ctx.sessionToken)),
  'source.update': (ctx, { allegationId, details, reason }) => updateSource(ctx.core, requireUser(ctx), allegationId, details, reason, ctx.core.sessions.resolve(ctx.sessionToken)),
  'source.addContact': (ctx, { allegationId, ...contact }) => addContact(ctx.core, requireUser(ctx), allegationId, contact, ctx.core.sessions.resolve(ctx.sessionToken)),
  'nsu.referrers': (ctx, { minCount }) => referrerGroups(ctx.core, minCount),
  'nsu.referrerView': (ctx, { minCount }) => referrerView(ctx.core, requireUser(ctx), minCount),
  'nsu.reveal': (ctx, { groupKey, reason }) => revealGroup(ctx.core, requireUser(ctx), groupKey, reason, ctx.core.sessions.resolve(ctx.sessionToken)),
  'nsu.decide': (ctx, { groupKey, decision, note }) => decideGroup(ctx.core, requireUser(ctx), groupKey, decision, note),
  'audit.sourceAccess': (ctx, input) => {
    const where = ["l.action IN ('source.open', 'source.open_refused', 'nsu.reveal', 'source.update', 'source.contact')"];
    const params: unknown[] = [];
    if (input.user) {
      where.push('l.actor LIKE ?');
      params.push(`%${input.user}%`);
    }
    if (input.reference) {
      where.push('a.reference LIKE ?');
      params.push(`%${input.reference.toUpperCase()}%`);
    }
    if (input.from) {
      where.push('l.at >= ?');
      params.push(input.from);
    }
    if (input.to) {
      where.push('l.at <= ?');
      params.push(input.to);
    }
    const rows = prepared(
      ctx.core.store.db,
      `SELECT l.seq, l.at, l.actor, l.user_id, l.action, l.allegation_id, a.reference, l.details FROM audit_log l LEFT JOIN allegations a ON a.id = l.allegation_id
       WHERE ${where.join(' AND ')} ORDER BY l.seq DESC LIMIT ?`,
    ).all(...params, input.limit) as Array<{ seq: number; at: string; actor: string; user_id: string | null; action: string; allegation_id: string | null; reference: string | null; details: string }>;
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      userId: r.user_id,
      action: r.action,
      allegationId: r.allegation_id,
      reference: r.reference,
      reason: (JSON.parse(r.details) as { reason?: string }).reason ?? null,
    }));
  },
  'audit.verify': (ctx) => verifyAuditTrailWithServer(ctx.core),
};
