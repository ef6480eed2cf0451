// Telling the duty intelligence manager at once: when an allegation of their unit becomes time-critical (on
// receipt, or when a page, a note or an amendment says something imminent), a notification says which, what and
// where it was found, until they open it or put it away; and the queue's count in the navigation follows.
import { useEffect, useState } from 'react';
import { Button, Group, Notification, Stack, Text } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import type { CoreEvent } from '../../../shared/api/events.ts';
import { NATIONAL_ROLES } from '../../../shared/domain/vocabularies.ts';
import { subscribeEvents } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { navigate } from '../router.ts';
import { formatDate } from '../format.ts';

type Raised = Extract<CoreEvent, { type: 'timecritical.raised' }>;

/** Whether this user works the time-critical queue an event belongs to. */
function concerns(user: UserView, e: { unit: string | null }): boolean {
  return NATIONAL_ROLES.includes(user.role) || !user.unit || user.unit === e.unit;
}

/** How many allegations wait in the user's time-critical queue: a live read, current after any change (live.ts). */
export function useTimeCriticalCount(enabled: boolean): number {
  const { data } = useCall('queue.list', enabled ? { view: 'time_critical', limit: 1 } : null);
  return enabled ? (data?.total ?? 0) : 0;
}

export function TimeCriticalAlerts({ user }: { user: UserView }) {
  const [shown, setShown] = useState<Raised[]>([]);
  const enabled = user.role === 'duty_manager';
  useEffect(() => {
    if (!enabled) return;
    return subscribeEvents((e) => {
      if (e.type === 'timecritical.raised' && concerns(user, e)) setShown((list) => [e, ...list.filter((x) => x.allegationId !== e.allegationId)].slice(0, 5));
    });
  }, [enabled, user]);
  if (!enabled || shown.length === 0) return null;
  const close = (id: string) => setShown((list) => list.filter((x) => x.allegationId !== id));
  return (
    <Stack className="time-critical-alerts" gap="xs" role="region" aria-label="Time-critical notifications">
      {shown.map((e) => (
        <Notification
          key={e.allegationId}
          color="red"
          icon={<IconAlarm size={18} />}
          title={`Time-critical${e.again ? ' again' : ''}: ${e.reference}`}
          onClose={() => close(e.allegationId)}
          closeButtonProps={{ 'aria-label': `Put away the notification about ${e.reference}` }}
          role="alert"
          data-testid="time-critical-notification"
        >
          <Text size="sm" c="bright">
            {e.event.charAt(0).toUpperCase() + e.event.slice(1)} on {formatDate(e.date)}, found on {e.where}.{e.again ? ' New evidence since the flag was dismissed.' : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {e.reason}
          </Text>
          <Group mt={6}>
            <Button
              size="compact-xs"
              color="red"
              onClick={() => {
                close(e.allegationId);
                navigate({ name: 'allegation', reference: e.reference });
              }}
            >
              Open {e.reference}
            </Button>
          </Group>
        </Notification>
      ))}
    </Stack>
  );
}
