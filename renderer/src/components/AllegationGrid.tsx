// A list of allegations as the work queue shows them: a virtualised grid that reads like a table to assistive
// technology, sortable by any column, filtered by the text above it, moved through with the arrow keys and opened
// with Enter. The queue, the records behind a figure of management information and the follow-up queue use it.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Badge, Checkbox, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
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
import { CHANNEL_LABELS, OFFENCE_TYPE_LABELS, STATUS_LABELS } from '../../../shared/domain/vocabularies.ts';
import { navigate } from '../router.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { DueBadge, StatusBadge, TimeCriticalBadge } from './badges.tsx';
import { Busy } from './Busy.tsx';
import { MarkedText } from './MarkedText.tsx';
import { hiddenParts } from '../../../shared/text/hidden-chars.ts';

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

/** Text cut to its column's width is there in full on hover (never for text holding hidden characters: MarkedText says so). */
function Full({ text, children }: { text: string; children?: ReactNode }) {
  const plain = hiddenParts(text, false).length <= 1;
  return <span title={plain && text ? text : undefined}>{children ?? text}</span>;
}

/** Channels in a word, for a narrow column (the full name on hover and in the sort). */
const CHANNEL_SHORT: Partial<Record<QueueRow['channel'], string>> = { internal_referral: 'Staff referral', mp: 'MP', other_agency: 'Agency' };

const reference = helper.accessor('reference', {
  header: 'Reference',
  cell: (c) => (
    <span className="mono" title={c.getValue()}>
      {c.getValue()}
    </span>
  ),
  sortFn: 'alphanumeric',
});
const received = helper.accessor('receivedAt', { header: 'Received', cell: (c) => <span title={formatDateTime(c.getValue())}>{formatDate(c.getValue())}</span>, sortFn: 'alphanumeric' });
const rest = [
  helper.accessor((r) => r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', '), { id: 'offences', header: 'Offence', sortFn: 'text', cell: (c) => <Full text={c.getValue()} /> }),
  helper.accessor('mainSubject', {
    header: 'Subject',
    sortFn: 'text',
    cell: (c) => (
      <Full text={c.getValue()}>
        <MarkedText text={c.getValue()} />
      </Full>
    ),
  }),
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
];
const channel = helper.accessor((r) => CHANNEL_LABELS[r.channel], {
  id: 'channel',
  header: 'Channel',
  sortFn: 'text',
  cell: (c) => (
    <Full text={c.getValue()}>
      {CHANNEL_SHORT[c.row.original.channel] ?? c.getValue()}
      {CHANNEL_SHORT[c.row.original.channel] && <VisuallyHidden> ({c.getValue()})</VisuallyHidden>}
    </Full>
  ),
});
const columns = helper.columns([reference, received, channel, ...rest]);
// The duty manager's queue says why each allegation is there: the event, its date, where it was found, the rule.
const whyColumns = helper.columns([
  reference,
  received,
  helper.accessor((r) => r.timeCriticalWhy ?? '', { id: 'why', header: 'Why time-critical', sortFn: 'text', cell: (c) => <Full text={c.getValue()} /> }),
  ...rest,
]);

// Fits the main area at 1280 px (1028 px wide, less a scroll bar): the columns, after a choice box where rows can
// be chosen. Reference, received, postcode, status and due are never clipped (a provisional reference is cut
// only at 1280, in full on hover); the subject keeps the most room of the text columns, the channel fits in a
// word; what is cut is there in full on hover. The duty manager's grid gives the channel's room to why.
const COLUMNS = 'minmax(140px, 176px) 104px 104px minmax(80px, 1fr) minmax(120px, 1.5fr) 80px 96px minmax(236px, 256px)';
const WHY_COLUMNS = 'minmax(140px, 176px) 104px minmax(134px, 2.4fr) minmax(80px, 1fr) minmax(104px, 1.2fr) 80px 96px minmax(236px, 256px)';
const CHOICE = '34px';
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
  /** Rows can be chosen (boxes, Space) for bulk actions: which are chosen, and the new choice. */
  choice?: { chosen: ReadonlySet<string>; onChange: (next: Set<string>) => void };
  /** Shown between the count and the grid (the bulk actions on the chosen rows). */
  toolbar?: ReactNode;
  /** Show why each allegation is time-critical (the duty manager's queue). */
  why?: boolean;
}

export function AllegationGrid({ rows: data, label, filter, loading, empty, resetKey, choice, toolbar, why = false }: Props) {
  const cols = why ? WHY_COLUMNS : COLUMNS;
  const grid = choice ? `${CHOICE} ${cols}` : cols;
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
  const chosen = choice?.chosen ?? new Set<string>();
  const toggle = (id: string) => {
    if (!choice) return;
    const next = new Set(choice.chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    choice.onChange(next);
  };
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
    } else if (e.key === ' ' && choice) {
      e.preventDefault();
      const row = rows[active];
      if (row) toggle(row.id);
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
          {choice ? '↑ ↓ to move, Space to choose, Enter to open' : '↑ ↓ to move, Enter to open'}
        </Text>
      </Group>
      {toolbar}
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
          {choice && (
            <div className="queue-cell" role="columnheader">
              <Checkbox
                size="xs"
                aria-label={allShown ? 'Unchoose every row shown' : 'Choose every row shown'}
                checked={allShown}
                indeterminate={!allShown && rows.some((r) => chosen.has(r.id))}
                onChange={() => choice.onChange(allShown ? new Set() : new Set(rows.map((r) => r.id)))}
              />
            </div>
          )}
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
                  data-chosen={chosen.has(row.id) || undefined}
                  onClick={() => {
                    setActive(item.index);
                    open(item.index);
                  }}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: grid }}
                >
                  {choice && (
                    <div className="queue-cell" role="gridcell" onClick={(e) => e.stopPropagation()}>
                      <Checkbox size="xs" aria-label={`Choose ${row.original.reference}`} checked={chosen.has(row.id)} onChange={() => toggle(row.id)} tabIndex={-1} />
                    </div>
                  )}
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
