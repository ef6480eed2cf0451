// Hybrid logical clock (Kulkarni et al.): timestamps that follow wall time, never go backwards on one node, and
// order causally across nodes after a receive. Sync merges form fields per field by last writer on this order.
//
// Text form: "<wall ms, 13 digits>-<counter, 5 digits>-<node>", so string order is clock order.

export interface HlcTimestamp {
  wall: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 99_999;
/** A remote clock further ahead than this is refused rather than dragging ours into the future. */
export const MAX_DRIFT_MS = 5 * 60_000;

export function formatHlc(t: HlcTimestamp): string {
  return `${String(t.wall).padStart(13, '0')}-${String(t.counter).padStart(5, '0')}-${t.node}`;
}

export function parseHlc(text: string): HlcTimestamp {
  const m = /^(\d{13})-(\d{5})-([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!m) throw new Error(`Not a hybrid logical clock timestamp: ${JSON.stringify(text)}`);
  return { wall: Number(m[1]), counter: Number(m[2]), node: m[3] as string };
}

export class HybridClock {
  private last: HlcTimestamp;
  private readonly node: string;
  private readonly now: () => number;

  constructor(node: string, now: () => number = () => Date.now(), last?: string) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(node)) throw new Error(`Invalid clock node id: ${node}`);
    this.node = node;
    this.now = now;
    this.last = last ? { ...parseHlc(last), node } : { wall: 0, counter: 0, node };
  }

  /** A timestamp for a local event. */
  tick(): string {
    const physical = this.now();
    if (physical > this.last.wall) {
      this.last = { wall: physical, counter: 0, node: this.node };
    } else {
      this.bump(this.last.wall, this.last.counter + 1);
    }
    return formatHlc(this.last);
  }

  /** Advances past a timestamp received from another node; returns the timestamp for the receive event. */
  receive(remoteText: string): string {
    const remote = parseHlc(remoteText);
    const physical = this.now();
    if (remote.wall - physical > MAX_DRIFT_MS) {
      throw new Error(`Remote clock is ${Math.round((remote.wall - physical) / 1000)} s ahead of ours; refusing it`);
    }
    const wall = Math.max(physical, this.last.wall, remote.wall);
    let counter = 0;
    if (wall === this.last.wall && wall === remote.wall) counter = Math.max(this.last.counter, remote.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === remote.wall) counter = remote.counter + 1;
    this.bump(wall, counter);
    return formatHlc(this.last);
  }

  current(): string {
    return formatHlc(this.last);
  }

  private bump(wall: number, counter: number): void {
    // Counter overflow within one millisecond: borrow the next millisecond rather than wrap.
    if (counter > MAX_COUNTER) this.last = { wall: wall + 1, counter: 0, node: this.node };
    else this.last = { wall, counter, node: this.node };
  }
}
