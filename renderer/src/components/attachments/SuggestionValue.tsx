import { Badge, Group, Text } from '@mantine/core';
import type { SuggestionView } from '../../../../shared/api/attachments.ts';
import { SUGGESTION_LABELS } from '../../../../shared/attachments/rules.ts';

/** What a suggestion proposes, as the viewer and the form both list it: its kind, then the value. */
export function SuggestionValue({ s }: { s: Pick<SuggestionView, 'kind' | 'value'> }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
        {SUGGESTION_LABELS[s.kind]}
      </Badge>
      <Text size="sm" fw={600} className="mono" truncate>
        {s.value}
      </Text>
    </Group>
  );
}
