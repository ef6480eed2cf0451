// The end of assessment on an allegation: background checks (which system, when, by whom, the result), what an
// outcome still needs (the same rules the core enforces, shared/domain/outcome.ts), the outcome itself, and the
// compliance officer's sign-off with evidence of what was checked, which alone closes the case.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, List, Modal, NativeSelect, Radio, SimpleGrid, Stack, Table, Text, Textarea, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconClipboardList, IconGavel, IconSearch, IconShieldCheck, IconX } from '@tabler/icons-react';
import type { UserView } from '../../../../shared/api.ts';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import {
  CHECK_SYSTEMS,
  CHECK_SYSTEM_LABELS,
  NFA_REASONS,
  NFA_REASON_LABELS,
  OUTCOME_ACTION_LABELS,
  OUTCOME_LABELS,
  OUTCOMES,
  type CheckSystem,
  type NfaReason,
  type Outcome,
} from '../../../../shared/domain/vocabularies.ts';
import { CHECK_FINDINGS, CHECK_FINDING_LABELS, HOME_OFFICE_SYSTEMS, SIGNOFF_EVIDENCE, SIGNOFF_EVIDENCE_LABELS, type CheckFinding, type SignoffEvidence } from '../../../../shared/domain/outcome.ts';
import { call } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { useAction } from '../../api/useSubmit.ts';
import { Problem } from '../Problem.tsx';
import { formatDateTime, plural } from '../../format.ts';
import { GuidanceLink } from '../GuidanceLink.tsx';

const CHECK_ROLES = ['analyst', 'duty_manager', 'compliance_officer', 'manager'];

