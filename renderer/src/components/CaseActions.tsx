// What a person can do to an allegation from its record: amend the form, allocate, record the initial
// assessment (with its 3x5x2 grading), reallocate to another unit, decide on the time-critical flag, append a note. Each asks for what
// the record must keep (a reason, a rating) and says clearly when it cannot be done.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Fieldset, Group, Modal, Radio, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconAlarm, IconArrowsExchange, IconClipboardCheck, IconFileReport, IconNote, IconPencil, IconUserCheck } from '@tabler/icons-react';
import type { AllegationRecord } from '../../../shared/schemas/record.ts';
import type { UserView } from '../../../shared/api.ts';
import { RISK_RATINGS, RISK_RATING_LABELS, type RiskRating } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { call } from '../api/client.ts';
import { useAction } from '../api/useSubmit.ts';
import { Problem } from './Problem.tsx';
import { draftProblems, EMPTY_GRADING, GradingFields, gradingOf, isEmptyDraft, type GradingDraft } from './results/GradingFields.tsx';
import { suggestedRiskRating } from '../../../shared/domain/grading.ts';
import { navigate } from '../router.ts';
import { formatDate } from '../format.ts';
import { NoteDialog } from './notes/NoteDialog.tsx';
import { evidenceExcerpt } from '../../../shared/domain/evidence-excerpt.ts';

/** Who may take a case out of the duty intelligence manager's queue (the core enforces the same). */
const DISMISSING_ROLES: readonly string[] = ['duty_manager', 'manager'];

type Dialog = null | 'assess' | 'reallocate' | 'note' | 'confirm' | 'dismiss';

function ActionModal({ title, opened, onClose, children, size = 'lg' }: { title: string; opened: boolean; onClose: () => void; children: ReactNode; size?: string }) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} closeButtonProps={{ 'aria-label': 'Close' }}>
      {children}
    </Modal>
  );
}

