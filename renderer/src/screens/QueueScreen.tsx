import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Anchor, Badge, Button, Group, SegmentedControl, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconArrowDown, IconArrowUp, IconFilter, IconPaperclip, IconPencil, IconPlus } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_text,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import type { QueueBucket, QueueView, UserView } from '../../../shared/api.ts';
import type { QueueRow } from '../../../shared/schemas/record.ts';
import { CHANNEL_LABELS, NATIONAL_ROLES, OFFENCE_TYPE_LABELS } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { useCall } from '../api/useCall.ts';
import { subscribeEvents } from '../api/client.ts';
import { href, navigate } from '../router.ts';
import { formatDateTime } from '../format.ts';
import { DueBadge, StatusBadge, TimeCriticalBadge } from '../components/badges.tsx';
import { Busy } from '../components/Busy.tsx';

const BUCKETS: Array<{ value: QueueBucket; label: string }> = [
  { value: 'all_open', label: 'All open' },
  { value: 'new', label: 'New' },
  { value: 'in_research', label: 'In research' },
  { value: 'awaiting_compliance', label: 'Awaiting compliance' },
  { value: 'closed', label: 'Closed' },
];

const features = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text },
  filterFns: { includesString: filterFn_includesString },
});
const helper = createColumnHelper<typeof features, QueueRow>();

const reference = helper.accessor('reference', { header: 'Reference', cell: (c) => <span className="mono">{c.getValue()}</span>, sortFn: 'alphanumeric' });
const received = helper.accessor('receivedAt', { header: 'Received', cell: (c) => formatDateTime(c.getValue()), sortFn: 'alphanumeric' });
const rest = [
  helper.accessor((r) => r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', '), { id: 'offences', header: 'Offence', sortFn: 'text' }),
  helper.accessor('mainSubject', { header: 'Main subject', sortFn: 'text' }),
  helper.accessor('postcode', { header: 'Postcode', sortFn: 'alphanumeric' }),
  helper.accessor('status', {
    header: 'Status',
    cell: (c) => <StatusBadge status={c.getValue()} short />,
    sortFn: 'text',
  }),
  helper.accessor((r) => r.dueAt ?? '', {
    id: 'due',
    header: 'Due',
    sortFn: 'alphanumeric',
    cell: (c) => (
      <Group gap={4} wrap="nowrap">
        {c.row.original.timeCritical ? <TimeCriticalBadge due={c.row.original.dueAt} /> : <DueBadge due={c.row.original.dueAt} />}
        {c.row.original.attachments > 0 && <IconPaperclip size={14} aria-label={`${c.row.original.attachments} attachments`} />}
      </Group>
    ),
  }),
];
const columns = helper.columns([reference, received, helper.accessor((r) => CHANNEL_LABELS[r.channel], { id: 'channel', header: 'Channel', sortFn: 'text' }), ...rest]);
// The duty manager's queue says why each allegation is there: the event, its date, where it was found, the rule.
const timeCriticalColumns = helper.columns([
  reference,
  received,
  helper.accessor((r) => r.timeCriticalWhy ?? '', { id: 'why', header: 'Why time-critical', sortFn: 'text', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  ...rest,
]);

const GRID = 'minmax(150px, 200px) 150px 120px minmax(140px, 1.2fr) minmax(140px, 1fr) 90px 150px 200px';
const TIME_CRITICAL_GRID = 'minmax(150px, 200px) 140px minmax(260px, 2.4fr) minmax(120px, 1fr) minmax(120px, 1fr) 90px 130px 200px';
const ROW_HEIGHT = 38;

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
  const bucket = (BUCKETS.find((b) => b.value === bucketParam)?.value ?? 'all_open') as QueueBucket;
  const unit = national ? (unitParam ?? user.unit ?? (view === 'time_critical' ? undefined : 'NAT')) : (user.unit ?? undefined);
  const { data, error, loading, reload } = useCall('queue.list', { view, bucket, ...(unit ? { unit } : {}) });
  // Work that arrives or changes elsewhere (a page read, a flag raised) shows in the queue without a reload.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribeEvents((e) => {
      if (e.type === 'timecritical.raised' || e.type === 'allegation.changed') {
        if (timer) clearTimeout(timer);
        timer = setTimeout(reload, 300);
      }
    });
    return () => {
      if (timer) clearTimeout(timer);
      off();
    };
  }, [reload]);
  const grid = view === 'time_critical' ? TIME_CRITICAL_GRID : GRID;
  const canEnter = user.role !== 'nsu';
  const [filter, setFilter] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const rowsData = useMemo(() => data?.rows ?? [], [data]);

  const table = useTable({
    features,
    columns: view === 'time_critical' ? timeCriticalColumns : columns,
    data: rowsData,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    globalFilterFn: 'includesString',
    getRowId: (r) => r.id,
  });
  const rows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns functions the React Compiler cannot memoise; this component does not rely on that.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [bucket, unit, filter]);

  function open(index: number) {
    const row = rows[index];
    if (row) navigate({ name: 'allegation', reference: row.original.reference });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.min(rows.length - 1, Math.max(0, active + (moves[e.key] as number)));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(active);
    }
  }

  const headerGroup = table.getHeaderGroups()[0];
  const activeRow = rows[active];
  return (
    <Stack gap="sm" h="calc(100vh - 52px - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Title order={2}>{view === 'time_critical' ? 'Time-critical work' : view === 'mine' ? 'My work' : unit === 'NAT' ? 'NAT sift queue' : 'Work queue'}</Title>
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
      <Group gap="xs" justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {loading ? 'Loading…' : `${rows.length.toLocaleString('en-GB')} allegation${rows.length === 1 ? '' : 's'}${filter ? ` matching “${filter}”` : ''}`}
        </Text>
        <Text size="xs" c="dimmed">
          ↑ ↓ to move, Enter to open
        </Text>
      </Group>
      <div
        ref={scrollRef}
        className="queue-grid"
        role="grid"
        aria-label={view === 'time_critical' ? 'Time-critical work' : view === 'mine' ? 'My work' : `Work queue, ${unitName(unit)}`}
        aria-rowcount={rows.length + 1}
        aria-activedescendant={activeRow ? `row-${activeRow.id}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        style={{ flex: 1, minHeight: 200 }}
      >
        <div className="queue-row queue-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: grid }}>
          {headerGroup?.headers.map((h) => {
            const sorted = h.column.getIsSorted();
            return (
              <div key={h.id} className="queue-cell" role="columnheader" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                <button type="button" onClick={h.column.getToggleSortingHandler()}>
                  <table.FlexRender header={h} />
                  {sorted === 'asc' && <IconArrowUp size={12} />}
                  {sorted === 'desc' && <IconArrowDown size={12} />}
                </button>
              </div>
            );
          })}
        </div>
        {loading && !data ? (
          <Group p="lg" justify="center">
            <Busy label="Loading the queue…" shown />
          </Group>
        ) : rows.length === 0 ? (
          <Text p="lg" c="dimmed" ta="center">
            {filter ? 'No allegations in this queue match the filter.' : 'Nothing in this queue.'}
          </Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="rowgroup">
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={row.id}
                  id={`row-${row.id}`}
                  className="queue-row"
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={item.index === active}
                  onClick={() => {
                    setActive(item.index);
                    open(item.index);
                  }}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: grid }}
                >
                  {row.getAllCells().map((cell) => (
                    <div key={cell.id} className="queue-cell" role="gridcell">
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </Stack>
  );
}
