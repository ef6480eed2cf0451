// What is derived from the records — the search index, the matching profiles and the MI facts — kept current from
// the marks the store's triggers write whenever any row of an allegation changes (migrations 0006, 0011, 0013): inside every
// mutation, by one hook; on a timer, for writes made by other connections (workers, another process); and in
// bulk after an import that deferred them. No use-case re-indexes anything itself.
import type { Store } from '../store/store.ts';
import { readingOnce } from '../store/allegations.ts';
import type { SearchIndex, IndexProgress } from '../search/index.ts';
import type { MatchIndex } from '../matching/match-index.ts';
import type { MiFactsIndex } from '../mi/facts-index.ts';

/** Marked allegations brought up to date per timer tick, for each index. */
const TIMER_BATCH = 200;

export class DerivedIndexes {
  private readonly store: Store;
  private readonly search: SearchIndex;
  private readonly matching: MatchIndex;
  private readonly mi: MiFactsIndex;
  private timer: NodeJS.Timeout | null = null;

  constructor(store: Store, search: SearchIndex, matching: MatchIndex, mi: MiFactsIndex) {
    this.store = store;
    this.search = search;
    this.matching = matching;
    this.mi = mi;
    // Search and matching read the same stored allegation (once); the MI fact reads its own columns.
    store.onMutation(() => {
      readingOnce(store.db, () => {
        this.search.afterMutation();
        this.matching.afterMutation();
      });
      this.mi.afterMutation();
    });
    // Profiles of an older version are brought up to date in the background, like any other mark.
    matching.markStale();
    // A mutation that rolled back may have moved the matching index's in-memory counts: read them again.
    store.onRollback(() => this.matching.forgetCaches());
  }

  /** While deferred (a bulk import), marks accumulate for one catch-up at the end. */
  get deferred(): boolean {
    return this.search.deferred;
  }

  set deferred(value: boolean) {
    this.search.deferred = value;
    this.matching.deferred = value;
    this.mi.deferred = value;
  }

  /** Brings every index up to date with everything marked, with progress for the search side (the longer). */
  async catchUp(onProgress?: (p: IndexProgress) => void): Promise<void> {
    await this.search.catchUp(onProgress);
    this.matching.catchUp();
    this.mi.catchUp();
  }

  startBackground(intervalMs = 400): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.deferred || this.search.busy || !this.store.db.open) return;
      try {
        readingOnce(this.store.db, () => {
          this.search.flushPending(TIMER_BATCH);
          this.matching.flushPending(TIMER_BATCH);
        });
        this.mi.flushPending(TIMER_BATCH);
      } catch {
        // A locked or closing database: the marks stay and the next tick retries.
        this.matching.forgetCaches();
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
