import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconCloud, IconCloudOff, IconRefresh } from '@tabler/icons-react';
import type { SyncStatus } from '../../../../shared/api/sync.ts';
import { href } from '../../router.ts';
import { plural } from '../../format.ts';
import { ago } from './useSyncStatus.ts';

function headline(s: SyncStatus): { label: string; color: string; icon: typeof IconCloud } {
  if (s.registration === 'pending') return { label: 'Awaiting approval', color: 'yellow', icon: IconCloudOff };
  if (s.registration === 'refused' || s.registration === 'revoked') return { label: 'Not allowed to sync', color: 'red', icon: IconCloudOff };
  if (s.connection === 'syncing') return { label: 'Syncing…', color: 'blue', icon: IconRefresh };
  if (s.problem?.kind === 'clock') return { label: 'Clock wrong', color: 'red', icon: IconAlertTriangle };
  if (s.connection === 'online') return { label: 'Online', color: 'teal', icon: IconCloud };
  return { label: 'Offline', color: 'orange', icon: IconCloudOff };
}

/** The sync state in the window's header: a link to the sync screen, which says more and holds the conflicts. */
export function SyncIndicator({ status }: { status: SyncStatus }) {
  if (!status.configured) return null;
  const h = headline(status);
  const Icon = h.icon;
  const details = [
    status.waiting > 0 ? `${plural(status.waiting, 'change')} waiting` : 'nothing waiting',
    `last sync ${ago(status.lastSyncAt)}`,
  ];
  return (
    <UnstyledButton component="a" href={href({ name: 'sync' })} aria-label={`Sync: ${h.label}, ${details.join(', ')}${status.myConflicts ? `, ${plural(status.myConflicts, 'conflict')} for you` : ''}`} data-testid="sync-indicator">
      <Group gap={8} wrap="nowrap" px={10} py={4} style={{ borderRadius: 6, background: 'rgba(0,0,0,0.18)' }}>
        <Icon size={18} color="white" aria-hidden />
        <div>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600} c="white" lh={1.2}>
              {h.label}
            </Text>
            {status.waiting > 0 && (
              <Badge size="xs" color="gray.0" c="indigo.9" variant="filled">
                {status.waiting} waiting
              </Badge>
            )}
            {status.conflicts > 0 && (
              <Badge size="xs" color="red.9" variant="filled">
                {plural(status.conflicts, 'conflict')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c={status.staleSince ? 'yellow.2' : 'white'} lh={1.2} fw={status.staleSince ? 700 : 400}>
            {status.staleSince ? `Not synced for ${ago(status.staleSince).replace(' ago', '')}` : `Last sync ${ago(status.lastSyncAt)}`}
          </Text>
        </div>
      </Group>
    </UnstyledButton>
  );
}
