// The link chart as text (a canvas says nothing to a screen reader): the judged links, then each person, place
// and number shown with the other ways records write it and the records it is in.
import { memo } from 'react';
import { Anchor, Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ChartEdge, ChartNode } from '../../../../shared/api/workbench.ts';
import type { ChartGraph } from '../../../../shared/entities/chart-graph.ts';
import { entityPath, type EntityRef } from '../../../../shared/entities/entity.ts';
import { href } from '../../router.ts';
import { KIND_TEXT } from './chart-style.ts';

/** Rows of the text equivalent shown at once (filters narrow it). */
export const TABLE_ROWS = 300;
/**
 * Records named in one row: a phone on 1,000 records would be a cell of 1,000 links, unreadable and a long wait
 * for a screen reader; the rest are counted, and the node's own page (its link in the row) lists them all.
 */
export const ROW_RECORDS = 20;

interface Props {
  graph: ChartGraph;
  judged: readonly ChartEdge[];
  /** Visible nodes in keyboard order. */
  shown: readonly ChartNode[];
  /** References of a node's records. */
  recordsOf: (id: string) => string[];
  current: string | undefined;
}

/** Drawn again only when what it shows changes (not when a node is chosen or a notice shown): hundreds of rows. */
export const ChartTable = memo(function ChartTable({ graph, judged, shown, recordsOf, current }: Props) {
  return (
    <Table fz="sm" mt="sm" striped aria-label="What the chart shows (the chart as text)" captionSide="top">
      <Table.Caption>
        <Text size="sm" fw={600} ta="left">
          The chart as text: what each record holds, and what they share
          {shown.length > TABLE_ROWS ? ` (the first ${TABLE_ROWS} of ${shown.length}; filter the chart to narrow it)` : ''}
        </Text>
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Who or what</Table.Th>
          <Table.Th>In records</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {judged.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td>Judged link</Table.Td>
            <Table.Td>{e.label}</Table.Td>
            <Table.Td>
              {graph.nodes.get(e.source)?.value} — {graph.nodes.get(e.target)?.value}
            </Table.Td>
          </Table.Tr>
        ))}
        {shown
          .filter((n) => n.kind !== 'allegation')
          .slice(0, TABLE_ROWS)
          .map((n) => {
            const refs = recordsOf(n.id);
            const variants = graph.variants(n.id);
            return (
              <Table.Tr key={n.id}>
                <Table.Td>{KIND_TEXT[n.kind]}</Table.Td>
                <Table.Td>
                  <Anchor href={entityPath({ kind: n.kind as EntityRef['kind'], value: n.value })} size="sm">
                    {n.label}
                  </Anchor>{' '}
                  {refs.length > 1 && (
                    <Badge size="xs" color="yellow" variant="light">
                      shared
                    </Badge>
                  )}
                  {variants.length > 0 && (
                    <Text size="xs" c="dimmed">
                      also written: {variants.join('; ')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {refs.slice(0, ROW_RECORDS).map((r, i) => (
                    <span key={r}>
                      {i > 0 ? ', ' : ''}
                      {r === current ? (
                        <Text span fw={600} size="sm">
                          {r}
                          <VisuallyHidden> (this record)</VisuallyHidden>
                        </Text>
                      ) : (
                        <Anchor href={href({ name: 'allegation', reference: r })} size="sm">
                          {r}
                        </Anchor>
                      )}
                    </span>
                  ))}
                  {refs.length > ROW_RECORDS && (
                    <Text span size="sm" c="dimmed">
                      {' '}
                      and {refs.length - ROW_RECORDS} more (all on its page)
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
      </Table.Tbody>
    </Table>
  );
});
