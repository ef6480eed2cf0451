// A list of allegations as the work queue shows them: a virtualised grid that reads like a table to assistive
// technology, sortable by any column, filtered by the text above it, moved through with the arrow keys and opened
// with Enter. The queue, the records behind a figure of management information and the follow-up queue use it.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Group, Text } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPaperclip } from '@tabler/icons-react';
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
import type { QueueRow } from '../../../shared/schemas/record.ts';
import { CHANNEL_LABELS, OFFENCE_TYPE_LABELS } from '../../../shared/domain/vocabularies.ts';
import { navigate } from '../router.ts';
import { formatDateTime } from '../format.ts';
import { DueBadge, StatusBadge, TimeCriticalBadge } from './badges.tsx';
import { Busy } from './Busy.tsx';
import { MarkedText } from './MarkedText.tsx';

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
  helper.accessor('mainSubject', { header: 'Main subject', sortFn: 'text', cell: (c) => <MarkedText text={c.getValue()} /> }),
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
const whyColumns = helper.columns([
  reference,
  received,
  helper.accessor((r) => r.timeCriticalWhy ?? '', { id: 'why', header: 'Why time-critical', sortFn: 'text', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  ...rest,
]);

const GRID = 'minmax(150px, 200px) 150px 120px minmax(140px, 1.2fr) minmax(140px, 1fr) 90px 150px 200px';
const WHY_GRID = 'minmax(150px, 200px) 140px minmax(260px, 2.4fr) minmax(120px, 1fr) minmax(120px, 1fr) 90px 130px 200px';
const ROW_HEIGHT = 38;

interface Props {
  rows: readonly QueueRow[] | undefined;
  /** The grid's accessible name ("Work queue, West Midlands RIU"). */
  label: string;
  /** Text that filters the rows (reference, name, postcode…). */
  filter: string;
  loading: boolean;
  /** What an empty list says. */
  empty: string;
  /** Resets the selection when what is listed changes. */
  resetKey?: string;
  /** Show why each allegation is time-critical (the duty manager's queue). */
  why?: boolean;
}

export function AllegationGrid({ rows: data, label, filter, loading, empty, resetKey, why = false }: Props) {
  const grid = why ? WHY_GRID : GRID;
  const [sorting, setSorting] = useState<SortingState>([]);
  const rowsData = useMemo(() => [...(data ?? [])], [data]);
  const table = useTable({
    features,
    columns: why ? whyColumns : columns,
    data: rowsData,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    globalFilterFn: 'includesString',
    getRowId: (r) => r.id,
  });
  const rows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns functions the React Compiler cannot memoise; this component does not rely on that.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [resetKey, filter]);

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
    <>
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
        aria-label={label}
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
            <Busy label="Loading the list…" shown />
          </Group>
        ) : rows.length === 0 ? (
          <Text p="lg" c="dimmed" ta="center">
            {filter ? 'No allegations in this list match the filter.' : empty}
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
    </>
  );
}
