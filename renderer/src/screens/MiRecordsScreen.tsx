// The allegations behind one figure of management information, in the work queue's own list: the same test that
// counted the figure chose them, so the count above the list is the figure that was clicked.
import { useState } from 'react';
import { Alert, Anchor, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconArrowLeft, IconFilter } from '@tabler/icons-react';
import { useCall } from '../api/useCall.ts';
import { href, type MiParams } from '../router.ts';
import { AllegationGrid } from '../components/AllegationGrid.tsx';
import { Busy } from '../components/Busy.tsx';
import { unitName } from '../../../shared/domain/units.ts';

interface Props {
  scope: MiParams;
  group: string;
  keyName: string;
  rowBy?: string | undefined;
  rowKey?: string | undefined;
}

export function MiRecordsScreen(props: Props) {
  return props.scope.source === 'server' ? <NationalRecords {...props} /> : <DeskRecords {...props} />;
}

/** The allegations behind a national figure, as the server lists them: their references and units. */
function NationalRecords({ scope, group, keyName, rowBy, rowKey }: Props) {
  const { source: _source, ...asked } = scope;
  const target = { group, key: keyName, ...(rowBy && rowKey ? { row: { by: rowBy, key: rowKey } } : {}) };
  const { data, error, loading } = useCall('mi.nationalRecords', { scope: asked as never, target: target as never });
  return (
    <Stack gap="sm">
      <div>
        <Anchor href={href({ name: 'mi', scope })} size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} /> Management information
          </Group>
        </Anchor>
        <Title order={2} mt={4}>
          {data ? `${data.label}: ${data.total.toLocaleString('en-GB')} allegation${data.total === 1 ? '' : 's'}` : 'Allegations behind the figure'}
        </Title>
        {data && (
          <Text size="sm" c="dimmed">
            {data.title} · {data.scope.label} · received {data.scope.from} to {data.scope.to} · national record, from the server
          </Text>
        )}
      </div>
      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not list the allegations">
          {error.message}
        </Alert>
      )}
      {loading && !data && <Busy label="Asking the server for the allegations behind the figure…" shown />}
      {data && data.records.length < data.total && <Alert color="yellow">Showing {data.records.length.toLocaleString('en-GB')} of {data.total.toLocaleString('en-GB')}.</Alert>}
      {data && (
        <>
          <Text size="sm">Allegations held by other units open on their desks; those of this desk’s scope open here.</Text>
          <Table striped fz="sm" maw={700} aria-label={`${data.label}, ${data.scope.label}, national record`} data-testid="mi-national-records">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reference</Table.Th>
                <Table.Th>Unit</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.records.map((r) => (
                <Table.Tr key={r.allegationId}>
                  <Table.Td>{r.reference ? <Anchor href={href({ name: 'allegation', reference: r.reference })}>{r.reference}</Anchor> : r.allegationId}</Table.Td>
                  <Table.Td>{unitName(r.unit)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.total === 0 && <Text>No allegations are behind this figure now.</Text>}
        </>
      )}
    </Stack>
  );
}

function DeskRecords({ scope, group, keyName, rowBy, rowKey }: Props) {
  const target = { group, key: keyName, ...(rowBy && rowKey ? { row: { by: rowBy, key: rowKey } } : {}) };
  const { data, error, loading } = useCall('mi.records', { scope: scope as never, target: target as never });
  const [filter, setFilter] = useState('');
  return (
    <Stack gap="sm" h="calc(100vh - 52px - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Anchor href={href({ name: 'mi', scope })} size="sm">
            <Group gap={4}>
              <IconArrowLeft size={14} /> Management information
            </Group>
          </Anchor>
          <Title order={2} mt={4}>
            {data ? `${data.label}: ${data.total.toLocaleString('en-GB')} allegation${data.total === 1 ? '' : 's'}` : 'Allegations behind the figure'}
          </Title>
          {data && (
            <Text size="sm" c="dimmed">
              {data.title} · {data.scope.label} · received {data.scope.from} to {data.scope.to}
            </Text>
          )}
        </div>
        <TextInput label="Filter these rows" size="sm" w={240} leftSection={<IconFilter size={16} />} placeholder="reference, name, postcode…" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
      </Group>
      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not list the allegations">
          {error.message}
        </Alert>
      )}
      {data && data.rows.length < data.total && (
        <Alert color="yellow">Showing the {data.rows.length.toLocaleString('en-GB')} most urgent of {data.total.toLocaleString('en-GB')}.</Alert>
      )}
      <AllegationGrid rows={data?.rows} label={data ? `${data.label}, ${data.scope.label}` : 'Allegations behind the figure'} filter={filter} loading={loading} empty="No allegations are behind this figure now." resetKey={`${group}:${keyName}:${rowKey ?? ''}`} />
    </Stack>
  );
}
