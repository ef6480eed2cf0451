// Actions on the allegation, each followed to its result (000 §4.6-4.9): who received it, when, by whom, what was
// sent (the sanitised, graded report, as it left), the follow-up date and the rule that set it; the recipient's
// result; and debriefs of operations, attached as such (004 §7.1-7.7).
import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, Modal, NativeSelect, NumberInput, ScrollArea, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconClipboardText, IconSend } from '@tabler/icons-react';
import type { UserView } from '../../../../shared/api.ts';
import type { ActionView, FeedbackView } from '../../../../shared/api/results.ts';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import { OUTCOME_ACTIONS, OUTCOME_ACTION_LABELS, type OutcomeAction } from '../../../../shared/domain/vocabularies.ts';
import { ACTION_RECIPIENTS, MARKER_SYSTEMS, RECIPIENT_TYPE_LABELS, REPORT_ACTIONS, RESULTS, RESULTS_NEEDING_REASON, RESULT_LABELS, type DisseminationResult, type RecipientType } from '../../../../shared/domain/dissemination.ts';
import { UNITS } from '../../../../shared/domain/units.ts';
import { call } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { useAction } from '../../api/useSubmit.ts';
import { Problem } from '../Problem.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { GuidanceLink } from '../GuidanceLink.tsx';

const WORK_ROLES = ['analyst', 'duty_manager', 'manager'];

