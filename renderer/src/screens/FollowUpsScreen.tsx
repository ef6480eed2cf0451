// The follow-up queue: actions still awaiting their recipient's result, oldest follow-up date first; overdue ones
// by default (000 §4.9: nobody monitored what receiving teams did). Recording the result on the allegation takes
// an action off the queue.
import { Alert, Anchor, Badge, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import { NATIONAL_ROLES, OUTCOME_ACTION_LABELS } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { useCall } from '../api/useCall.ts';
import { href, navigate } from '../router.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { Busy } from '../components/Busy.tsx';
import { GuidanceLink } from '../components/GuidanceLink.tsx';

export function FollowUpsScreen({ user, unit, view: viewParam }: { user: UserView; unit?: string | undefined; view?: string | undefined }) {
  const national = NATIONAL_ROLES.includes(user.role);
  const view = viewParam === 'open' ? 'open' : 'overdue';
  const { data, error, loading } = useCall('followups.list', { view, ...(unit ? { unit } : {}) });
  return (
    <Stack gap="sm" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Group gap="md">
            <Title order={2}>Follow-ups</Title>
            <GuidanceLink step="dissemination" />
          </Group>
          <Text size="sm" c="dimmed">
            Actions awaiting their recipient’s result · {data?.unit ? unitName(data.unit) : 'all units'} · oldest follow-up date first
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          {national && (
            <Select
              label="Unit"
              size="sm"
              w={280}
              searchable
              clearable
              placeholder="All units"
              value={unit ?? null}
              data={UNITS.map((u) => ({ value: u.code, label: u.name }))}
              onChange={(v) => navigate({ name: 'followups', view, unit: v ?? undefined })}
            />
          )}
          <SegmentedControl
            aria-label="Which follow-ups"
            value={view}
            onChange={(v) => navigate({ name: 'followups', view: v, unit })}
            data={[
              { value: 'overdue', label: 'Overdue' },
              { value: 'open', label: 'All awaiting a result' },
            ]}
          />
        </Group>
      </Group>
      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not load the follow-ups">
          {error.message}
        </Alert>
      )}
      {loading && !data && <Busy label="Loading the follow-ups…" shown />}
      {data && (
        <>
          <Text size="sm" aria-live="polite" data-testid="followups-count">
            {data.rows.length.toLocaleString('en-GB')} {view === 'overdue' ? 'overdue' : 'awaiting a result'}
          </Text>
          {data.rows.length === 0 ? (
            <Text c="dimmed">{view === 'overdue' ? 'No follow-up is overdue.' : 'No action is awaiting a result.'}</Text>
          ) : (
            <Table striped fz="sm" aria-label={view === 'overdue' ? 'Overdue follow-ups' : 'Follow-ups awaiting a result'} data-testid="followups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Allegation</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Recipient</Table.Th>
                  <Table.Th>Sent</Table.Th>
                  <Table.Th>Follow up by</Table.Th>
                  <Table.Th>Unit</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.map((r) => (
                  <Table.Tr key={r.actionId}>
                    <Table.Td>
                      <Anchor href={href({ name: 'allegation', reference: r.reference })} className="mono">
                        {r.reference}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{OUTCOME_ACTION_LABELS[r.action]}</Table.Td>
                    <Table.Td>{r.recipient}</Table.Td>
                    <Table.Td>
                      {formatDateTime(r.sentAt)}
                      <Text size="xs" c="dimmed">
                        {r.sentBy}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {formatDate(r.followUpDue)}{' '}
                      {r.daysOverdue > 0 && (
                        <Badge color="red" size="sm" variant="filled">
                          {r.daysOverdue} working day{r.daysOverdue === 1 ? '' : 's'} overdue
                        </Badge>
                      )}
                      <Text size="xs" c="dimmed">
                        {r.followUpRule}
                      </Text>
                    </Table.Td>
                    <Table.Td>{unitName(r.unit)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
