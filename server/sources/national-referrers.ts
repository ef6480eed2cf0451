// The National Source Unit's national view of repeat referrers: groups found from the server's blind indexes of
// every unit's referrals. NSU only; each reading (and each refusal) is written to the server's audit chain first.
import type { ServerContext } from '../context.ts';
import type { SessionUser } from '../store/sessions.ts';
import { appendAudit } from '../store/audit.ts';
import { lockWrites } from '../sync/write.ts';
import { catchUpIndex } from './national-index.ts';
import { groupReferrals } from '../../shared/sources/referrer-groups.ts';
import type { SourceKeyKind } from '../../shared/sources/keys.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { NationalReferrers } from '../../shared/server/nsu.ts';

export async function nationalReferrerGroups(ctx: ServerContext, session: SessionUser, minCount: number): Promise<NationalReferrers> {
  const user = session.user;
  const now = ctx.now();
  const who = { userId: user.id, deskId: session.deskId };
  if (user.role !== 'nsu') {
    await ctx.db.transaction(async (tx) => {
      await lockWrites(tx);
      await appendAudit(tx, ctx.auditKey, now, { ...who, action: 'nsu.referrers_refused', details: { role: user.role } });
    });
    throw new ApiError('forbidden', 'Only the National Source Unit may see repeat referrers across every unit');
  }
  await catchUpIndex(ctx);
  const byAllegation = new Map<string, { id: string; keys: Array<{ kind: SourceKeyKind; digest: string }> }>();
  for (const r of await ctx.db.query<{ allegation_id: string; kind: SourceKeyKind; digest: string }>('SELECT allegation_id, kind, digest FROM source_index')) {
    let item = byAllegation.get(r.allegation_id);
    if (!item) byAllegation.set(r.allegation_id, (item = { id: r.allegation_id, keys: [] }));
    item.keys.push({ kind: r.kind, digest: r.digest });
  }
  const found = groupReferrals([...byAllegation.values()]).filter((g) => g.ids.length >= minCount);
  const ids = found.flatMap((g) => g.ids);
  const facts = new Map<string, { reference: string | null; unit: string | null; receivedAt: string | null }>();
  if (ids.length) {
    for (const r of await ctx.db.query<{ id: string; reference: string | null; unit_code: string | null; received_at: string | null }>(
      `SELECT s.allegation_id AS id, s.reference, s.unit_code, e.data->>'received_at' AS received_at
       FROM allegation_scope s LEFT JOIN entity_rows e ON e.entity = 'allegation' AND e.id = s.allegation_id
       WHERE s.allegation_id = ANY($1)`,
      [ids],
    )) {
      facts.set(r.id, { reference: r.reference, unit: r.unit_code, receivedAt: r.received_at });
    }
  }
  const groups = found
    .map((g) => {
      const allegations = g.ids
        .map((id) => ({ id, ...(facts.get(id) ?? { reference: null, unit: null, receivedAt: null }) }))
        .sort((a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? '') || a.id.localeCompare(b.id));
      return { groupKey: (allegations[0] as { id: string }).id, allegations, linkedBy: g.linkedBy };
    })
    .sort((a, b) => b.allegations.length - a.allegations.length || (b.allegations.at(-1)?.receivedAt ?? '').localeCompare(a.allegations.at(-1)?.receivedAt ?? ''));
  const [state] = await ctx.db.query<{ waiting: number }>('SELECT count(*)::int AS waiting FROM source_index_state WHERE problem IS NOT NULL');
  const auditSeq = await ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    return appendAudit(tx, ctx.auditKey, now, { ...who, action: 'nsu.referrers', details: { groups: groups.length, allegations: ids.length, minCount } });
  });
  return { scope: 'national', computedAt: now.toISOString(), indexed: byAllegation.size, waiting: Number(state?.waiting ?? 0), groups, auditSeq };
}
