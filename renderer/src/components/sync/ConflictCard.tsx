import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import type { ConflictGroup } from '../../../../shared/api/sync.ts';
import { call, CallError } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { href } from '../../router.ts';

interface Props {
  conflict: ConflictGroup;
  onResolved: () => void;
}

/** One change the server sent back: why, what it would have made each field and what the record holds now, and the two ways to resolve it. */
export function ConflictCard({ conflict, onResolved }: Props) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'reapplied' | 'discarded' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const titleId = `conflict-${conflict.key}`;

  async function resolve(resolution: 'reapplied' | 'discarded') {
    setBusy(resolution);
    setError(null);
    try {
      await call('sync.resolve', { key: conflict.key, resolution, note });
      onResolved();
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const resolved = conflict.resolvedAt !== null;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={3} size="h5" id={titleId}>
              {conflict.reference ? (
                <>
                  Your change to <Anchor href={href({ name: 'allegation', reference: conflict.reference })}>{conflict.reference}</Anchor> was not accepted
                </>
              ) : (
                'Your change was not accepted'
              )}
            </Title>
            <Text size="sm" c="dimmed">
              Made {formatDateTime(conflict.madeAt)}
              {conflict.userName ? ` by ${conflict.userName}` : ''}
            </Text>
          </div>
          {resolved ? (
            <Badge color="gray" leftSection={<IconCheck size={12} />}>
              {conflict.resolution === 'reapplied' ? 'Made again' : 'Server’s version kept'}
            </Badge>
          ) : (
            <Badge color="red.9">Needs you</Badge>
          )}
        </Group>
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Why the server refused it">
          {conflict.reason.charAt(0).toUpperCase() + conflict.reason.slice(1)}.
        </Alert>
        {conflict.changes.map((c) => (
          <div key={c.seq}>
            <Text size="sm" fw={600} mb={4}>
              {c.what} {c.op === 'update' ? '(amended)' : '(added)'}
            </Text>
            <Table withTableBorder withColumnBorders fz="sm" layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="25%">Field</Table.Th>
                  <Table.Th>Your change</Table.Th>
                  <Table.Th>The record now</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.fields.map((f) => (
                  <Table.Tr key={f.field}>
                    <Table.Td>{f.label}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{f.yours}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{f.now ?? <Text span c="dimmed" size="sm">not on the national record</Text>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
        {resolved ? (
          <Text size="sm" c="dimmed">
            Resolved {formatDateTime(conflict.resolvedAt)}
            {conflict.resolvedBy ? ` by ${conflict.resolvedBy}` : ''}
            {conflict.note ? `: “${conflict.note}”` : ''}
            {conflict.serverTold ? '' : ' — the server will be told at the next sync.'}
          </Text>
        ) : conflict.mayResolve ? (
          <>
            <Textarea label="Note (kept with the record)" placeholder="Why you chose this" autosize minRows={1} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            {conflict.redoProblem && (
              <Text size="sm" c="dimmed">
                Making it again is not possible now: {conflict.redoProblem}.
              </Text>
            )}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group>
              <Button onClick={() => void resolve('discarded')} loading={busy === 'discarded'} disabled={busy !== null}>
                Accept the record as it is
              </Button>
              <Button variant="default" onClick={() => void resolve('reapplied')} loading={busy === 'reapplied'} disabled={busy !== null || conflict.redoProblem !== null}>
                Make my change again
              </Button>
            </Group>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            Only the person who made it, or a duty manager, manager or administrator, resolves this.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
