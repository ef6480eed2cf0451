import { Badge, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { SuggestionView } from '../../../../shared/api/attachments.ts';
import { SUGGESTION_LABELS, suggestionText } from '../../../../shared/attachments/rules.ts';
import { formatDate, formatDateTime } from '../../format.ts';

/** What the letter wrote, when it differs from the value suggested (a flight written with its ICAO designator). */
function writtenOtherwise(s: Pick<SuggestionView, 'kind' | 'value' | 'text'>): string | null {
  if (s.kind !== 'flight' && s.kind !== 'vrm' && s.kind !== 'postcode') return null;
  const written = s.text.replace(/\s+/g, ' ').trim();
  return written.replace(/\s/g, '').toUpperCase() === s.value.replace(/\s/g, '').toUpperCase() ? null : written;
}

/** What a suggestion proposes, as the viewer and the form both list it: its kind, the value, its date, and the words as written where they differ. */
export function SuggestionValue({ s }: { s: Pick<SuggestionView, 'kind' | 'value' | 'date' | 'text'> }) {
  const written = writtenOtherwise(s);
  return (
    <Group gap={6} wrap="nowrap">
      <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
        {SUGGESTION_LABELS[s.kind]}
      </Badge>
      <Text size="sm" truncate>
        <Text span size="sm" fw={600} className="mono">
          {suggestionText({ ...s, date: null })}
        </Text>
        {s.date && (s.kind === 'flight' || s.kind === 'travel') ? <Text span size="sm">{` on ${formatDate(s.date)}`}</Text> : null}
        {written ? <Text span size="xs" c="dimmed">{` (written ${written})`}</Text> : null}
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
