import { useCallback, useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../shared/api/sync.ts';
import { call, subscribeEvents } from '../../api/client.ts';

/**
 * The desk's sync state, kept current: read again whenever the core says it changed (a cycle started or ended, a
 * conflict came or went), and every half minute so that "last sync 5 min ago" and "not synced for a day" stay true.
 */
export function useSyncStatus(): { status: SyncStatus | null; reload: () => void } {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const reload = useCallback(() => {
    call('sync.status', {}).then(setStatus, () => undefined);
  }, []);
  useEffect(() => {
    reload();
    const off = subscribeEvents((e) => {
      if (e.type === 'sync.status') reload();
    });
    const timer = window.setInterval(reload, 30_000);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [reload]);
  return { status, reload };
}

/** Calls `onApplied` when records from the server arrived (the open screen shows them without a reload). */
export function useSyncApplied(onApplied: () => void): void {
  useEffect(
    () =>
      subscribeEvents((e) => {
        if (e.type === 'sync.applied') onApplied();
      }),
    [onApplied],
  );
}

/** "just now", "4 min ago", "3 h ago", "2 days ago". */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
