import { useCallback, useState } from 'react';
import { Alert, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCloudOff, IconRefresh } from '@tabler/icons-react';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { formatDateTime, plural } from '../format.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { Busy } from '../components/Busy.tsx';
import { ConflictCard } from '../components/sync/ConflictCard.tsx';
import { ago, useSyncStatus } from '../components/sync/useSyncStatus.ts';
import type { SyncStatus } from '../../../shared/api/sync.ts';

const REGISTRATION: Record<SyncStatus['registration'], string> = {
  none: 'Works alone',
  unregistered: 'Not yet registered (the first sign-in registers it)',
  pending: 'Registered, awaiting an administrator’s approval',
  approved: 'Approved',
  refused: 'Refused by an administrator',
  revoked: 'Revoked by an administrator',
};

function Fact({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" fw={strong ? 700 : 400}>
        {value}
      </Text>
    </div>
  );
}

/** Sync: how this desk stands with the central server, and the changes it sent back for their authors to resolve. */
export function SyncScreen() {
  const { status, reload } = useSyncStatus();
  const [state, setState] = useState<'open' | 'all'>('open');
  const conflicts = useCall('sync.conflicts', { state });
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reloadAll = useCallback(() => {
    reload();
    conflicts.reload();
  }, [reload, conflicts]);

  async function syncNow() {
    setSyncing(true);
    setError(null);
    try {
      await call('sync.now', {});
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setSyncing(false);
      reloadAll();
    }
  }

  if (!status) return <Busy label="Reading the sync state" />;
  if (!status.configured) {
    return (
      <Stack>
        <Title order={2}>Sync</Title>
        <Alert color="gray" icon={<IconCloudOff size={18} />}>
          This desk works alone: it is not connected to a central server. A new desk is connected before its first sign-in.
        </Alert>
      </Stack>
    );
  }
  const list = conflicts.data?.conflicts ?? [];
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Sync</Title>
        <Button leftSection={<IconRefresh size={16} />} onClick={() => void syncNow()} loading={syncing || status.connection === 'syncing'}>
          Sync now
        </Button>
      </Group>
      {status.staleSince && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={`Not synced for ${ago(status.staleSince).replace(' ago', '')}`}>
          This desk has not exchanged work with the server since {formatDateTime(status.staleSince)}. Work done here is safe, but others do not see it, and this desk does not see theirs.
        </Alert>
      )}
      {status.problem && (
        <Alert color={status.problem.kind === 'offline' ? 'orange' : 'red'} icon={<IconAlertTriangle size={18} />} title={status.problem.kind === 'offline' ? 'Offline' : status.problem.kind === 'clock' ? 'This computer’s clock' : 'Sync stopped'}>
          {status.problem.message}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Card withBorder radius="md" padding="lg">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="lg">
          <Fact label="Connection" value={status.connection === 'online' ? `Online${status.live ? ', live updates' : ', checking every half minute'}` : status.connection === 'syncing' ? 'Syncing now' : 'Offline'} strong />
          <Fact label="Changes waiting" value={status.waiting ? plural(status.waiting, 'change') : 'None'} strong={status.waiting > 0} />
          <Fact label="Last sync" value={status.lastSyncAt ? `${formatDateTime(status.lastSyncAt)} (${ago(status.lastSyncAt)})` : 'Never'} />
          <Fact label="Conflicts" value={status.conflicts ? `${status.conflicts} open (${status.myConflicts} yours)` : 'None'} strong={status.conflicts > 0} />
          <Fact label="Server" value={status.serverUrl ?? '—'} />
          <Fact label="This desk" value={`${status.deskName ?? '—'}${status.unit ? `, ${unitName(status.unit)}` : ''}`} />
          <Fact label="Registration" value={REGISTRATION[status.registration]} />
          <Fact label="Files waiting" value={status.filesWaiting ? plural(status.filesWaiting, 'file') : 'None'} />
        </SimpleGrid>
        {status.filling && (
          <Text size="sm" mt="md">
            Filling this desk from the server: {plural(status.filling.allegations, 'allegation')} received so far.
          </Text>
        )}
      </Card>
      <Group justify="space-between">
        <Title order={3} size="h4">
          Conflicts
        </Title>
        <SegmentedControl
          aria-label="Which conflicts"
          value={state}
          onChange={(v) => setState(v as 'open' | 'all')}
          data={[
            { value: 'open', label: 'To resolve' },
            { value: 'all', label: 'All' },
          ]}
        />
      </Group>
      <Text size="sm" c="dimmed">
        A conflict is a change made on this desk that the server could not accept, usually because the case changed elsewhere first (closed, reallocated). The record shows the national version; your change is kept here until you decide.
      </Text>
      {conflicts.loading && !conflicts.data ? <Busy label="Reading conflicts" /> : null}
      {conflicts.error && <Alert color="red">{conflicts.error.message}</Alert>}
      {conflicts.data && list.length === 0 && (
        <Text size="sm" c="dimmed">
          {state === 'open' ? 'Nothing to resolve.' : 'No conflicts on this desk.'}
        </Text>
      )}
      {list.map((c) => (
        <ConflictCard key={c.key} conflict={c} onResolved={reloadAll} />
      ))}
    </Stack>
  );
}
