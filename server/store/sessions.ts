// Sessions on the server: a random token handed to the client once, only its hash stored; it ends when signed out,
// after SESSION_IDLE_HOURS without use, or SESSION_HOURS after sign-in, whichever comes first.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { SESSION_HOURS, SESSION_IDLE_HOURS } from '../../shared/server/api.ts';
import type { UserRow } from './users.ts';

const HOUR = 3_600_000;
/** A session's last use is written at most this often (every request would be a write). */
const TOUCH_MS = 60_000;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function startSession(tx: Queryable, userId: string, deskId: string | null, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * HOUR);
  await tx.query('INSERT INTO sessions (token_hash, user_id, desk_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)', [tokenHash(token), userId, deskId, now, expiresAt]);
  return { token, expiresAt };
}

export interface SessionUser {
  user: UserRow;
  tokenHash: string;
  deskId: string | null;
}

/** The signed-in person of a token, or why not (null: no such session). */
export async function resolveSession(db: Queryable, token: string, now: Date): Promise<SessionUser | 'expired' | null> {
  const hash = tokenHash(token);
  const [s] = await db.query<{ user_id: string; desk_id: string | null; last_seen_at: Date; expires_at: Date; ended_at: Date | null }>(
    'SELECT user_id, desk_id, last_seen_at, expires_at, ended_at FROM sessions WHERE token_hash = $1',
    [hash],
  );
  if (!s || s.ended_at) return null;
  const t = now.getTime();
  if (t >= new Date(s.expires_at).getTime() || t - new Date(s.last_seen_at).getTime() > SESSION_IDLE_HOURS * HOUR) return 'expired';
  const [user] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [s.user_id]);
  if (!user || !user.active) return null;
  if (t - new Date(s.last_seen_at).getTime() > TOUCH_MS) await db.query('UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1', [hash, now]);
  return { user, tokenHash: hash, deskId: s.desk_id };
}

export async function endSession(db: Queryable, hash: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL', [hash, now]);
}
