import { useCall } from '../../api/useCall.ts';

/** How many scans wait in the NAT inbox (for the navigation badge); live like every read. */
export function useScanCount(enabled: boolean): number {
  const { data } = useCall('scans.list', enabled ? {} : null);
  return enabled ? (data?.scans.length ?? 0) : 0;
}
