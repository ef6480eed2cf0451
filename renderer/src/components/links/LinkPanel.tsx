// The duplicate/link panel on an allegation: candidates side by side with this record, each with why it was
// proposed and buttons to judge it (with a reason); the judgements in force, shown on both records; the group
// of linked records and its link chart; and the cross-check review an outcome needs. The system proposes, a
// person decides (000 §4.13).
import { useState } from 'react';
import { Accordion, Alert, Anchor, Badge, Button, Card, Group, Modal, Radio, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { IconAlertCircle, IconChecklist, IconGitMerge, IconLink, IconShare } from '@tabler/icons-react';
import type { ApiOutput, UserView } from '../../../../shared/api.ts';
import type { CandidateView, JudgementView, LinkSide } from '../../../../shared/api/links.ts';
import type { LinkJudgement } from '../../../../shared/domain/vocabularies.ts';
import { STATUS_LABELS } from '../../../../shared/domain/vocabularies.ts';
import { call, CallError } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { href } from '../../router.ts';
import { formatDateTime, plural } from '../../format.ts';
import { Explanation, JUDGEMENT_COLOUR, JUDGEMENT_TEXT, LabelBadge, scoreText, SideBySide } from './Comparison.tsx';
import { LinkChart } from './LinkChart.tsx';
import { Busy } from '../Busy.tsx';
import { MarkedText } from '../MarkedText.tsx';

const JUDGING_ROLES = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager'];

export function JudgeDialog({
  allegationId,
  candidate,
  initial,
  onClose,
  onJudged,
}: {
  allegationId: string;
  candidate: { allegationId: string; reference: string } | null;
  initial: LinkJudgement;
  onClose: () => void;
  onJudged: (j: JudgementView) => void;
}) {
  const [judgement, setJudgement] = useState<LinkJudgement>(initial);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function save() {
    if (!candidate) return;
    setBusy(true);
    setError(null);
    try {
      onJudged(await call('links.judge', { allegationId, otherId: candidate.allegationId, judgement, reason }));
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal closeButtonProps={{ "aria-label": "Close" }} opened={candidate !== null} onClose={onClose} title={candidate ? `Judge ${candidate.reference}` : ''} size="lg">
      <Stack>
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {error}
          </Alert>
        )}
        <Radio.Group label="What is it to this record?" value={judgement} onChange={(v) => setJudgement(v as LinkJudgement)}>
          <Stack gap={6} mt={6}>
            <Radio value="duplicate" label="Same allegation (duplicate)" description="The same report about the same thing, received again" />
            <Radio value="associated" label="Associated" description="Same subject, address or business — a different report" />
            <Radio value="not_a_match" label="Not a match" description="Not proposed again unless new evidence raises the score" />
          </Stack>
        </Radio.Group>
        <Textarea label="Reason" description="Kept with the judgement, on both records and in the audit log" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Record judgement
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CandidateItem({ c, current, canJudge, onJudge }: { c: CandidateView; current: LinkSide; canJudge: boolean; onJudge: (c: CandidateView, j: LinkJudgement) => void }) {
  return (
    <Accordion.Item value={c.allegationId}>
      <Accordion.Control aria-label={`${c.reference}: ${c.label.replace('_', ' ')}, ${Math.round(c.score * 100)}% — ${c.summary}`}>
        <Group gap="sm" wrap="nowrap">
          <Text fw={650} className="mono" size="sm" style={{ whiteSpace: 'nowrap' }}>
            {c.reference}
          </Text>
          <LabelBadge label={c.label} score={c.score} />
          {c.reproposed && (
            <Badge color="yellow" variant="light" size="sm">
              Back after “not a match”: new evidence
            </Badge>
          )}
          <Text size="sm" c="dimmed" lineClamp={1}>
            {c.summary}
          </Text>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="sm">
          {c.judgement && (
            <Text size="sm">
              Judged “{JUDGEMENT_TEXT[c.judgement.judgement].toLowerCase()}” by {c.judgement.decidedBy} on {formatDateTime(c.judgement.decidedAt)} at score {c.judgement.score?.toFixed(2) ?? '—'}: {c.judgement.reason}
            </Text>
          )}
          <SideBySide current={current} candidate={c.side} explanation={c.explanation} />
          <div>
            <Title order={4} size="h6" mb={4}>
              Why it was proposed
            </Title>
            <Explanation lines={c.explanation} />
          </div>
          <Group gap="xs">
            {canJudge ? (
              <>
                <Button size="xs" color="red" variant="light" onClick={() => onJudge(c, 'duplicate')}>
                  Same allegation (duplicate)
                </Button>
                <Button size="xs" color="orange" variant="light" onClick={() => onJudge(c, 'associated')}>
                  Associated
                </Button>
                <Button size="xs" color="gray" variant="light" onClick={() => onJudge(c, 'not_a_match')}>
                  Not a match
                </Button>
              </>
            ) : (
              <Text size="xs" c="dimmed">
                Your role cannot record judgements.
              </Text>
            )}
            <Anchor href={href({ name: 'allegation', reference: c.reference })} size="sm" ml="auto">
              Open {c.reference}
            </Anchor>
          </Group>
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

export function JudgementList({ judgements, empty }: { judgements: JudgementView[]; empty: string }) {
  if (judgements.length === 0) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <Table fz="sm" aria-label="Judgements on this record's pairs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Judgement</Table.Th>
          <Table.Th>With</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th>By, when</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {judgements.map((j) => (
          <Table.Tr key={j.id} style={j.superseded ? { opacity: 0.75 } : undefined}>
            <Table.Td>
              <Badge color={JUDGEMENT_COLOUR[j.judgement]} variant={j.superseded ? 'outline' : 'light'} size="sm">
                {JUDGEMENT_TEXT[j.judgement]}
              </Badge>
              {j.superseded && (
                <Text size="xs" c="dimmed">
                  superseded, kept
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Anchor href={href({ name: 'allegation', reference: j.otherReference })} className="mono" size="sm">
                {j.otherReference}
              </Anchor>
            </Table.Td>
            <Table.Td>{j.reason}</Table.Td>
            <Table.Td>
              {j.decidedBy}
              <Text size="xs" c="dimmed">
                {formatDateTime(j.decidedAt)}
                {j.score !== null ? ` · score ${j.score.toFixed(2)}` : ''}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function GroupTab({ group, reference }: { group: ApiOutput<'links.group'>; reference: string }) {
  if (group.members.length <= 1) return <Text size="sm" c="dimmed">No other record is linked to this one yet. Judge a candidate “same allegation” or “associated” to link it.</Text>;
  return (
    <Table fz="sm" striped aria-label="Linked records">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Record</Table.Th>
          <Table.Th>Received</Table.Th>
          <Table.Th>Main subject</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Linked as</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {group.members.map((m) => {
          const via = group.links.filter((l) => l.a === m.id || l.b === m.id).map((l) => `${l.judgement === 'duplicate' ? 'same allegation as' : 'associated with'} ${l.a === m.id ? l.bReference : l.aReference}`);
          return (
            <Table.Tr key={m.id}>
              <Table.Td className="mono">{m.reference === reference ? <b>{m.reference} (this record)</b> : <Anchor href={href({ name: 'allegation', reference: m.reference })}>{m.reference}</Anchor>}</Table.Td>
              <Table.Td>{formatDateTime(m.receivedAt)}</Table.Td>
              <Table.Td>{m.mainSubject ? <MarkedText text={m.mainSubject} /> : '—'}</Table.Td>
              <Table.Td>{STATUS_LABELS[m.status]}</Table.Td>
              <Table.Td>{via.join('; ')}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function LinkPanel({ allegationId, reference, user }: { allegationId: string; reference: string; user: UserView }) {
  const candidates = useCall('links.candidates', { allegationId });
  const judgements = useCall('links.judgements', { allegationId });
  const group = useCall('links.group', { allegationId });
  const [judging, setJudging] = useState<{ c: CandidateView; j: LinkJudgement } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [reviewError, setReviewError] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [reviewed, setReviewed] = useState<string | null>(null);
  const [tab, setTab] = useState<string | null>('candidates');

  const list = candidates.data;
  const firstSuggested = list?.candidates.find((c) => c.suggested)?.allegationId ?? null;
  const expanded = open ?? firstSuggested;
  const inForce = (judgements.data?.judgements ?? []).filter((j) => !j.superseded && j.judgement !== 'not_a_match');
  const canJudge = JUDGING_ROLES.includes(user.role);
  const members = group.data?.members.length ?? 1;

  async function review() {
    setReviewing(true);
    setReviewError(null);
    try {
      const r = await call('links.review', { allegationId, note: '' });
      setReviewed(`Cross-check recorded ${formatDateTime(r.reviewedAt)}: ${plural(r.candidates.length, 'candidate')} on the panel, every suggestion judged.`);
    } catch (e) {
      setReviewError(e instanceof CallError ? e.message : String(e));
    } finally {
      setReviewing(false);
    }
  }

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="links-title">
      <Group justify="space-between" mb="xs" align="flex-start">
        <div>
          <Group gap={6}>
            <IconGitMerge size={18} aria-hidden />
            <Title order={3} size="h5" id="links-title">
              Duplicates and links
            </Title>
          </Group>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="links-status">
            {!list
              ? 'Looking for candidates…'
              : list.candidates.length === 0
                ? members > 1
                  ? 'No other candidates: the records already linked are under “Linked records”.'
                  : 'No candidates: nothing in the store shares enough with this record.'
                : `${list.candidates.filter((c) => c.suggested).length} suggested, ${list.candidates.filter((c) => !c.suggested).length} weaker; ${list.open ? `${list.open} still to judge` : 'every suggestion judged'} (threshold ${Math.round(list.threshold * 100)}%). The system proposes; you decide.`}
          </Text>
        </div>
        {canJudge && (
          <Button size="xs" variant="light" leftSection={<IconChecklist size={14} />} loading={reviewing} onClick={() => void review()} disabled={!list}>
            Record cross-check
          </Button>
        )}
      </Group>
      {reviewed && !reviewError && (
        <Alert color="teal" role="status" mb="sm" p="xs">
          {reviewed}
        </Alert>
      )}
      {reviewError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" mb="sm">
          {reviewError}
        </Alert>
      )}
      {inForce.length > 0 && (
        <Stack gap={4} mb="sm" data-testid="links-in-force">
          {inForce.map((j) => (
            <Text size="sm" key={j.id}>
              <Badge color={JUDGEMENT_COLOUR[j.judgement]} variant="light" size="sm" mr={6}>
                {j.judgement === 'duplicate' ? 'Same allegation as' : 'Associated with'}
              </Badge>
              <Anchor href={href({ name: 'allegation', reference: j.otherReference })} className="mono">
                {j.otherReference}
              </Anchor>{' '}
              — “{j.reason}” ({j.decidedBy}, {formatDateTime(j.decidedAt)})
            </Text>
          ))}
        </Stack>
      )}
      {judgements.data?.intakeWarnings.map((w) => (
        <Text size="xs" c="dimmed" key={`${w.allegationId}:${w.candidateId}`} mb={4}>
          At intake, {w.decidedBy} saved {w.reference} with {w.candidateReference} shown as a strong candidate ({scoreText(w.score)}): “{w.reason}”.
        </Text>
      ))}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="candidates" leftSection={<IconLink size={14} />}>
            Candidates {list ? `(${list.candidates.length})` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="linked" leftSection={<IconShare size={14} />}>
            Linked records and judgements ({members - 1} linked, {plural(judgements.data?.judgements.length ?? 0, 'judgement')})
          </Tabs.Tab>
          <Tabs.Tab value="chart">Link chart</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="candidates" pt="sm">
          {candidates.error && <Alert color="red">{candidates.error.message}</Alert>}
          {!list && !candidates.error && <Busy label="Looking for candidates" />}
          {list && list.candidates.length > 0 && (
            <Accordion variant="separated" value={expanded} onChange={setOpen} chevronPosition="left">
              {list.candidates.map((c) => (
                <CandidateItem key={c.allegationId} c={c} current={list.current} canJudge={canJudge} onJudge={(cv, j) => setJudging({ c: cv, j })} />
              ))}
            </Accordion>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="linked" pt="sm">
          <Stack>
            {group.data && <GroupTab group={group.data} reference={reference} />}
            <div>
              <Title order={4} size="h6" mb={4}>
                Every judgement on this record
              </Title>
              <JudgementList judgements={judgements.data?.judgements ?? []} empty="No judgement recorded on this record yet." />
            </div>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="chart" pt="sm">
          {group.data?.truncated && <Text size="sm">The group is larger than the chart first shows: the records nearest this one are drawn.</Text>}
          <LinkChart key={allegationId} start={{ allegationId }} current={reference} label={reference} />
        </Tabs.Panel>
      </Tabs>
      <JudgeDialog
        key={judging ? `${judging.c.allegationId}:${judging.j}` : 'none'}
        allegationId={allegationId}
        candidate={judging?.c ?? null}
        initial={judging?.j ?? 'duplicate'}
        onClose={() => setJudging(null)}
        onJudged={() => {
          setJudging(null);
          setOpen(null);
        }}
      />
    </Card>
  );
}
