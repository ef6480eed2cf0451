import { useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, SegmentedControl, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconFilter, IconPencil, IconPlus } from '@tabler/icons-react';
import type { QueueBucket, QueueView, UserView } from '../../../shared/api.ts';
import type { QueueRow } from '../../../shared/schemas/record.ts';
import { NATIONAL_ROLES } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { useCall } from '../api/useCall.ts';
import { href, navigate } from '../router.ts';
import { formatDateTime } from '../format.ts';
import { AllegationGrid } from '../components/AllegationGrid.tsx';
import { GuidanceLink } from '../components/GuidanceLink.tsx';
import { BulkActions } from '../components/bulk/BulkActions.tsx';

const BUCKETS: Array<{ value: QueueBucket; label: string }> = [
  { value: 'all_open', label: 'All open' },
  { value: 'new', label: 'New' },
  { value: 'in_research', label: 'In research' },
  { value: 'awaiting_compliance', label: 'Awaiting compliance' },
  { value: 'closed', label: 'Closed' },
];

interface Props {
  user: UserView;
  bucket?: string | undefined;
  unit?: string | undefined;
  view?: string | undefined;
}

const VIEWS: Array<{ value: QueueView; label: string }> = [
  { value: 'unit', label: 'Unit queue' },
  { value: 'time_critical', label: 'Time-critical' },
  { value: 'mine', label: 'My work' },
];

/** Unfinished forms: shown first, so nothing typed is forgotten. */
function Drafts() {
  const { data } = useCall('drafts.list', {});
  if (!data?.length) return null;
  return (
    <Alert color="indigo" variant="light" icon={<IconPencil size={18} />} title={`${data.length} unfinished form${data.length === 1 ? '' : 's'}`}>
      <Stack gap={2}>
        {data.slice(0, 5).map((d) => (
          <Anchor key={d.id} href={d.reference ? `#/new?draft=${d.id}` : href({ name: 'new', draft: d.id })} size="sm">
            {d.summary} — saved {formatDateTime(d.updatedAt)}
          </Anchor>
        ))}
      </Stack>
    </Alert>
  );
}

export function QueueScreen({ user, bucket: bucketParam, unit: unitParam, view: viewParam }: Props) {
  const national = NATIONAL_ROLES.includes(user.role);
  const view = (VIEWS.find((v) => v.value === viewParam)?.value ?? (user.role === 'duty_manager' ? 'time_critical' : 'unit')) as QueueView;
  // Each role lands on its own work: the compliance officer on what awaits compliance.
  const bucket = (BUCKETS.find((b) => b.value === bucketParam)?.value ?? (user.role === 'compliance_officer' ? 'awaiting_compliance' : 'all_open')) as QueueBucket;
  const unit = national ? (unitParam ?? user.unit ?? (view === 'time_critical' ? undefined : 'NAT')) : (user.unit ?? undefined);
  // Live (api/live.ts): allegations that arrived from the server (routed here, reallocated here), a page read or a
  // flag raised elsewhere show without a reload.
  const { data, error, loading } = useCall('queue.list', { view, bucket, ...(unit ? { unit } : {}) });
  const canEnter = user.role !== 'nsu';
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const byId = useMemo(() => new Map((data?.rows ?? []).map((r) => [r.id, r])), [data]);
  // Rows that left the queue (allocated elsewhere, closed) drop out of the choice.
  const chosenRows = [...chosen].map((id) => byId.get(id)).filter((r): r is QueueRow => !!r);

  return (
    <Stack gap="sm" h="calc(100vh - 52px - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Group gap="md">
            <Title order={2}>{view === 'time_critical' ? 'Time-critical work' : view === 'mine' ? 'My work' : unit === 'NAT' ? 'NAT sift queue' : 'Work queue'}</Title>
            <GuidanceLink step={view === 'time_critical' ? 'time-critical' : unit === 'NAT' ? 'routing' : 'intake'} />
          </Group>
          <Text size="sm" c="dimmed">
            {view === 'mine' ? 'Allocated to you, any unit' : unit ? unitName(unit) : 'All units'} · most urgent first: time-critical, then by due time
          </Text>
        </div>
        <Group gap="sm" align="flex-end" wrap="nowrap">
          {canEnter && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: 'new' })}>
              New allegation
            </Button>
          )}
          {national && (
            <Select
              label="Unit"
              size="sm"
              w={280}
              searchable
              value={unit ?? null}
              data={UNITS.map((u) => ({ value: u.code, label: u.name }))}
              onChange={(v) => v && navigate({ name: 'queue', view, bucket, unit: v })}
              allowDeselect={false}
            />
          )}
          <TextInput
            label="Filter these rows"
            size="sm"
            w={240}
            leftSection={<IconFilter size={16} />}
            placeholder="reference, name, postcode…"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
          />
        </Group>
      </Group>
      <Drafts />
      <SegmentedControl
        w="fit-content"
        value={view}
        onChange={(v) => navigate({ name: 'queue', view: v, ...(national && unit ? { unit } : {}) })}
        data={VIEWS}
        aria-label="Which queue"
      />
      {view === 'unit' && (
      <Tabs value={bucket} onChange={(v) => v && navigate({ name: 'queue', view, bucket: v, ...(national && unit ? { unit } : {}) })}>
        <Tabs.List>
          {BUCKETS.map((b) => (
            <Tabs.Tab key={b.value} value={b.value}>
              {b.label}
              {b.value === bucket && data && (
                <Badge ml={6} size="xs" variant="light" color="gray">
                  {data.total.toLocaleString('en-GB')}
                </Badge>
              )}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      )}
      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not load the queue">
          {error.message}
        </Alert>
      )}
      <AllegationGrid
        rows={data?.rows}
        label={view === 'time_critical' ? 'Time-critical work' : view === 'mine' ? 'My work' : `Work queue, ${unitName(unit)}`}
        filter={filter}
        loading={loading}
        empty="Nothing in this queue."
        resetKey={`${view}:${bucket}:${unit ?? ''}`}
        choice={{ chosen, onChange: setChosen }}
        toolbar={<BulkActions rows={chosenRows} user={user} onClear={() => setChosen(new Set())} />}
        why={view === 'time_critical'}
      />
    </Stack>
  );
}