function AddCheck({ record, onAdded }: { record: AllegationRecord; onAdded: () => void }) {
  const [system, setSystem] = useState<CheckSystem>('cid_atlas');
  const [subjectId, setSubjectId] = useState('');
  const [finding, setFinding] = useState<CheckFinding>('no_trace');
  const [result, setResult] = useState('');
  const { busy, error, run: add } = useAction(async () => {
    await call('checks.add', { allegationId: record.id, system, subjectId: subjectId || null, finding, result });
    setResult('');
    onAdded();
  });
  return (
    <Stack gap="xs" component="form" onSubmit={(e) => { e.preventDefault(); void add(); }} aria-label="Record a background check">
      <Problem error={error} />
      <SimpleGrid cols={3} spacing="xs">
        <NativeSelect label="System" value={system} onChange={(e) => setSystem(e.currentTarget.value as CheckSystem)} data={CHECK_SYSTEMS.map((s) => ({ value: s, label: CHECK_SYSTEM_LABELS[s] }))} />
        <NativeSelect
          label="On"
          value={subjectId}
          onChange={(e) => setSubjectId(e.currentTarget.value)}
          data={[{ value: '', label: 'The allegation (addresses, business)' }, ...record.subjects.map((s) => ({ value: s.id, label: [s.forename, s.surname].filter(Boolean).join(' ') || s.knownAs || 'Unnamed subject' }))]}
        />
        <NativeSelect label="Finding" value={finding} onChange={(e) => setFinding(e.currentTarget.value as CheckFinding)} data={CHECK_FINDINGS.map((f) => ({ value: f, label: CHECK_FINDING_LABELS[f] }))} />
      </SimpleGrid>
      <TextInput label="Result" description="What the check found (recorded with your name and the time)" value={result} onChange={(e) => setResult(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button size="xs" type="submit" loading={busy} leftSection={<IconSearch size={14} />}>
          Record check
        </Button>
      </Group>
    </Stack>
  );
}

function OutcomeDialog({ record, opened, onClose, onDone, originals }: { record: AllegationRecord; opened: boolean; onClose: () => void; onDone: () => void; originals: Array<{ allegationId: string; reference: string }> }) {
  const recorded = [...new Set((useCall('actions.list', opened ? { allegationId: record.id } : null).data?.actions ?? []).map((a) => a.action))];
  const [outcome, setOutcome] = useState<Outcome>('nfa_non_actionable');
  const [nfaReason, setNfaReason] = useState<NfaReason>('insufficient_information');
  const [duplicateOf, setDuplicateOf] = useState<string>('');
  const [rationale, setRationale] = useState('');
  const { busy, error, run: save } = useAction(async () => {
    await call('allegations.outcome', {
      id: record.id,
      outcome,
      actions: [],
      nfaReason: outcome === 'nfa_non_actionable' ? nfaReason : null,
      duplicateOf: outcome === 'nfa_non_actionable' && nfaReason === 'duplicate' ? duplicateOf || (originals[0]?.allegationId ?? null) : null,
      rationale,
    });
    onDone();
  });
  return (
    <Modal closeButtonProps={{ "aria-label": "Close" }} opened={opened} onClose={onClose} title={`Outcome for ${record.reference}`} size="lg">
      <Stack>
        <Problem error={error} />
        <Radio.Group label="Outcome" value={outcome} onChange={(v) => setOutcome(v as Outcome)}>
          <Stack gap={6} mt={6}>
            {OUTCOMES.map((o) => (
              <Radio key={o} value={o} label={OUTCOME_LABELS[o]} description={o === 'actioned' ? 'At least one action' : o === 'nfa_actionable' ? 'Enough to act, not enough priority' : 'Duplicate, insufficient information, offence unclear, or valid leave'} />
            ))}
          </Stack>
        </Radio.Group>
        {outcome === 'actioned' &&
          (recorded.length ? (
            <Text size="sm">
              Actions recorded with their recipients: {recorded.map((a) => OUTCOME_ACTION_LABELS[a]).join(', ')}. They are kept with the outcome.
            </Text>
          ) : (
            <Text size="sm" c="red.9">
              No action is recorded yet: record who it was sent to in the Actions panel first (an allegation is not actioned until an action exists).
            </Text>
          ))}
        {outcome === 'nfa_non_actionable' && (
          <NativeSelect label="Why not actionable" value={nfaReason} onChange={(e) => setNfaReason(e.currentTarget.value as NfaReason)} data={NFA_REASONS.map((r) => ({ value: r, label: NFA_REASON_LABELS[r] }))} />
        )}
        {outcome === 'nfa_non_actionable' && nfaReason === 'duplicate' &&
          (originals.length ? (
            <NativeSelect label="Original (linked, received earlier)" value={duplicateOf || originals[0]?.allegationId} onChange={(e) => setDuplicateOf(e.currentTarget.value)} data={originals.map((o) => ({ value: o.allegationId, label: o.reference }))} />
          ) : (
            <Text size="sm" c="red.9">
              No linked original: judge the earlier allegation “same allegation (duplicate)” in the duplicate/link panel first.
            </Text>
          ))}
        <Textarea label="Rationale" description="Why this outcome: kept with the decision for the compliance officer" required autosize minRows={3} value={rationale} onChange={(e) => setRationale(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Record outcome
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function SignOffDialog({ record, opened, onClose, onDone }: { record: AllegationRecord; opened: boolean; onClose: () => void; onDone: () => void }) {
  const [evidence, setEvidence] = useState<SignoffEvidence[]>([]);
  const [note, setNote] = useState('');
  const { busy, error, run: decide } = useAction(async (decision: 'approve' | 'return') => {
    await call('allegations.signOff', { id: record.id, decision, evidence, note });
    onDone();
  });
  return (
    <Modal closeButtonProps={{ "aria-label": "Close" }} opened={opened} onClose={onClose} title={`Compliance check of ${record.reference}`} size="lg">
      <Stack>
        <Problem error={error} />
        <Checkbox.Group label="What you checked" description="Approving needs every item; the list is kept as the evidence of compliance (000 §4.39)" value={evidence} onChange={(v) => setEvidence(v as SignoffEvidence[])}>
          <Stack gap={4} mt={6}>
            {SIGNOFF_EVIDENCE.map((e) => (
              <Checkbox key={e} value={e} label={SIGNOFF_EVIDENCE_LABELS[e]} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Textarea label="Note" description="Required to return the case: say what needs putting right" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" color="orange" loading={busy} onClick={() => void decide('return')}>
            Return to the analyst
          </Button>
          <Button loading={busy} leftSection={<IconShieldCheck size={16} />} onClick={() => void decide('approve')}>
            Approve and close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function AssessmentPanel({ record, user }: { record: AllegationRecord; user: UserView }) {
  const { data: wf, error } = useCall('allegations.workflow', { allegationId: record.id });
  const [dialog, setDialog] = useState<null | 'outcome' | 'signoff'>(null);
  const [adding, setAdding] = useState(false);

  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!wf) return null;
  const canCheck = CHECK_ROLES.includes(user.role) && record.status !== 'closed';
  const canChoose = CHECK_ROLES.includes(user.role) && ['triaged', 'in_research', 'with_ice'].includes(record.status);
  const ready = wf.requirements.every((r) => r.met);
  // An outcome imported with the record (no decision made here).
  const legacy = !wf.current && ['actioned', 'nfa', 'closed'].includes(wf.status);
  const homeOffice = wf.checks.filter((c) => HOME_OFFICE_SYSTEMS.includes(c.system)).length;
  const done = () => setDialog(null);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="assessment-title">
      <Group gap={6} mb="sm">
        <IconGavel size={16} aria-hidden />
        <Title order={3} size="h5" id="assessment-title">
          Checks and outcome
        </Title>
        <GuidanceLink step={record.status === 'actioned' || record.status === 'nfa' ? 'compliance' : wf.checks.length || wf.review ? 'outcomes' : 'checks'} />
      </Group>
      <Stack gap="sm">
        {legacy && (
          <Text size="sm" c="dimmed">
            {record.outcome ? `${OUTCOME_LABELS[record.outcome]}${record.nfaReason ? ` — ${NFA_REASON_LABELS[record.nfaReason]}` : ''}: ` : ''}
            the outcome came with the record from the legacy system; its checks and sign-off are recorded there.
          </Text>
        )}
        {!wf.current && !legacy && (
        <div>
          <Title order={4} size="h6" mb={4}>
            Before an outcome
          </Title>
          <List spacing={4} size="sm" aria-label="What an outcome needs" data-testid="outcome-requirements">
            {wf.requirements.map((r) => (
              <List.Item
                key={r.key}
                icon={
                  <ThemeIcon size={18} radius="xl" variant="light" color={r.met ? 'teal' : 'red'} aria-hidden>
                    {r.met ? <IconCheck size={12} /> : <IconX size={12} />}
                  </ThemeIcon>
                }
              >
                <Text size="sm" span>
                  <Text span fw={600} size="sm">
                    {r.met ? 'Done: ' : 'Needed: '}
                  </Text>
                  {r.text}
                </Text>
              </List.Item>
            ))}
          </List>
          {wf.review && (
            <Text size="xs" c="dimmed" mt={4}>
              Cross-check recorded by {wf.review.reviewedBy} on {formatDateTime(wf.review.reviewedAt)} ({plural(wf.review.candidates, 'candidate')} on the panel then).
            </Text>
          )}
        </div>
        )}

        {wf.current && (
          <Alert color={wf.status === 'closed' ? 'gray' : 'teal'} title={`${OUTCOME_LABELS[wf.current.outcome]}${wf.current.nfaReason ? ` — ${NFA_REASON_LABELS[wf.current.nfaReason]}` : ''}`} icon={<IconClipboardList size={18} />}>
            <Text size="sm">
              {wf.current.actions.map((a) => OUTCOME_ACTION_LABELS[a.action]).join(', ')}
              {wf.current.duplicateOf ? `Duplicate of ${wf.current.duplicateOf.reference}. ` : ''}“{wf.current.rationale}” — {wf.current.decidedBy}, {formatDateTime(wf.current.decidedAt)}.
            </Text>
            <Text size="sm" mt={4}>
              {wf.current.signOff
                ? `${wf.current.signOff.decision === 'approved' ? 'Approved and closed' : 'Returned'} by ${wf.current.signOff.decidedBy} on ${formatDateTime(wf.current.signOff.decidedAt)}${wf.current.signOff.note ? `: ${wf.current.signOff.note}` : ''}.`
                : 'Awaiting the compliance officer.'}
            </Text>
          </Alert>
        )}
        {wf.history.filter((h) => h.signOff?.decision === 'returned').map((h) => (
          <Text size="xs" c="dimmed" key={h.id}>
            Earlier outcome {OUTCOME_LABELS[h.outcome]} ({h.decidedBy}, {formatDateTime(h.decidedAt)}) returned by {h.signOff?.decidedBy}: {h.signOff?.note}
          </Text>
        ))}

        <Group gap="xs">
          {canChoose && (
            <Button size="xs" leftSection={<IconGavel size={14} />} onClick={() => setDialog('outcome')} variant={ready ? 'filled' : 'light'}>
              Record outcome
            </Button>
          )}
          {user.role === 'compliance_officer' && wf.current && (record.status === 'actioned' || record.status === 'nfa') && (
            <Button size="xs" leftSection={<IconShieldCheck size={14} />} onClick={() => setDialog('signoff')}>
              Compliance sign-off
            </Button>
          )}
        </Group>

        <div>
          <Group justify="space-between" mb={4}>
            <Title order={4} size="h6">
              Background checks{' '}
              <Badge size="sm" variant="light" color={homeOffice ? 'teal' : wf.fullName || wf.fullAddress ? 'red' : 'gray'}>
                {homeOffice} on Home Office systems
              </Badge>
            </Title>
            {canCheck && (
              <Button size="compact-xs" variant="subtle" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
                {adding ? 'Close' : 'Record a check'}
              </Button>
            )}
          </Group>
          {wf.checks.length === 0 ? (
            <Text size="sm" c="dimmed">
              No checks recorded.
            </Text>
          ) : (
            <Table fz="sm" aria-label="Background checks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>System</Table.Th>
                  <Table.Th>Finding</Table.Th>
                  <Table.Th>By, when</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {wf.checks.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      {CHECK_SYSTEM_LABELS[c.system]}
                      {c.subjectName && (
                        <Text size="xs" c="dimmed">
                          on {c.subjectName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {CHECK_FINDING_LABELS[c.finding]}
                      <Text size="xs">{c.result}</Text>
                    </Table.Td>
                    <Table.Td>
                      {c.doneBy}
                      <Text size="xs" c="dimmed">
                        {formatDateTime(c.doneAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {adding && canCheck && (
            <Card withBorder padding="sm" mt="xs" bg="gray.0">
              <AddCheck
                record={record}
                onAdded={() => setAdding(false)}
              />
            </Card>
          )}
        </div>
      </Stack>
      <OutcomeDialog key={`o${dialog}`} record={record} opened={dialog === 'outcome'} onClose={() => setDialog(null)} onDone={done} originals={wf.originals} />
      <SignOffDialog key={`s${dialog}`} record={record} opened={dialog === 'signoff'} onClose={() => setDialog(null)} onDone={done} />
    </Card>
  );
}
