// The live nudge: a desk keeps a server-sent-events stream open and hears "something is waiting for you" when an
// accepted change falls within its scope; it then pulls. Writers announce through the database (NOTIFY, sent on
// commit), so every server instance behind a load balancer hears every write and nudges its own listeners.
// A change is pulled only once every transaction older than its own has ended (numbering.ts), which may be after it
// committed: a nudge is held until then, or the desk would pull, find nothing, and hear no more of it.
import type { Database, Queryable } from '../db/database.ts';
import { safeSeq } from './numbering.ts';
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

/** How often the hub looks again whether held nudges may go out. */
const RECHECK_MS = 10;

export class NudgeHub {
  private readonly listeners = new Set<Listener>();
  private stop: (() => Promise<void>) | null = null;
  private db: Database | null = null;
  /** Nudges heard whose changes a pull cannot give yet. */
  private held: Nudge[] = [];
  private checking = false;
  private timer: NodeJS.Timeout | null = null;
  latestSeq = 0;

  async start(db: Database): Promise<void> {
    this.db = db;
    this.stop = await db.listen(NUDGE_CHANNEL, (payload) => {
      let n: Nudge;
      try {
        n = JSON.parse(payload) as Nudge;
      } catch {
        return;
      }
      this.held.push(n);
      void this.release();
    });
  }

  /** Sends the held nudges whose changes a pull now gives; looks again shortly while some are still held. */
  private async release(): Promise<void> {
    if (this.checking || !this.db) return;
    this.checking = true;
    try {
      // On connections of their own (Database.apart): pushes may hold every pooled one.
      const safe = await safeSeq(this.db.apart ?? this.db);
      const ready = this.held.filter((n) => n.latestSeq <= safe);
      this.held = this.held.filter((n) => n.latestSeq > safe);
      for (const n of ready) {
        this.latestSeq = Math.max(this.latestSeq, n.latestSeq);
        for (const l of this.listeners) if (concerns(l.scope, n)) l.send(n.latestSeq);
      }
    } catch {
      // the database is unreachable: looked at again below, and desks poll meanwhile
    } finally {
      this.checking = false;
      if (this.held.length && this.db && !this.timer) {
        this.timer = setTimeout(() => {
          this.timer = null;
          void this.release();
        }, RECHECK_MS);
      }
    }
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
    this.held = [];
    this.db = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.stop?.();
    this.stop = null;
  }
}