function RecordAction({ record, opened, onClose, onDone }: { record: AllegationRecord; opened: boolean; onClose: () => void; onDone: () => void }) {
  const [action, setAction] = useState<OutcomeAction>('tasked_ice');
  const types = ACTION_RECIPIENTS[action];
  const [recipientType, setRecipientType] = useState<RecipientType>(types[0] as RecipientType);
  const [recipient, setRecipient] = useState('');
  const [recipientUnit, setRecipientUnit] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [agreementRef, setAgreementRef] = useState('');
  const [note, setNote] = useState('');
  const [sentOn, setSentOn] = useState('');
  const chooseAction = (a: OutcomeAction) => {
    setAction(a);
    const t = ACTION_RECIPIENTS[a][0] as RecipientType;
    setRecipientType(t);
    setRecipient(MARKER_SYSTEMS[a] ?? '');
  };
  const sendsReport = REPORT_ACTIONS.includes(action);
  const { busy, error, run: save } = useAction(async () => {
    // An action sent earlier (by phone, before it was recorded) is dated that day at noon; today's is dated now.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const sentAt = sentOn && sentOn !== today ? new Date(`${sentOn}T12:00:00Z`).toISOString() : undefined;
    await call('actions.record', { allegationId: record.id, action, recipientType, recipient, recipientUnit: recipientType === 'other_unit' ? recipientUnit || null : null, legalBasis, agreementRef, note, ...(sentAt ? { sentAt } : {}) });
    onDone();
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Record an action on ${record.reference}`} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Problem error={error} />
        {sendsReport && !record.grading && (
          <Alert color="orange" title="Not graded">
            This action sends the intelligence report, which cannot leave ungraded: grade the allegation first.
          </Alert>
        )}
        <SimpleGrid cols={2}>
          <NativeSelect label="Action" value={action} onChange={(e) => chooseAction(e.currentTarget.value as OutcomeAction)} data={OUTCOME_ACTIONS.map((a) => ({ value: a, label: OUTCOME_ACTION_LABELS[a] }))} />
          <NativeSelect label="Recipient type" value={recipientType} onChange={(e) => setRecipientType(e.currentTarget.value as RecipientType)} data={types.map((t) => ({ value: t, label: RECIPIENT_TYPE_LABELS[t] }))} />
        </SimpleGrid>
        <TextInput label="Recipient" description={recipientType === 'system_marker' ? 'The system the marker is on' : 'The team, unit or organisation, by name (e.g. ICE Birmingham)'} required value={recipient} onChange={(e) => setRecipient(e.currentTarget.value)} />
        {recipientType === 'other_unit' && (
          <NativeSelect label="Unit" value={recipientUnit} onChange={(e) => setRecipientUnit(e.currentTarget.value)} data={[{ value: '', label: 'Choose a unit' }, ...UNITS.filter((u) => u.code !== record.unit).map((u) => ({ value: u.code, label: u.name }))]} />
        )}
        {recipientType === 'other_department' && (
          <SimpleGrid cols={2}>
            <TextInput label="Legal basis" description="The statutory gateway for sharing" required value={legalBasis} onChange={(e) => setLegalBasis(e.currentTarget.value)} />
            <TextInput label="Agreement reference" description="The MoU or agreement it is shared under" required value={agreementRef} onChange={(e) => setAgreementRef(e.currentTarget.value)} />
          </SimpleGrid>
        )}
        <SimpleGrid cols={2}>
          <TextInput label="Sent on" type="date" description="Leave empty for now; give the day if it went earlier" value={sentOn} onChange={(e) => setSentOn(e.currentTarget.value)} />
        </SimpleGrid>
        <Textarea label="Note (optional)" description="Anything the recipient was asked to do, or said" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Text size="xs" c="dimmed">
          {sendsReport ? 'The sanitised intelligence report, with its grading, is built now and kept exactly as sent. ' : ''}The follow-up date is set by rule from the recipient and the risk rating.
        </Text>
        <Group justify="flex-end">
          <Button leftSection={<IconSend size={16} />} loading={busy} onClick={() => void save()}>
            Record action
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RecordResult({ action, opened, onClose, onDone }: { action: ActionView; opened: boolean; onClose: () => void; onDone: () => void }) {
  const marker = action.recipientType === 'system_marker';
  const choices = RESULTS.filter((r) => (marker ? ['marker_placed', 'not_actioned', 'other'].includes(r) : r !== 'marker_placed'));
  const [result, setResult] = useState<DisseminationResult>(choices[0] as DisseminationResult);
  const [detail, setDetail] = useState('');
  const { busy, error, run: save } = useAction(async () => {
    await call('actions.result', { actionId: action.id, result, detail });
    onDone();
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Result from ${action.recipient}`} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Problem error={error} />
        <NativeSelect label="What the recipient did" value={result} onChange={(e) => setResult(e.currentTarget.value as DisseminationResult)} data={choices.map((r) => ({ value: r, label: RESULT_LABELS[r] }))} />
        <Textarea
          label={RESULTS_NEEDING_REASON.includes(result) ? 'Why' : 'Detail'}
          description={RESULTS_NEEDING_REASON.includes(result) ? 'The reason the recipient gave (required)' : 'What happened, as the recipient reported it'}
          required={RESULTS_NEEDING_REASON.includes(result)}
          autosize
          minRows={3}
          value={detail}
          onChange={(e) => setDetail(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button loading={busy} onClick={() => void save()}>
            Record result
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Debrief({ record, actions, opened, onClose, onDone }: { record: AllegationRecord; actions: ActionView[]; opened: boolean; onClose: () => void; onDone: () => void }) {
  const [actionId, setActionId] = useState(actions.find((a) => a.recipientType === 'ice_team')?.id ?? '');
  const [f, setF] = useState({ operationDate: '', officerInCharge: '', premises: '', encountered: '', arrests: 0, observations: '' });
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) => setF({ ...f, [k]: e.currentTarget.value });
  const { busy, error, run: save } = useAction(async () => {
    await call('feedback.debrief', { allegationId: record.id, actionId: actionId || null, debrief: f });
    onDone();
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Debrief of an operation on ${record.reference}`} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Problem error={error} />
        <NativeSelect label="Following the action" value={actionId} onChange={(e) => setActionId(e.currentTarget.value)} data={[{ value: '', label: 'Not tied to an action' }, ...actions.map((a) => ({ value: a.id, label: `${OUTCOME_ACTION_LABELS[a.action]} — ${a.recipient}` }))]} />
        <SimpleGrid cols={2}>
          <TextInput label="Date of the operation" type="date" required value={f.operationDate} onChange={set('operationDate')} />
          <TextInput label="Officer in charge" required value={f.officerInCharge} onChange={set('officerInCharge')} />
        </SimpleGrid>
        <TextInput label="Premises" required value={f.premises} onChange={set('premises')} />
        <Textarea label="Who was encountered" description="Each person and what was found (or that nobody was)" required autosize minRows={2} value={f.encountered} onChange={set('encountered')} />
        <NumberInput label="Arrests" min={0} value={f.arrests} onChange={(v) => setF({ ...f, arrests: Number(v) || 0 })} />
        <Textarea label="What happened" description="Entry, what was seen, what the intelligence got right or wrong, anything for next time (004 §7.3)" required autosize minRows={3} value={f.observations} onChange={set('observations')} />
        <Group justify="flex-end">
          <Button loading={busy} onClick={() => void save()}>
            Attach debrief
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function FeedbackItem({ f }: { f: FeedbackView }) {
  if (f.kind === 'result') return null;
  const d = f.debrief;
  return (
    <Card withBorder padding="xs" bg="gray.0">
      <Text size="sm" fw={600}>
        Debrief: operation of {formatDate(d?.operationDate)} — {d?.officerInCharge}, {d?.premises}
      </Text>
      <Text size="sm">Encountered: {d?.encountered}. Arrests: {d?.arrests}.</Text>
      <Text size="sm" className="record-text">
        {d?.observations}
      </Text>
      <Text size="xs" c="dimmed">
        Recorded by {f.recordedBy}, {formatDateTime(f.recordedAt)}
      </Text>
    </Card>
  );
}

export function ActionsPanel({ record, user }: { record: AllegationRecord; user: UserView }) {
  // Live (api/live.ts): what a dialog records, here or anywhere, shows without asking.
  const { data, error } = useCall('actions.list', { allegationId: record.id });
  const [dialog, setDialog] = useState<null | 'action' | 'debrief' | { result: ActionView } | { sent: ActionView }>(null);
  const canWork = WORK_ROLES.includes(user.role);
  const done = () => setDialog(null);
  if (error) return <Alert color="red">{error.message}</Alert>;
  const actions = data?.actions ?? [];
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="actions-title">
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <IconSend size={16} aria-hidden />
          <Title order={3} size="h5" id="actions-title">
            Actions and results
          </Title>
          <Badge size="sm" variant="light" color="gray">
            {actions.length}
          </Badge>
        </Group>
        <GuidanceLink step="dissemination" />
      </Group>
      {actions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No action recorded. An allegation is actioned only once an action is recorded with its recipient.
        </Text>
      ) : (
        <Table fz="sm" aria-label="Actions" data-testid="actions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Action, recipient</Table.Th>
              <Table.Th>Sent</Table.Th>
              <Table.Th>Follow up by</Table.Th>
              <Table.Th>Result</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {actions.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {OUTCOME_ACTION_LABELS[a.action]}
                  </Text>
                  <Text size="xs">
                    {a.recipient} ({RECIPIENT_TYPE_LABELS[a.recipientType]})
                  </Text>
                  {a.legalBasis && (
                    <Text size="xs" c="dimmed">
                      {a.legalBasis}; {a.agreementRef}
                    </Text>
                  )}
                  {a.reportText && (
                    <Button size="compact-xs" variant="subtle" onClick={() => setDialog({ sent: a })}>
                      What was sent{a.grading ? ` (${a.grading.code})` : ''}
                    </Button>
                  )}
                </Table.Td>
                <Table.Td>
                  {formatDateTime(a.sentAt)}
                  <Text size="xs" c="dimmed">
                    {a.sentBy}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {formatDate(a.followUpDue)}{' '}
                  {a.overdue && (
                    <Badge color="red" size="xs" variant="filled">
                      Overdue
                    </Badge>
                  )}
                  <Text size="xs" c="dimmed">
                    {a.followUpRule}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {a.result ? (
                    <>
                      <Badge color={a.result === 'arrested' || a.result === 'marker_placed' || a.result === 'visited' ? 'teal' : 'gray'} variant="light">
                        {RESULT_LABELS[a.result]}
                      </Badge>
                      <Text size="xs">{a.resultDetail}</Text>
                      <Text size="xs" c="dimmed">
                        {a.resultBy}, {formatDateTime(a.resultAt)}
                      </Text>
                    </>
                  ) : (
                    <Text size="xs" c="dimmed">
                      Awaiting
                    </Text>
                  )}
                  {canWork && (
                    <Button size="compact-xs" variant="light" mt={4} onClick={() => setDialog({ result: a })}>
                      {a.result ? 'Record a later result' : 'Record result'}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {(data?.feedback ?? []).some((f) => f.kind === 'debrief') && (
        <Stack gap="xs" mt="sm">
          <Title order={4} size="h6">
            Feedback from operations
          </Title>
          {(data?.feedback ?? []).map((f) => (
            <FeedbackItem key={f.id} f={f} />
          ))}
        </Stack>
      )}
      {canWork && (
        <Group gap="xs" mt="sm">
          {record.status !== 'closed' && record.status !== 'new' && (
            <Button size="xs" leftSection={<IconSend size={14} />} onClick={() => setDialog('action')}>
              Record action
            </Button>
          )}
          {actions.length > 0 && (
            <Button size="xs" variant="light" leftSection={<IconClipboardText size={14} />} onClick={() => setDialog('debrief')}>
              Attach debrief
            </Button>
          )}
        </Group>
      )}
      {dialog === 'action' && <RecordAction record={record} opened onClose={() => setDialog(null)} onDone={done} />}
      {dialog === 'debrief' && <Debrief record={record} actions={actions} opened onClose={() => setDialog(null)} onDone={done} />}
      {dialog && typeof dialog === 'object' && 'result' in dialog && <RecordResult action={dialog.result} opened onClose={() => setDialog(null)} onDone={done} />}
      {dialog && typeof dialog === 'object' && 'sent' in dialog && (
        <Modal opened onClose={() => setDialog(null)} title={`What was sent to ${dialog.sent.recipient}`} size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
          <Text size="xs" c="dimmed" mb="xs">
            SHA-256 {dialog.sent.reportHash}
          </Text>
          <ScrollArea h={480}>
            <Code block>{dialog.sent.reportText}</Code>
          </ScrollArea>
        </Modal>
      )}
    </Card>
  );
}
