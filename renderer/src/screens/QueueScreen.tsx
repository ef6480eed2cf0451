import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Anchor, Badge, Button, Checkbox, Group, SegmentedControl, Select, Stack, Tabs, Text, TextInput, Title, Tooltip } from '@mantine/core';
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
import { CHANNEL_LABELS, NATIONAL_ROLES, OFFENCE_TYPE_LABELS, STATUS_LABELS } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { useCall } from '../api/useCall.ts';
import { href, navigate } from '../router.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { BulkActions } from '../components/bulk/BulkActions.tsx';
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

const columns = helper.columns([
  helper.accessor('reference', { header: 'Reference', cell: (c) => <span className="mono">{c.getValue()}</span>, sortFn: 'alphanumeric' }),
  helper.accessor('receivedAt', { header: 'Received', cell: (c) => <span title={formatDateTime(c.getValue())}>{formatDate(c.getValue())}</span>, sortFn: 'alphanumeric' }),
  helper.accessor((r) => CHANNEL_LABELS[r.channel], { id: 'channel', header: 'Channel', sortFn: 'text' }),
  helper.accessor((r) => r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', '), { id: 'offences', header: 'Offence', sortFn: 'text' }),
  helper.accessor('mainSubject', { header: 'Subject', sortFn: 'text' }),
  helper.accessor('postcode', { header: 'Postcode', sortFn: 'alphanumeric' }),
  helper.accessor('status', {
    header: 'Status',
    cell: (c) =>
      c.row.original.returned ? (
        <Tooltip label={`Returned by the compliance officer: put right and choose the outcome again (${STATUS_LABELS[c.getValue()]})`}>
          <Badge color="orange" variant="outline" size="sm">
            Returned
          </Badge>
        </Tooltip>
      ) : (
        <StatusBadge status={c.getValue()} short />
      ),
    sortFn: 'text',
  }),
  helper.accessor((r) => r.dueAt ?? '', {
    id: 'due',
    header: 'Due',
    sortFn: 'alphanumeric',
    cell: (c) => (
      <Group gap={4} wrap="nowrap">
        {c.row.original.timeCritical ? <TimeCriticalBadge due={c.row.original.dueAt} state={c.row.original.timeCriticalState} /> : <DueBadge due={c.row.original.dueAt} />}
        {c.row.original.attachments > 0 && <IconPaperclip size={14} aria-label={`${c.row.original.attachments} attachments`} />}
      </Group>
    ),
  }),
]);

// Fits the main area at 1280 px (1028 px wide): a choice box, then the columns; the due column is never clipped.
const GRID = '34px minmax(140px, 176px) 104px 84px minmax(80px, 1.2fr) minmax(90px, 1fr) 80px 98px minmax(250px, 260px)';
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
  // Each role lands on its own work: the compliance officer on what awaits compliance.
  const bucket = (BUCKETS.find((b) => b.value === bucketParam)?.value ?? (user.role === 'compliance_officer' ? 'awaiting_compliance' : 'all_open')) as QueueBucket;
  const unit = national ? (unitParam ?? user.unit ?? (view === 'time_critical' ? undefined : 'NAT')) : (user.unit ?? undefined);
  const { data, error, loading } = useCall('queue.list', { view, bucket, ...(unit ? { unit } : {}) });
  const canEnter = user.role !== 'nsu';
  const [filter, setFilter] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const rowsData = useMemo(() => data?.rows ?? [], [data]);

  const table = useTable({
    features,
    columns,
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
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const byId = useMemo(() => new Map(rowsData.map((r) => [r.id, r])), [rowsData]);
  // Rows that left the queue (allocated elsewhere, closed) drop out of the choice.
  const chosenRows = [...chosen].map((id) => byId.get(id)).filter((r): r is QueueRow => !!r);
  const allShown = rows.length > 0 && rows.every((r) => chosen.has(r.id));

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
    } else if (e.key === ' ') {
      e.preventDefault();
      const row = rows[active];
      if (row) toggle(row.id);
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
          ↑ ↓ to move, Space to choose, Enter to open
        </Text>
      </Group>
      <BulkActions rows={chosenRows} user={user} onClear={() => setChosen(new Set())} />
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
        <div className="queue-row queue-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID }}>
          <div className="queue-cell" role="columnheader">
            <Checkbox
              size="xs"
              aria-label={allShown ? 'Unchoose every row shown' : 'Choose every row shown'}
              checked={allShown}
              indeterminate={!allShown && rows.some((r) => chosen.has(r.id))}
              onChange={() => setChosen(allShown ? new Set() : new Set(rows.map((r) => r.id)))}
            />
          </div>
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
                  data-chosen={chosen.has(row.id) || undefined}
                  onClick={() => {
                    setActive(item.index);
                    open(item.index);
                  }}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: GRID }}
                >
                  <div className="queue-cell" role="gridcell" onClick={(e) => e.stopPropagation()}>
                    <Checkbox size="xs" aria-label={`Choose ${row.original.reference}`} checked={chosen.has(row.id)} onChange={() => toggle(row.id)} tabIndex={-1} />
                  </div>
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
