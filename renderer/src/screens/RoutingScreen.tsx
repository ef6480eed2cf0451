import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Group, JsonInput, NativeSelect, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconFilter } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import type { RoutingTable } from '../../../shared/domain/routing.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { formatDateTime } from '../format.ts';
import { GuidanceLink } from '../components/GuidanceLink.tsx';

const UNIT_OPTIONS = UNITS.map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }));

export function RoutingScreen({ user }: { user: UserView }) {
  const { data, error } = useCall('routing.get', {});
  const [edited, setEdited] = useState<RoutingTable | null>(null);
  const [json, setJson] = useState<string | null>(null);
  const [mode, setMode] = useState<'table' | 'json'>('table');
  const [filter, setFilter] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const table = edited ?? data?.table ?? null;
  const admin = user.role === 'admin';

  const rows = useMemo(() => {
    if (!table) return [];
    const f = filter.trim().toUpperCase();
    const all = [...Object.entries(table.areas).map(([k, v]) => ({ key: k, kind: 'area' as const, unit: v })), ...Object.entries(table.districts).map(([k, v]) => ({ key: k, kind: 'district' as const, unit: v }))];
    return all.filter((r) => !f || r.key.startsWith(f) || r.unit.includes(f) || unitName(r.unit).toUpperCase().includes(f)).sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  }, [table, filter]);

  async function save() {
    setMessage(null);
    try {
      const next = mode === 'json' && json !== null ? (JSON.parse(json) as unknown) : table;
      await call('routing.update', { table: next, reason });
      setEdited(null);
      setJson(null);
      setReason('');
      setMessage({ ok: true, text: 'The routing table is saved; new allegations route by it from now on.' });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof SyntaxError ? `The JSON cannot be read: ${e.message}` : e instanceof CallError ? e.message : String(e) });
    }
  }

  async function reset() {
    setMessage(null);
    try {
      await call('routing.reset', { reason });
      setEdited(null);
      setJson(null);
      setMessage({ ok: true, text: 'Back to the shipped default table.' });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof CallError ? e.message : String(e) });
    }
  }

  const changed = edited !== null || json !== null;
  return (
    <Stack maw={1100}>
      <div>
        <Group gap="md">
          <Title order={2}>Routing</Title>
          <GuidanceLink step="routing" />
        </Group>
        <Text size="sm" c="dimmed">
          Which unit receives an allegation, by the postcode area (or district, which takes precedence) of the alleged offence. London goes to LACAT; an allegation with no usable location goes to the NAT
          sift.
        </Text>
      </div>
      {error && <Alert color="red">{error.message}</Alert>}
      {data && (
        <Group gap="xs">
          <Badge variant="light" color={data.isDefault ? 'gray' : 'indigo'}>
            {data.isDefault ? 'Shipped default' : `Edited ${formatDateTime(data.updatedAt)} by ${data.updatedBy}`}
          </Badge>
          <Text size="sm" c="dimmed">
            {Object.keys(data.table.areas).length} areas, {Object.keys(data.table.districts).length} district overrides
          </Text>
        </Group>
      )}
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} icon={message.ok ? <IconCheck size={18} /> : <IconAlertCircle size={18} />} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
      <Group justify="space-between">
        <SegmentedControl value={mode} onChange={(v) => setMode(v as 'table' | 'json')} data={[{ value: 'table', label: 'Table' }, { value: 'json', label: 'JSON' }]} aria-label="Edit as" />
        {mode === 'table' && <TextInput aria-label="Filter areas" placeholder="Filter: area, district or unit" leftSection={<IconFilter size={16} />} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />}
      </Group>
      {table && mode === 'table' && (
        <Card withBorder padding={0} mah={520} style={{ overflow: 'auto' }}>
          <Table stickyHeader striped aria-label="Routing table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Postcode</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Unit</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={`${r.kind}:${r.key}`}>
                  <Table.Td className="mono">{r.key}</Table.Td>
                  <Table.Td>{r.kind}</Table.Td>
                  <Table.Td>
                    {admin ? (
                      <NativeSelect
                        aria-label={`Unit for ${r.key}`}
                        size="xs"
                        value={r.unit}
                        data={UNIT_OPTIONS}
                        onChange={(e) => {
                          const unit = e.currentTarget.value;
                          const base = table;
                          setEdited(r.kind === 'area' ? { ...base, areas: { ...base.areas, [r.key]: unit } } : { ...base, districts: { ...base.districts, [r.key]: unit } });
                        }}
                      />
                    ) : (
                      unitName(r.unit)
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {table && mode === 'json' && (
        <JsonInput label="Routing table (JSON)" autosize minRows={12} maxRows={30} value={json ?? JSON.stringify(table, null, 2)} onChange={setJson} validationError="Not valid JSON" formatOnBlur readOnly={!admin} />
      )}
      {admin && (
        <Card withBorder>
          <Stack>
            <Textarea label="Reason for the change" description="Kept in the audit log with the change" autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <Group justify="space-between">
              <Button variant="default" disabled={data?.isDefault} onClick={() => void reset()}>
                Restore the shipped default
              </Button>
              <Button disabled={!changed} onClick={() => void save()}>
                Save routing table
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
