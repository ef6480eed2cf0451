// The watch list: the allegations and entities a user follows, what is new on each since they last looked.
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconEyeOff } from '@tabler/icons-react';
import { ENTITY_KIND_LABELS, entityPath } from '../../../shared/entities/entity.ts';
import type { WatchItemView } from '../../../shared/api/watch.ts';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { formatDateTime, plural } from '../format.ts';
import { href } from '../router.ts';
import { StatusBadge } from '../components/badges.tsx';
import { Busy } from '../components/Busy.tsx';

function linkOf(w: WatchItemView): string {
  return w.kind === 'allegation' ? href({ name: 'allegation', reference: w.value }) : entityPath({ kind: w.kind, value: w.value });
}

export function WatchScreen() {
  const { data, error } = useCall('watch.list', {});
  const [problem, setProblem] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>) {
    setProblem(null);
    try {
      await action();
    } catch (e) {
      setProblem(e instanceof CallError ? e.message : String(e));
    }
  }
  const fresh = data?.filter((w) => w.changedSinceSeen || w.newAppearances > 0) ?? [];
  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Watch list</Title>
          <Text size="sm" c="dimmed">
            Allegations, people, phones, places and other things you follow, and what is new on each since you last looked. Add to it from an allegation, an entity’s page, or rows of a queue or search.
          </Text>
        </div>
        <Button size="xs" variant="light" leftSection={<IconCheck size={14} />} disabled={!fresh.length} onClick={() => void run(() => call('watch.seen', { ids: fresh.map((w) => w.id) }))}>
          Mark all as seen
        </Button>
      </Group>
      {(error || problem) && <Alert color="red" role="alert">{error?.message ?? problem}</Alert>}
      {!data ? (
        <Busy label="Loading your watch list" shown />
      ) : data.length === 0 ? (
        <Text c="dimmed">Nothing on your watch list yet.</Text>
      ) : (
        <Table fz="sm" aria-label="Your watch list" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>What</Table.Th>
              <Table.Th>Since you last looked</Table.Th>
              <Table.Th>Last activity</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Badge size="xs" variant="light" color="indigo">
                      {w.kind === 'allegation' ? 'Allegation' : ENTITY_KIND_LABELS[w.kind]}
                    </Badge>
                    <Anchor href={linkOf(w)} onClick={() => void call('watch.seen', { ids: [w.id] }).catch(() => undefined)} className={w.kind === 'allegation' ? 'mono' : undefined}>
                      {w.label}
                    </Anchor>
                    {w.status && <StatusBadge status={w.status} short />}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {w.kind === 'allegation' ? (
                    w.changedSinceSeen ? <Badge color="orange" variant="light">changed</Badge> : <Text size="sm" c="dimmed">nothing new</Text>
                  ) : w.newAppearances > 0 ? (
                    <Badge color="orange" variant="light">{plural(w.newAppearances, 'new allegation')}</Badge>
                  ) : (
                    <Text size="sm" c="dimmed">nothing new ({plural(w.allegations, 'allegation')})</Text>
                  )}
                </Table.Td>
                <Table.Td>{formatDateTime(w.lastActivity)}</Table.Td>
                <Table.Td>{formatDateTime(w.addedAt)}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconEyeOff size={12} />} onClick={() => void run(() => call('watch.remove', { id: w.id }))} aria-label={`Stop watching ${w.label}`}>
                    Stop watching
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
