// The one mechanism that keeps every screen current: every read a screen makes through useCall is live. When the
// core says the store changed (a `store.changed` event after any committed mutation, whoever made it: this
// window, another, the OCR pool, an import; `sync.applied` when records from the server were applied), every
// read on screen is made again, keeping what it showed until the fresh answer arrives. No screen refreshes
// itself, and none needs a reload to show what just happened.
import { useSyncExternalStore } from 'react';
import { onEventStreamReopened, subscribeEvents } from './client.ts';

let generation = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;
let detach: (() => void) | null = null;

/** Coalesces a burst of changes (an import, a scan read page by page) into one re-read. */
const SETTLE_MS = 40;

/** Marks everything on screen as out of date: each live read runs again. */
export function invalidateAll(): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    generation++;
    for (const l of [...listeners]) l();
  }, SETTLE_MS);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!detach) {
    const off = subscribeEvents((e) => {
      // A mutation on this desk, or records applied from the server by sync (written outside Store.mutate).
      if (e.type === 'store.changed' || e.type === 'sync.applied') invalidateAll();
    });
    // Events missed while the stream was down: re-read everything once it is back.
    const offReopen = onEventStreamReopened(invalidateAll);
    detach = () => {
      off();
      offReopen();
    };
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && detach) {
      detach();
      detach = null;
    }
  };
}

/** A number that changes whenever the store has changed since the screen last read it. */
export function useStoreGeneration(): number {
  return useSyncExternalStore(subscribe, () => generation);
}
