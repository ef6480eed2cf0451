// The allegation's history: every change the audit log holds for it, newest last, with what changed (a regrading
// says what it replaced). Source-pane access is SACU's record and is not shown here.
import { useState } from 'react';
import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useCall } from '../../api/useCall.ts';
import { formatDateTime } from '../../format.ts';

export function HistorySection({ allegationId }: { allegationId: string }) {
  // Live (api/live.ts): a change made anywhere shows here without asking.
  const { data } = useCall('allegations.history', { allegationId });
  const [all, setAll] = useState(false);
  const rows = data ?? [];
  const shown = all ? rows : rows.slice(-8);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="history-title">
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <IconHistory size={16} aria-hidden />
          <Title order={3} size="h5" id="history-title">
            History
          </Title>
        </Group>
        {rows.length > 8 && (
          <Button size="compact-xs" variant="subtle" onClick={() => setAll((a) => !a)} aria-expanded={all}>
            {all ? 'Show the latest' : `Show all ${rows.length}`}
          </Button>
        )}
      </Group>
      <Table fz="sm" aria-labelledby="history-title" data-testid="history">
        <Table.Tbody>
          {shown.map((h, i) => (
            <Table.Tr key={`${h.at}:${i}`}>
              <Table.Td w={150}>
                <Text size="xs">{formatDateTime(h.at)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600} span>
                  {h.label}
                </Text>
                {h.summary && (
                  <Text size="sm" span>
                    {' '}
                    — {h.summary}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {h.actor}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
