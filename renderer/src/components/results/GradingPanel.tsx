// The allegation's 3x5x2 grading and harm rating: shown as the report prints it, recorded or changed in a dialog
// (GradingFields.tsx) that says what each grade means and refuses a C without its conditions (shared/domain/grading.ts). The harm
// suggests the risk rating the service standard follows.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconScale } from '@tabler/icons-react';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import type { UserView } from '../../../../shared/api.ts';
import { gradingCode, HARM_LABELS, HANDLING_CODE_LABELS, INTELLIGENCE_ASSESSMENT_LABELS, SOURCE_EVALUATION_LABELS, suggestedRiskRating } from '../../../../shared/domain/grading.ts';
import { RISK_RATING_LABELS } from '../../../../shared/domain/vocabularies.ts';
import { call, CallError } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { GuidanceLink } from '../GuidanceLink.tsx';
import { draftOf, draftProblems, GradingFields, gradingOf, type GradingDraft } from './GradingFields.tsx';

const GRADE_ROLES = ['analyst', 'duty_manager', 'compliance_officer', 'manager'];

function GradingDialog({ record, opened, onClose, onDone }: { record: AllegationRecord; opened: boolean; onClose: () => void; onDone: (r: AllegationRecord) => void }) {
  const [draft, setDraft] = useState<GradingDraft>(draftOf(record.grading));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = draftProblems(draft);
  async function save() {
    setBusy(true);
    setError(null);
    try {
      const grading = gradingOf(draft);
      if (!grading) throw new Error(problems[0]?.message ?? 'Complete the grading');
      onDone(await call('allegations.grade', { id: record.id, ...grading }));
    } catch (e) {
      setError(e instanceof CallError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened={opened} onClose={onClose} title={`Grade ${record.reference}`} size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {error}
          </Alert>
        )}
        <GradingFields value={draft} onChange={setDraft} />
        {draft.harm && (
          <Text size="sm">
            Suggested risk rating for this harm: <b>{RISK_RATING_LABELS[suggestedRiskRating(draft.harm, record.timeCritical)]}</b>
            {record.riskRating ? ` (recorded: ${RISK_RATING_LABELS[record.riskRating]})` : ''}.
          </Text>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {problems[0]?.message ?? 'Recorded with your name and the time; a change keeps what it replaced in the history.'}
          </Text>
          <Button loading={busy} onClick={() => void save()} disabled={problems.length > 0}>
            Record grading
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function GradingPanel({ record, user }: { record: AllegationRecord; user: UserView }) {
  const [open, setOpen] = useState(false);
  const g = record.grading;
  const canGrade = GRADE_ROLES.includes(user.role) && record.status !== 'closed';
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="grading-title">
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <IconScale size={16} aria-hidden />
          <Title order={3} size="h5" id="grading-title">
            Grading
          </Title>
          {g ? (
            <Badge variant="light" color="indigo" size="lg" data-testid="grading-code">
              {gradingCode(g)}
            </Badge>
          ) : (
            <Badge variant="light" color="orange">
              Not graded
            </Badge>
          )}
        </Group>
        <GuidanceLink step="grading" />
      </Group>
      {g ? (
        <Stack gap={2}>
          <Text size="sm">
            {SOURCE_EVALUATION_LABELS[g.source]} · {INTELLIGENCE_ASSESSMENT_LABELS[g.intelligence]} · {HANDLING_CODE_LABELS[g.handling]}
          </Text>
          {g.handling === 'C' && <Text size="sm">Conditions: {g.conditions}</Text>}
          <Text size="sm">{HARM_LABELS[g.harm]}</Text>
          <Text size="xs" c="dimmed">
            Graded by {g.gradedBy}, {formatDateTime(g.gradedAt)}
          </Text>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Grade the allegation on assessment: its report cannot be sent until it is graded.
        </Text>
      )}
      {canGrade && (
        <Button size="xs" mt="sm" variant={g ? 'light' : 'filled'} onClick={() => setOpen(true)}>
          {g ? 'Change grading' : 'Grade'}
        </Button>
      )}
      <GradingDialog
        key={`${open}:${record.updatedAt}`}
        record={record}
        opened={open}
        onClose={() => setOpen(false)}
        // The record on screen is live (api/live.ts): the grading shows as soon as it is stored.
        onDone={() => setOpen(false)}
      />
    </Card>
  );
}