export function CaseActions({ record, user }: { record: AllegationRecord; user: UserView }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [rating, setRating] = useState<RiskRating>('thirty_days');
  const [text, setText] = useState('');
  const [unit, setUnit] = useState<string | null>(null);
  const [grading, setGrading] = useState<GradingDraft>(EMPTY_GRADING);
  // Grading on assessment is offered, not forced: an empty grading is left for later, a partial one must be finished.
  const gradingProblem = isEmptyDraft(grading) ? null : (draftProblems(grading)[0]?.message ?? null);
  const closed = record.status === 'closed';
  const mine = record.allocatedTo.some((a) => a.userId === user.id);

  const { busy, error, setError, run } = useAction(async (action: () => Promise<AllegationRecord>) => {
    await action();
    setDialog(null);
  });

  const [routesTo, setRoutesTo] = useState<{ unit: string; unitName: string; reason: string } | null>(null);
  const open = (d: Dialog) => {
    setError(null);
    setText('');
    if (d === 'assess') setGrading(EMPTY_GRADING);
    setDialog(d);
    if (d === 'reallocate') {
      // Where the record's own postcode routes it: suggested first (a NAT case that gained a Leeds postcode).
      setRoutesTo(null);
      void call('allegations.form', { id: record.id })
        .then((f) => call('intake.preview', { form: f.form, attachments: f.attachments }))
        .then((p) => {
          if (p.routing.unit !== record.unit) {
            setRoutesTo(p.routing);
            setUnit((u) => u ?? p.routing.unit);
          }
        })
        .catch(() => undefined);
    }
  };

  const tc = record.timeCriticalDetail;
  return (
    <>
      <Group gap="xs" role="toolbar" aria-label="Actions on this allegation">
        {!closed && (
          <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} onClick={() => navigate({ name: 'edit', reference: record.reference })}>
            Amend form
          </Button>
        )}
        {!closed && !mine && (
          <Button size="xs" variant="light" leftSection={<IconUserCheck size={14} />} loading={busy && dialog === null} onClick={() => void run(() => call('allegations.allocate', { id: record.id }))}>
            Allocate to me
          </Button>
        )}
        {record.status === 'new' && ['analyst', 'duty_manager', 'manager'].includes(user.role) && (
          <Button size="xs" leftSection={<IconClipboardCheck size={14} />} onClick={() => open('assess')}>
            Record assessment
          </Button>
        )}
        {!closed && (
          <Button size="xs" variant="light" leftSection={<IconArrowsExchange size={14} />} onClick={() => open('reallocate')}>
            Reallocate
          </Button>
        )}
        {tc?.state === 'detected' && !closed && (
          <>
            <Button size="xs" color="red" leftSection={<IconAlarm size={14} />} onClick={() => open('confirm')}>
              Confirm time-critical
            </Button>
            {DISMISSING_ROLES.includes(user.role) && (
              <Button size="xs" variant="light" color="gray" onClick={() => open('dismiss')}>
                Dismiss flag
              </Button>
            )}
          </>
        )}
        <Button size="xs" variant="light" leftSection={<IconNote size={14} />} onClick={() => open('note')}>
          Add note
        </Button>
        {['analyst', 'duty_manager', 'compliance_officer', 'manager', 'nsu', 'admin'].includes(user.role) && (
          <Button size="xs" variant="light" leftSection={<IconFileReport size={14} />} onClick={() => navigate({ name: 'report', reference: record.reference })}>
            Intelligence report
          </Button>
        )}
      </Group>
      {dialog === null && <Problem error={error} />}

      <ActionModal title={`Initial assessment of ${record.reference}`} opened={dialog === 'assess'} onClose={() => setDialog(null)} size="xl">
        <Stack>
          <Problem error={error} />
          <Radio.Group label="Risk rating" description="Sets the next service standard" value={rating} onChange={(v) => setRating(v as RiskRating)}>
            <Stack gap={6} mt={6}>
              {RISK_RATINGS.map((r) => (
                <Radio key={r} value={r} label={RISK_RATING_LABELS[r]} />
              ))}
            </Stack>
          </Radio.Group>
          <Fieldset legend="Grading (3x5x2) and harm">
            <Stack gap="xs">
              <Text size="xs" c="dimmed">
                Grade it now, or later from the Grading panel: its report cannot be sent until it is graded.
              </Text>
              <GradingFields value={grading} onChange={setGrading} />
              {grading.harm && (
                <Text size="sm">
                  Suggested risk rating for this harm: <b>{RISK_RATING_LABELS[suggestedRiskRating(grading.harm, record.timeCritical)]}</b>.
                </Text>
              )}
            </Stack>
          </Fieldset>
          <Textarea label="Assessment note (optional)" autosize minRows={3} value={text} onChange={(e) => setText(e.currentTarget.value)} />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {gradingProblem ?? (isEmptyDraft(grading) ? 'Not graded yet.' : 'Assessed and graded in one step, with your name and the time.')}
            </Text>
            <Button
              loading={busy}
              disabled={gradingProblem !== null}
              onClick={() => void run(() => call('allegations.assess', { id: record.id, riskRating: rating, note: text, ...(isEmptyDraft(grading) ? {} : { grading: gradingOf(grading) ?? undefined }) }))}
            >
              Record assessment
            </Button>
          </Group>
        </Stack>
      </ActionModal>

      <ActionModal title={`Reallocate ${record.reference}`} opened={dialog === 'reallocate'} onClose={() => setDialog(null)}>
        <Stack>
          <Problem error={error} />
          <Text size="sm">Now with {unitName(record.unit)}. The move and its reason are kept in the routing history.</Text>
          {routesTo && (
            <Alert color="indigo" variant="light" p="xs" title={`Its postcode routes to ${routesTo.unitName}`}>
              <Text size="sm">{routesTo.reason}. Chosen below; choose another unit if it belongs elsewhere.</Text>
            </Alert>
          )}
          <Select label="New unit" searchable data={UNITS.filter((u) => u.code !== record.unit).map((u) => ({ value: u.code, label: u.name }))} value={unit} onChange={setUnit} />
          <Textarea label="Reason" required autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button loading={busy} disabled={!unit} onClick={() => unit && void run(() => call('allegations.reallocate', { id: record.id, unit, reason: text }))}>
              Reallocate
            </Button>
          </Group>
        </Stack>
      </ActionModal>

      <ActionModal title={dialog === 'confirm' ? 'Confirm time-critical' : 'Dismiss the time-critical flag'} opened={dialog === 'confirm' || dialog === 'dismiss'} onClose={() => setDialog(null)}>
        <Stack>
          <Problem error={error} />
          {tc && (
            <Text size="sm">
              Detected: {tc.evidence[0]?.event} on {formatDate(tc.deadline)} — “{evidenceExcerpt(tc.evidence[0]?.sentence ?? '', tc.evidence[0]?.text ?? '')}”
            </Text>
          )}
          <Textarea label="Reason" required autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button
              color={dialog === 'confirm' ? 'red' : 'gray'}
              loading={busy}
              onClick={() => void run(() => call('allegations.timeCritical', { id: record.id, decision: dialog === 'confirm' ? 'confirm' : 'dismiss', reason: text }))}
            >
              {dialog === 'confirm' ? 'Confirm' : 'Dismiss'}
            </Button>
          </Group>
        </Stack>
      </ActionModal>

      <NoteDialog key={dialog === 'note' ? 'open' : 'closed'} record={record} amends={null} opened={dialog === 'note'} onClose={() => setDialog(null)} />
    </>
  );
}
