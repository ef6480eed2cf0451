// The live nudge: a desk keeps a server-sent-events stream open and hears "something is waiting for you" when an
// accepted change falls within its scope; it then pulls. Writers announce through the database (NOTIFY, sent on
// commit), so every server instance behind a load balancer hears every write and nudges its own listeners.
import type { Database, Queryable } from '../db/database.ts';
import type { DeskScope } from '../../shared/sync/scope.ts';

export const NUDGE_CHANNEL = 'ims_sync';

export interface Nudge {
  latestSeq: number;
  units: string[];
  users: string[];
  national: boolean;
  nsu: boolean;
  nat: boolean;
  allegations: boolean;
  /** Too much to list: every desk is nudged. */
  all?: boolean;
}

/** The NOTIFY payload of a nudge: its lists, or "every desk" when they would not fit (NOTIFY carries at most 8000 bytes). */
export function nudgePayload(nudge: Nudge): string {
  const payload = JSON.stringify(nudge);
  return payload.length > 7000 ? JSON.stringify({ ...nudge, units: [], users: [], all: true }) : payload;
}

export async function announce(tx: Queryable, nudge: Nudge): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [NUDGE_CHANNEL, nudgePayload(nudge)]);
}

export function concerns(scope: DeskScope, n: Nudge): boolean {
  if (n.all || n.national) return true;
  if (n.nsu && scope.nsu) return true;
  if (n.nat && scope.nat) return true;
  if (n.allegations && scope.allAllegations) return true;
  return n.units.some((u) => scope.units.includes(u)) || n.users.some((u) => scope.users.includes(u));
}

interface Listener {
  scope: DeskScope;
  send: (latestSeq: number) => void;
}

export class NudgeHub {
  private readonly listeners = new Set<Listener>();
  private stop: (() => Promise<void>) | null = null;
  latestSeq = 0;

  async start(db: Database): Promise<void> {
    this.stop = await db.listen(NUDGE_CHANNEL, (payload) => {
      let n: Nudge;
      try {
        n = JSON.parse(payload) as Nudge;
      } catch {
        return;
      }
      this.latestSeq = Math.max(this.latestSeq, n.latestSeq);
      for (const l of this.listeners) if (concerns(l.scope, n)) l.send(n.latestSeq);
    });
  }

  subscribe(scope: DeskScope, send: (latestSeq: number) => void): () => void {
    const l = { scope, send };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get size(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.stop?.();
    this.stop = null;
  }
}
