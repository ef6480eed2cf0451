// Signed-in sessions live in memory only: a restart of the host signs everyone out, and a token never
// touches the disk. Tokens are random; only their hash is kept.
import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  userId: string;
  startedAt: number;
  lastSeenAt: number;
  /** With a central server: the person's session there (null when they signed in offline). */
  serverSession: string | null;
  /** Signed in without the server (it could not be reached). */
  offline: boolean;
  /** The secret keys the server released to this person are sealed under here (core/key-release.ts); memory only. */
  personSecret: Buffer | null;
}

const IDLE_LIMIT_MS = 8 * 3_600_000;

export class Sessions {
  private readonly byHash = new Map<string, Session>();
  private readonly now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.now = now;
  }

  start(userId: string, server: { serverSession: string | null; offline: boolean; personSecret?: Buffer | null } = { serverSession: null, offline: false }): string {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    this.byHash.set(hash(token), { userId, startedAt: t, lastSeenAt: t, ...server, personSecret: server.personSecret ?? null });
    return token;
  }

  /** The most recent server session of a person signed in here, if any (to act for them on the server). */
  serverSessionOf(userId: string): string | null {
    let best: Session | null = null;
    for (const s of this.byHash.values()) if (s.userId === userId && s.serverSession && (!best || s.lastSeenAt > best.lastSeenAt)) best = s;
    return best?.serverSession ?? null;
  }

  /** The session of a token, refreshed; null when unknown or idle too long. */
  resolve(token: string | null | undefined): Session | null {
    if (!token) return null;
    const key = hash(token);
    const s = this.byHash.get(key);
    if (!s) return null;
    const t = this.now();
    if (t - s.lastSeenAt > IDLE_LIMIT_MS) {
      this.byHash.delete(key);
      return null;
    }
    s.lastSeenAt = t;
    return s;
  }

  end(token: string): void {
    this.byHash.delete(hash(token));
  }

  endAllFor(userId: string): void {
    for (const [k, s] of this.byHash) if (s.userId === userId) this.byHash.delete(k);
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
