// The link chart's filters: which kinds of node are shown (with each kind's colour as a legend), and the range
// of dates records were received in; with the key to the rings and lines drawn on the chart.
import { Checkbox, Group, Text } from '@mantine/core';
import type { ChartKind } from '../../../../shared/api/workbench.ts';
import { UkDateInput } from '../form/UkDateInput.tsx';
import { KIND_STYLE, KIND_TEXT } from './chart-style.ts';

interface Props {
  /** The kinds on the chart (only these get a box). */
  present: readonly ChartKind[];
  kinds: ReadonlySet<ChartKind>;
  onKinds: (kinds: Set<ChartKind>) => void;
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
}

export function ChartFilters({ present, kinds, onKinds, from, to, onFrom, onTo }: Props) {
  return (
    <Group gap="md" mb={6} align="flex-end" wrap="wrap">
      <Checkbox.Group label="Show" value={[...kinds]} onChange={(v) => onKinds(new Set(v as ChartKind[]))}>
        <Group gap="xs" mt={4}>
          {present.map((k) => (
            <Checkbox
              key={k}
              value={k}
              size="xs"
              label={
                <Group gap={4} wrap="nowrap">
                  <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: k === 'person' ? 5 : 2, background: KIND_STYLE[k].colour }} />
                  {KIND_TEXT[k]}
                </Group>
              }
            />
          ))}
        </Group>
      </Checkbox.Group>
      <UkDateInput size="xs" label="Received from" value={from} onChange={onFrom} w={170} />
      <UkDateInput size="xs" label="Received to" value={to} onChange={onTo} w={170} />
      <Text size="xs" c="dimmed">
        gold ring: in more than one record · dashed red: judged link · orange double ring: pinned
      </Text>
    </Group>
  );
}
