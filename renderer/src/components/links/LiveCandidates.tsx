// Candidates while the form is typed: as soon as a subject, an address, a business or an identifier is entered,
// earlier reports that match are listed (debounced), each with why; "Compare" shows one side by side with what has
// been typed. And the intake warning: saving a new allegation whose best candidate is strong shows it first, and
// going on needs a reason (and, if the person has decided, their judgement), both recorded.
import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Card, Group, Modal, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconUsers } from '@tabler/icons-react';
import type { ApiOutput } from '../../../../shared/api.ts';
import type { CandidateView } from '../../../../shared/api/links.ts';
import type { AllegationForm } from '../../../../shared/schemas/form.ts';
import { call } from '../../api/client.ts';
import { href } from '../../router.ts';
import { Explanation, LabelBadge, SideBySide } from './Comparison.tsx';
import { Busy } from '../Busy.tsx';

const LIVE_MS = 500;
type Live = ApiOutput<'links.draftCandidates'>;

/** Whether the form holds anything matching can use yet. */
export function matchable(form: AllegationForm): boolean {
  return (
    form.subjects.some((s) => s.surname.trim() || s.forename.trim() || s.knownAs.trim()) ||
    form.addresses.some((a) => a.line1.trim() || a.postcode.trim()) ||
    form.businesses.some((b) => b.name.trim()) ||
    form.phones.some((p) => p.number.trim()) ||
    form.emails.some((e) => e.email.trim()) ||
    form.vehicles.some((v) => v.vrm.trim()) ||
    form.travel.some((t) => t.flight.trim())
  );
}

/** Candidates for the form as it stands, a moment after typing stops. */
export function useLiveCandidates(form: AllegationForm, allegationId: string | null): { live: Live | null; busy: boolean } {
  const [live, setLive] = useState<Live | null>(null);
  const [busy, setBusy] = useState(false);
  const has = matchable(form);
  useEffect(() => {
    if (!has) return;
    let current = true;
    const t = setTimeout(() => {
      setBusy(true);
      call('links.draftCandidates', { form, ...(allegationId ? { allegationId } : {}) }).then(
        (r) => {
          if (!current) return;
          setLive(r);
          setBusy(false);
        },
        () => current && setBusy(false),
      );
    }, LIVE_MS);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [form, allegationId, has]);
  return { live: has ? live : null, busy: has && busy };
}

export function LiveCandidates({ live, busy, onCompare }: { live: Live | null; busy: boolean; onCompare: (c: CandidateView) => void }) {
  const shown = live?.candidates.filter((c) => c.suggested || c.score >= 0.2) ?? [];
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="live-candidates-title" data-testid="live-candidates">
      <Group gap={6} mb={4}>
        <IconUsers size={18} aria-hidden />
        <Title order={3} size="h5" id="live-candidates-title">
          Earlier reports that match
        </Title>
        {busy && <Busy size="xs" label="Looking for earlier reports" />}
      </Group>
      <Text size="sm" c="dimmed" aria-live="polite" mb="xs">
        {!live ? 'Type a subject, an address, a business or a phone number: earlier reports of the same people and places show here.' : shown.length === 0 ? 'None so far.' : `${shown.length} earlier ${shown.length === 1 ? 'report matches' : 'reports match'} what you have typed.`}
      </Text>
      <Stack gap="xs">
        {shown.map((c) => (
          <Card key={c.allegationId} withBorder padding="xs" bg={c.score >= (live?.strong ?? 1) ? 'red.0' : undefined}>
            <Text fw={650} size="sm" className="mono">
              {c.reference}
            </Text>
            <LabelBadge label={c.label} score={c.score} />
            <Text size="xs" mt={2}>
              {c.side.subjects.map((s) => s.name).join('; ') || c.side.businesses[0] || c.side.addresses[0] || ''}
            </Text>
            <Text size="xs" c="dimmed">
              {c.summary}
            </Text>
            <Group gap="xs" mt={4}>
              <Button size="compact-xs" variant="light" onClick={() => onCompare(c)}>
                Compare {c.reference}
              </Button>
              <Anchor size="xs" href={href({ name: 'allegation', reference: c.reference })} target="_blank">
                Open in a new window
              </Anchor>
            </Group>
          </Card>
        ))}
      </Stack>
    </Card>
  );
}

export function CompareModal({ live, candidate, onClose }: { live: Live | null; candidate: CandidateView | null; onClose: () => void }) {
  return (
    <Modal closeButtonProps={{ "aria-label": "Close" }} opened={candidate !== null && live !== null} onClose={onClose} title={candidate ? `What you are typing and ${candidate.reference}` : ''} size="80rem">
      {candidate && live && (
        <Stack>
          <LabelBadge label={candidate.label} score={candidate.score} />
          <SideBySide current={live.current} candidate={candidate.side} explanation={candidate.explanation} currentTitle="This form" />
          <Explanation lines={candidate.explanation} />
          <Text size="sm" c="dimmed">
            Your form is kept as a draft. Once it is saved, you can record a judgement on this pair in the duplicate/link panel.
          </Text>
        </Stack>
      )}
    </Modal>
  );
}

export type WarningAnswer = { candidateId: string; choice: 'duplicate' | 'associated' | 'not_a_match' | 'undecided'; reason: string };

/** Shown on saving when the best candidate is strong: the candidate first; going on needs a reason. */
export function IntakeWarning({ live, candidate, busy, error, onBack, onSave }: { live: Live | null; candidate: CandidateView | null; busy: boolean; error: string | null; onBack: () => void; onSave: (a: WarningAnswer) => void }) {
  const [choice, setChoice] = useState<WarningAnswer['choice']>('undecided');
  const [reason, setReason] = useState('');
  const ok = reason.trim().length >= 5;
  return (
    <Modal closeButtonProps={{ "aria-label": "Close" }} opened={candidate !== null} onClose={onBack} title={candidate ? `Before saving: ${candidate.reference} looks like ${candidate.label === 'likely_duplicate' ? 'the same allegation' : 'a linked allegation'}` : ''} size="80rem">
      {candidate && live && (
        <Stack>
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={`${candidate.reference} is a strong candidate`}>
            <Group gap="xs">
              <LabelBadge label={candidate.label} score={candidate.score} />
              <Text size="sm">{candidate.summary}</Text>
            </Group>
            <Text size="sm" mt={4}>
              Look at it before saving: nearly a quarter of allegations in one inspection sample were duplicates nobody noticed. To save anyway, say why.
            </Text>
          </Alert>
          <SideBySide current={live.current} candidate={candidate.side} explanation={candidate.explanation} currentTitle="This form" />
          <Explanation lines={candidate.explanation} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Radio.Group label={`What is ${candidate.reference} to this allegation?`} value={choice} onChange={(v) => setChoice(v as WarningAnswer['choice'])}>
            <Stack gap={6} mt={6}>
              <Radio value="undecided" label="Not sure yet — save, and decide in the duplicate/link panel" />
              <Radio value="duplicate" label="Same allegation (duplicate) — save it linked as a duplicate" />
              <Radio value="associated" label="Associated — same subject, address or business, a different report" />
              <Radio value="not_a_match" label="Not a match" />
            </Stack>
          </Radio.Group>
          <Textarea label="Reason for saving" description="Recorded with the new allegation and in the audit log" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onBack}>
              Back to the form
            </Button>
            <Button loading={busy} disabled={!ok} onClick={() => onSave({ candidateId: candidate.allegationId, choice, reason: reason.trim() })}>
              Save with this reason
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
