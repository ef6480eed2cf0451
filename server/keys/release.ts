// Releasing an allegation's data key: only to a person allocated to it now, or to NSU; the server's own audit entry
// is written in the same transaction before the key is unwrapped and handed out, so no key leaves unrecorded. A
// refusal is audited too. Reallocation revokes: the next release is judged on the allocation as it is then, and a
// desk's cached key expires (RELEASE_TTL_MS). With the server's own key go the keys desks deposited for the
// allegation (sources/national-index.ts): they sealed what those desks recorded, which another desk needs to open.
import { randomBytes } from 'node:crypto';
import type { ServerContext } from '../context.ts';
import type { SessionUser } from '../store/sessions.ts';
import { appendAudit } from '../store/audit.ts';
import { lockWrites } from '../sync/write.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ReleasedKey } from '../../shared/server/keys.ts';
import type { KeyEncryptionService } from './key-service.ts';
import { depositContext } from '../sources/national-index.ts';

/** How long a desk may keep a released key, sealed to the session, for work offline. */
export const RELEASE_TTL_MS = 12 * 60 * 60_000;

export interface KeyDeps {
  ctx: ServerContext;
  keys: KeyEncryptionService;
}

export async function releaseDataKey(deps: KeyDeps, session: SessionUser, allegationId: string, reason: string): Promise<ReleasedKey> {
  const { ctx, keys } = deps;
  const now = ctx.now();
  const user = session.user;
  const who = { userId: user.id, deskId: session.deskId };
  const refused = await ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const [scope] = await tx.query<{ allocated_users: string[] }>('SELECT allocated_users FROM allegation_scope WHERE allegation_id = $1', [allegationId]);
    const allowed = user.role === 'nsu' || Boolean(scope?.allocated_users.includes(user.id));
    if (!scope || !allowed) {
      await appendAudit(tx, ctx.auditKey, now, { ...who, action: 'key.release_refused', details: { allegationId, reason, role: user.role, known: Boolean(scope) } });
      return scope ? 'forbidden' : 'not_found';
    }
    return null;
  });
  if (refused === 'not_found') throw new ApiError('not_found', 'The server holds no allegation with that id');
  if (refused) throw new ApiError('forbidden', "An allegation's sealed details are released only to staff allocated to it and to the National Source Unit");

  const wrappedNew = await keys.wrap(randomBytes(32), allegationId);
  const { wrapped, seq, deposits } = await ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    // Judged again under the lock: an allocation ended in between is not released to.
    const [scope] = await tx.query<{ allocated_users: string[] }>('SELECT allocated_users FROM allegation_scope WHERE allegation_id = $1', [allegationId]);
    if (!(user.role === 'nsu' || scope?.allocated_users.includes(user.id))) throw new ApiError('forbidden', 'The allocation ended while the key was being released');
    await tx.query('INSERT INTO data_keys (allegation_id, kek_id, wrapped, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (allegation_id) DO NOTHING', [allegationId, keys.keyId, wrappedNew.toString('base64'), now.toISOString()]);
    const [row] = await tx.query<{ wrapped: string; kek_id: string }>('SELECT wrapped, kek_id FROM data_keys WHERE allegation_id = $1', [allegationId]);
    if (!row) throw new ApiError('unavailable', 'The data key could not be stored');
    // The keys desks deposited are what sealed the details they recorded: released with the server's own, in the same entry.
    const deposited = await tx.query<{ desk_id: string; wrapped: string }>('SELECT desk_id, wrapped FROM deposited_keys WHERE allegation_id = $1 ORDER BY deposited_at, desk_id', [allegationId]);
    const auditSeq = await appendAudit(tx, ctx.auditKey, now, { ...who, action: 'key.release', details: { allegationId, reason, role: user.role, keyId: row.kek_id, depositedBy: deposited.map((d) => d.desk_id) } });
    return { wrapped: row.wrapped, seq: auditSeq, deposits: deposited };
  });
  // Only now, with the entry committed, are the keys unwrapped.
  const dataKey = await keys.unwrap(Buffer.from(wrapped, 'base64'), allegationId);
  const depositedKeys = await Promise.all(deposits.map(async (d) => (await keys.unwrap(Buffer.from(d.wrapped, 'base64'), depositContext(allegationId, d.desk_id))).toString('base64')));
  return { allegationId, keyId: keys.keyId, dataKey: dataKey.toString('base64'), depositedKeys, expiresAt: new Date(now.getTime() + RELEASE_TTL_MS).toISOString(), auditSeq: seq };
}
