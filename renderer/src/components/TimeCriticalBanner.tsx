// Why an allegation is time-critical, on its screen: each imminent event found, with the text and page it was
// found on, the sentence, the rule that fired and the reason in words, so a duty manager can judge it at a glance.
// Evidence a duty manager dismissed is shown as such; evidence found since (a page read later, a note) is marked new.
import { Alert, Badge, Group, List, Text } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import type { AllegationRecord } from '../../../shared/schemas/record.ts';
import { evidencePlace } from '../../../shared/analysis/triage.ts';
import { evidenceExcerpt } from '../../../shared/domain/evidence-excerpt.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { GuidanceLink } from './GuidanceLink.tsx';

type Flag = NonNullable<AllegationRecord['timeCriticalDetail']>;
type EvidenceView = Flag['evidence'][number];

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function Item({ e, isNew }: { e: EvidenceView; isNew: boolean }) {
  return (
    <List.Item>
      <Text size="sm" span fw={600}>
        {capital(e.event)} on {formatDate(e.date)}
      </Text>
      <Text size="sm" span>
        {' '}
        — {evidencePlace(e)}: “{evidenceExcerpt(e.sentence, e.text)}”
      </Text>
      {isNew && (
        <Badge ml={6} size="xs" color="red" variant="filled">
          new evidence
        </Badge>
      )}
      {(e.rule || e.reason) && (
        <Text size="xs" c="dimmed">
          {[e.rule ? `Rule: ${e.rule}.` : '', e.reason ? `${capital(e.reason)}.` : '', e.foundAt ? `Found ${formatDateTime(e.foundAt)}.` : ''].filter(Boolean).join(' ')}
        </Text>
      )}
    </List.Item>
  );
}

/** `closed`: the case is closed, so nothing is due; the flag is history, not an alarm. */
export function TimeCriticalBanner({ tc, closed = false }: { tc: Flag; closed?: boolean }) {
  const live = tc.evidence.filter((e) => !e.dismissed);
  const dismissed = tc.evidence.filter((e) => e.dismissed);
  if (closed && tc.state !== 'dismissed') {
    const first = live[0] ?? tc.evidence[0];
    return (
      <Text size="sm" c="dimmed">
        Was time-critical ({first?.event ?? 'event'} on {formatDate(tc.deadline)}); the case is closed.
      </Text>
    );
  }
  if (tc.state === 'dismissed') {
    return (
      <Text size="sm" c="dimmed">
        Time-critical flag dismissed by {tc.decidedBy} on {formatDateTime(tc.decidedAt)}: {tc.reason}
      </Text>
    );
  }
  const again = tc.state === 'detected' && dismissed.length > 0;
  const title = tc.state === 'confirmed' ? 'Time-critical (confirmed)' : again ? 'Time-critical: raised again by new evidence' : 'Time-critical: detected';
  return (
    <Alert color="red" variant={tc.state === 'confirmed' ? 'outline' : 'light'} icon={<IconAlarm size={18} />} title={title} data-testid="time-critical-banner">
      <List size="sm" spacing={4}>
        {live.map((e, i) => (
          <Item key={i} e={e} isNew={again && (!tc.decidedAt || !e.foundAt || e.foundAt > tc.decidedAt)} />
        ))}
      </List>
      <Group gap="xs" mt={6}>
        <Text size="sm">Duty intelligence manager to act by {formatDateTime(tc.dueAt)}.</Text>
        <GuidanceLink step="time-critical" />
        {tc.state === 'confirmed' && tc.decidedBy && (
          <Text size="sm">
            Confirmed by {tc.decidedBy}: {tc.reason}
          </Text>
        )}
      </Group>
      {dismissed.length > 0 && (
        <Text size="xs" c="dimmed" mt={6}>
          {tc.state === 'detected' && tc.decidedBy ? `Dismissed earlier by ${tc.decidedBy} on ${formatDateTime(tc.decidedAt)}: ${tc.reason}. ` : ''}
          Dismissed evidence, not raised again: {dismissed.map((e) => `${e.event} on ${formatDate(e.date)} (${evidencePlace(e)})`).join('; ')}.
        </Text>
      )}
    </Alert>
  );
}
