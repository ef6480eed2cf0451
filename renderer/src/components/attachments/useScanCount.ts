import { useEffect, useState } from 'react';
import { call, subscribeEvents } from '../../api/client.ts';

/** How many scans wait in the NAT inbox, kept current from the core's events (for the navigation badge). */
export function useScanCount(enabled: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    call('scans.list', {}).then(
      (r) => current && setCount(r.scans.length),
      () => undefined,
    );
    const off = subscribeEvents((e) => {
      if (e.type === 'scans.changed') setCount(e.waiting);
    });
    return () => {
      current = false;
      off();
    };
  }, [enabled]);
  return enabled ? count : 0;
}
