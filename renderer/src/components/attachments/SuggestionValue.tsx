import { Badge, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { SuggestionView } from '../../../../shared/api/attachments.ts';
import { SUGGESTION_LABELS, suggestionText } from '../../../../shared/attachments/rules.ts';
import { formatDateTime } from '../../format.ts';

/** What a suggestion proposes, as the viewer and the form both list it: its kind, then the value. */
export function SuggestionValue({ s }: { s: Pick<SuggestionView, 'kind' | 'value' | 'date'> }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Badge size="xs" variant="light">
        {SUGGESTION_LABELS[s.kind]}
      </Badge>
      <Text size="sm" fw={600} className="mono" truncate>
        {suggestionText(s)}
      </Text>
    </Group>
  );
}

/** What was decided on a suggestion, and by whom: "Accepted from page 2 by A. Khan, 4 Mar 10:02". */
export function SuggestionDecision({ s, where }: { s: Pick<SuggestionView, 'decision'>; where: string }) {
  const d = s.decision;
  if (!d) return null;
  const accepted = d.decision === 'accepted';
  return (
    <Text size="xs" c={accepted ? 'teal.8' : 'dimmed'} data-testid="suggestion-decision">
      {accepted ? <IconCircleCheck size={12} aria-hidden /> : <IconCircleX size={12} aria-hidden />} {accepted ? `Accepted from ${where}` : 'Rejected'} by {d.by}, {formatDateTime(d.at)}
      {!accepted && d.reason ? `: ${d.reason}` : ''}
    </Text>
  );
}
