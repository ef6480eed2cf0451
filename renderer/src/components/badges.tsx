import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import { STATUS_LABELS, type Status } from '../../../shared/domain/vocabularies.ts';
import { formatDateTime, timeRemaining } from '../format.ts';

const STATUS_COLOURS: Record<Status, string> = {
  new: 'blue',
  triaged: 'cyan',
  in_research: 'violet',
  with_ice: 'grape',
  actioned: 'teal',
  nfa: 'gray',
  closed: 'dark',
};

const SHORT_LABELS: Partial<Record<Status, string>> = { in_research: 'Research', with_ice: 'With ICE', actioned: 'Actioned', nfa: 'NFA' };

/** The status; `short` for narrow columns, where the full label shows on hover. */
export function StatusBadge({ status, short = false }: { status: Status; short?: boolean }) {
  const badge = (
    <Badge color={STATUS_COLOURS[status]} variant="light" size="sm">
      {short ? (SHORT_LABELS[status] ?? STATUS_LABELS[status]) : STATUS_LABELS[status]}
    </Badge>
  );
  return short && SHORT_LABELS[status] ? <Tooltip label={STATUS_LABELS[status]}>{badge}</Tooltip> : badge;
}

export function DueBadge({ due, closed, label = 'Due' }: { due: string | null; closed?: boolean; label?: string }) {
  if (closed) return null;
  const r = timeRemaining(due);
  if (!r) return null;
  return (
    <Tooltip label={`${label} ${formatDateTime(due)}`}>
      <Badge color={r.overdue ? 'red' : r.soon ? 'orange' : 'gray'} variant={r.overdue ? 'filled' : 'light'} size="sm">
        {r.text}
      </Badge>
    </Tooltip>
  );
}

/**
 * Time-critical work: the alarm, whether the duty intelligence manager has confirmed it (solid) or it is only
 * detected (outlined), and (in queues) how long is left of the 24-hour standard.
 */
export function TimeCriticalBadge({ due, state }: { due?: string | null; state?: 'detected' | 'confirmed' | 'dismissed' | null }) {
  const r = due === undefined ? null : timeRemaining(due);
  const word = state === 'confirmed' ? 'Confirmed' : state === 'detected' ? 'Unconfirmed' : 'Time-critical';
  return (
    <Tooltip label={`Time-critical${state === 'confirmed' ? ', confirmed by the duty intelligence manager' : state === 'detected' ? ', detected on receipt and not yet confirmed' : ''}${due ? `: act by ${formatDateTime(due)}` : ''}`}>
      <Badge color="red" variant={state === 'detected' ? 'outline' : 'filled'} size="sm" leftSection={<IconAlarm size={12} aria-hidden />}>
        {state ? <VisuallyHidden>Time-critical, </VisuallyHidden> : null}
        {r ? `${word} · ${r.text}` : word}
      </Badge>
    </Tooltip>
  );
}
