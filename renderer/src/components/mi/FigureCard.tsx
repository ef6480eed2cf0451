// One group of management-information figures: a bar chart (Mantine Charts, on Recharts) and the table of the
// same figures, every number a link to the allegations behind it; a bar opens its list too. The chart is the
// picture, the table the record: a screen reader and a keyboard have everything in the table.
import { Anchor, Card, Group, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import type { MiGroup } from '../../../../shared/mi/measures.ts';
import { percent, shareBase } from '../../../../shared/mi/measures.ts';
import { href, navigate, type MiParams } from '../../router.ts';

export function drillRoute(scope: MiParams, group: string, key: string, row?: { by: string; key: string }) {
  return { name: 'mi-records' as const, scope, group, key, rowBy: row?.by, rowKey: row?.key };
}

export function FigureLink({ n, scope, group, keyName, label, row }: { n: number; scope: MiParams; group: string; keyName: string; label: string; row?: { by: string; key: string } }) {
  if (n === 0) return <span aria-label={`none: ${label}`}>0</span>;
  return (
    <Anchor href={href(drillRoute(scope, group, keyName, row))} aria-label={`${n.toLocaleString('en-GB')} allegations: ${label}. Open the list`} fw={600}>
      {n.toLocaleString('en-GB')}
    </Anchor>
  );
}

interface Props {
  group: MiGroup;
  counts: Readonly<Record<string, number>>;
  total: number;
  scope: MiParams;
  /** The same figures nationally, for comparison (regional variation, 000 §6.5). */
  national?: Readonly<Record<string, number>> | undefined;
  nationalTotal?: number | undefined;
  chart?: 'vertical' | 'horizontal' | 'none';
  /** Keys to leave out of the chart (a subtotal that would dwarf the rest). */
  chartSkip?: readonly string[];
  testId?: string;
}

export function FigureCard({ group, counts, total, scope, national, nationalTotal, chart = 'horizontal', chartSkip = [], testId }: Props) {
  const base = shareBase(group, counts, total);
  const nationalBase = national ? shareBase(group, national, nationalTotal ?? 0) : 0;
  const chartKeys = group.keys.filter((k) => !chartSkip.includes(k));
  const data = chartKeys.map((k) => ({ key: k, label: group.labels[k] ?? k, Allegations: counts[k] ?? 0 }));
  const headingId = `mi-${group.id.replace('.', '-')}`;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Title order={3} size="h5" id={headingId}>
        {group.title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {group.definition}
      </Text>
      {chart !== 'none' && (
        <BarChart
          h={chart === 'vertical' ? 220 : Math.max(120, 30 * data.length + 30)}
          data={data}
          dataKey="label"
          orientation={chart === 'vertical' ? 'horizontal' : 'vertical'}
          series={[{ name: 'Allegations', color: 'indigo.7' }]}
          withBarValueLabel
          gridAxis={chart === 'vertical' ? 'y' : 'x'}
          tickLine="none"
          yAxisProps={chart === 'vertical' ? { allowDecimals: false } : { width: 190 }}
          xAxisProps={chart === 'vertical' ? {} : { allowDecimals: false }}
          barProps={{
            cursor: 'pointer',
            onClick: (entry: unknown) => {
              const key = (entry as { payload?: { key?: string } }).payload?.key;
              if (key) navigate(drillRoute(scope, group.id, key));
            },
          }}
          mb="sm"
        />
      )}
      <Table fz="sm" striped withRowBorders={false} aria-labelledby={headingId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Figure</Table.Th>
            <Table.Th ta="right">Allegations</Table.Th>
            <Table.Th ta="right">Share</Table.Th>
            {national && <Table.Th ta="right">National</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {group.keys.map((k) => {
            const label = group.labels[k] ?? k;
            return (
              <Table.Tr key={k}>
                <Table.Td>{label}</Table.Td>
                <Table.Td ta="right">
                  <FigureLink n={counts[k] ?? 0} scope={scope} group={group.id} keyName={k} label={`${label} — ${group.title}`} />
                </Table.Td>
                <Table.Td ta="right">{percent(counts[k] ?? 0, base)}</Table.Td>
                {national && (
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Text size="sm">{(national[k] ?? 0).toLocaleString('en-GB')}</Text>
                      <Text size="xs" c="dimmed">
                        ({percent(national[k] ?? 0, nationalBase)})
                      </Text>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
