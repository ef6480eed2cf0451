// A timeline: what happened, oldest first, with who and when; each event opens where it happened (a note, an
// attachment page, a linked record). Kinds of event can be shown or hidden; the choice is the person's.
import { useMemo, useState } from 'react';
import { Anchor, Badge, Chip, Group, Stack, Text, Timeline as MantineTimeline } from '@mantine/core';
import { IconAlarm, IconArrowsExchange, IconClipboardCheck, IconFileText, IconGavel, IconInbox, IconLink, IconNote, IconPaperclip, IconPencil, IconSearch, IconSend, IconShieldCheck, IconUserCheck, IconEye } from '@tabler/icons-react';
import type { TimelineEvent, TimelineKind } from '../../../../shared/api/workbench.ts';
import { formatDateTime } from '../../format.ts';

const GROUPS: Array<{ value: string; label: string; kinds: TimelineKind[] }> = [
  { value: 'receipt', label: 'Receipt and routing', kinds: ['received', 'routed', 'allocated'] },
  { value: 'assessment', label: 'Assessment', kinds: ['assessed', 'time_critical', 'check', 'review'] },
  { value: 'links', label: 'Judgements', kinds: ['judgement'] },
  { value: 'notes', label: 'Notes and amendments', kinds: ['note', 'amended'] },
  { value: 'attachments', label: 'Attachments and pages read', kinds: ['attachment', 'page_read'] },
  { value: 'outcome', label: 'Outcome and results', kinds: ['outcome', 'signoff', 'dissemination', 'result'] },
  { value: 'named', label: 'Where it is named', kinds: ['named'] },
];

const ICONS: Record<TimelineKind, typeof IconInbox> = {
  received: IconInbox,
  routed: IconArrowsExchange,
  allocated: IconUserCheck,
  assessed: IconClipboardCheck,
  time_critical: IconAlarm,
  check: IconSearch,
  judgement: IconLink,
  review: IconLink,
  note: IconNote,
  amended: IconPencil,
  attachment: IconPaperclip,
  page_read: IconFileText,
  outcome: IconGavel,
  signoff: IconShieldCheck,
  dissemination: IconSend,
  result: IconSend,
  named: IconEye,
};

export function Timeline({ events, showReference = false, label }: { events: TimelineEvent[]; showReference?: boolean; label: string }) {
  const present = useMemo(() => GROUPS.filter((g) => events.some((e) => g.kinds.includes(e.kind))), [events]);
  const [hidden, setHidden] = useState<string[]>([]);
  const shown = useMemo(() => {
    const off = new Set(GROUPS.filter((g) => hidden.includes(g.value)).flatMap((g) => g.kinds));
    return events.filter((e) => !off.has(e.kind));
  }, [events, hidden]);
  if (!events.length) {
    return (
      <Text size="sm" c="dimmed">
        Nothing recorded yet.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {present.length > 1 && (
        <Chip.Group multiple value={present.map((g) => g.value).filter((v) => !hidden.includes(v))} onChange={(on) => setHidden(present.map((g) => g.value).filter((v) => !on.includes(v)))}>
          <Group gap={6} role="group" aria-label={`Which events ${label} shows`}>
            {present.map((g) => (
              <Chip key={g.value} value={g.value} size="xs" variant="outline">
                {g.label}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      <Text size="xs" c="dimmed" aria-live="polite">
        {shown.length === events.length ? `${events.length} events, oldest first` : `${shown.length} of ${events.length} events shown`}
      </Text>
      <MantineTimeline bulletSize={22} lineWidth={2} aria-label={label}>
        {shown.map((e, i) => {
          const Icon = ICONS[e.kind];
          return (
            <MantineTimeline.Item
              key={`${e.at}:${e.kind}:${i}`}
              bullet={<Icon size={13} aria-hidden />}
              title={
                <Group gap={6} wrap="wrap">
                  <Text size="sm" fw={600} component="span">
                    {e.title}
                  </Text>
                  {showReference && (
                    <Badge size="xs" variant="light" color="indigo" className="mono">
                      {e.reference}
                    </Badge>
                  )}
                </Group>
              }
            >
              {e.detail && (
                <Text size="sm" className="record-text" lineClamp={3}>
                  {e.detail}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at)}
                {e.by ? ` · ${e.by}` : ''} ·{' '}
                <Anchor href={e.link} size="xs" underline="always" aria-label={`Open: ${e.title}`}>
                  open
                </Anchor>
              </Text>
            </MantineTimeline.Item>
          );
        })}
      </MantineTimeline>
    </Stack>
  );
}
