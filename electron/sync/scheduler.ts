// When the desk syncs: soon after a change is made here, at once when the server's live nudge says something is
// waiting, every so often by polling (often when the nudge is not connected, rarely as a safety net when it is),
// and after a failure with back-off, so an offline desk retries without hammering the network.
import type { SyncEngine } from './engine.ts';

export interface SchedulerOptions {
  /** After a change here, wait this long for more before pushing (a burst of edits goes in one push). */
  debounceMs?: number;
  /** Poll this often when the live nudge is not connected. */
  pollMs?: number;
  /** Poll this often even when it is. */
  safetyPollMs?: number;
}

export class SyncScheduler {
  private readonly engine: SyncEngine;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private readonly safetyPollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private dueAt = Infinity;
  private failures = 0;
  private stopped = true;
  private stream: AbortController | null = null;

  constructor(engine: SyncEngine, options: SchedulerOptions = {}) {
    this.engine = engine;
    this.debounceMs = options.debounceMs ?? 400;
    this.pollMs = options.pollMs ?? 30_000;
    this.safetyPollMs = options.safetyPollMs ?? 300_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.soon(0);
    void this.listen();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stream?.abort();
    this.stream = null;
    // Said now, while the store is open: the stream's own ending comes a turn later, when a closing desk (Core.close)
    // has closed its store, and its status would be read from it.
    if (this.engine.live) {
      this.engine.live = false;
      this.engine.emitStatus();
    }
  }

  /** Sync within `ms` (sooner if already due sooner). */
  soon(ms = this.debounceMs): void {
    if (this.stopped) return;
    const at = Date.now() + ms;
    if (at >= this.dueAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => void this.run(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = null;
    this.dueAt = Infinity;
    if (this.stopped) return;
    const result = await this.engine.cycle();
    if (this.stopped) return;
    if (result.failed) {
      this.failures++;
      this.soon(Math.min(60_000, 2_000 * 2 ** Math.min(this.failures - 1, 5)));
    } else {
      this.failures = 0;
      this.soon(this.engine.live ? this.safetyPollMs : this.pollMs);
    }
    // A desk that became approved (or was configured) since: connect the nudge.
    if (!this.stream) void this.listen();
  }

  /** Keeps the live nudge connected while the desk is approved; a nudge runs a cycle at once. */
  private async listen(): Promise<void> {
    if (this.stopped || this.stream) return;
    const config = this.engine.config;
    const api = this.engine.server();
    if (!config?.deskToken || config.status !== 'approved' || !api?.transport.events) return;
    const controller = new AbortController();
    this.stream = controller;
    try {
      for await (const event of api.events(config.deskToken, controller.signal)) {
        if (!this.engine.live) {
          this.engine.live = true;
          this.engine.emitStatus();
        }
        if (event.type === 'waiting' || event.type === 'hello') this.soon(0);
      }
    } catch {
      // The stream failed (offline, server restarted): polling carries on, and the next cycle reconnects.
    } finally {
      if (this.stream === controller) this.stream = null;
      if (this.engine.live) {
        this.engine.live = false;
        this.engine.emitStatus();
        // A live stream that broke (the server stopped, the network went): find out now whether the server is
        // still there, so the header does not keep saying "Online" until the next poll.
        if (!controller.signal.aborted) this.soon(0);
      }
    }
    if (!this.stopped) setTimeout(() => void this.listen(), 5_000).unref();
  }
}
