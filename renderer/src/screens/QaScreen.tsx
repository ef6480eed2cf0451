// Managers' sample checks (004 §7.36-7.41): for a unit and a month, how many cases it closed and how many a sample
// takes; drawing the random sample (once); and recording each check against the checklist, with findings.
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Checkbox, Group, Modal, Radio, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconDice5 } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import type { QaCheckView } from '../../../shared/api/results.ts';
import { QA_FINDINGS, QA_FINDING_LABELS, type QaFinding, type QaResult } from '../../../shared/domain/qa.ts';
import { OUTCOME_LABELS, type Outcome } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { useAction } from '../api/useSubmit.ts';
import { Problem } from '../components/Problem.tsx';
import { href, navigate } from '../router.ts';
import { formatDateTime } from '../format.ts';
import { GuidanceLink } from '../components/GuidanceLink.tsx';

function thisMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

function CheckDialog({ check, onClose, onDone }: { check: QaCheckView; onClose: () => void; onDone: () => void }) {
  const [result, setResult] = useState<QaResult>('no_issues');
  const [findings, setFindings] = useState<QaFinding[]>([]);
  const [note, setNote] = useState('');
  const { busy, error, run: save } = useAction(async () => {
    await call('qa.check', { checkId: check.id, result, findings: result === 'issues' ? findings : [], note });
    onDone();
  });
  return (
    <Modal opened onClose={onClose} title={`Sample check of ${check.reference}`} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Problem error={error} />
        <Text size="sm">
          Read the case against the checklist: <Anchor href={href({ name: 'allegation', reference: check.reference })} target="_blank" underline="always">open {check.reference}</Anchor>. The check is recorded once.
        </Text>
        <Radio.Group label="Result" value={result} onChange={(v) => setResult(v as QaResult)}>
          <Group mt={6}>
            <Radio value="no_issues" label="No issues" />
            <Radio value="issues" label="Issues found" />
          </Group>
        </Radio.Group>
        {result === 'issues' && (
          <Checkbox.Group label="Findings" value={findings} onChange={(v) => setFindings(v as QaFinding[])}>
            <Stack gap={4} mt={6}>
              {QA_FINDINGS.map((f) => (
                <Checkbox key={f} value={f} label={QA_FINDING_LABELS[f]} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Textarea label="Note" description={result === 'issues' ? 'What was found, so the analyst can put it right (required)' : 'Optional'} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button loading={busy} onClick={() => void save()}>
            Record check
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function QaScreen({ user, unit: unitParam, month: monthParam }: { user: UserView; unit?: string | undefined; month?: string | undefined }) {
  const unit = unitParam ?? user.unit ?? 'WMID';
  const month = monthParam && /^\d{4}-\d{2}$/.test(monthParam) ? monthParam : thisMonth();
  const { data, error, reload } = useCall('qa.sample', { unit, month });
  const [checking, setChecking] = useState<QaCheckView | null>(null);
  const { busy, error: drawError, run: draw } = useAction(async () => {
    await call('qa.draw', { unit, month });
    reload();
  });
  const checked = data?.drawn.filter((d) => d.result).length ?? 0;
  return (
    <Stack gap="md" maw={1200}>
      <div>
        <Group gap="md">
          <Title order={2}>Sample checks</Title>
          <GuidanceLink step="compliance" />
        </Group>
        <Text size="sm" c="dimmed">
          Each month, a random sample of the cases a unit closed, each read again against the checklist (first-line assurance).
        </Text>
      </div>
      <Group align="flex-end">
        <Select label="Unit" w={300} searchable allowDeselect={false} value={unit} data={UNITS.filter((u) => u.kind !== 'nsu').map((u) => ({ value: u.code, label: u.name }))} onChange={(v) => v && navigate({ name: 'qa', unit: v, month })} />
        <TextInput label="Month closed" type="month" value={month} onChange={(e) => e.currentTarget.value && navigate({ name: 'qa', unit, month: e.currentTarget.value })} />
      </Group>
      <Problem error={error ?? drawError} />
      {data && (
        <Card withBorder padding="md">
          <Group justify="space-between">
            <Text>
              {unitName(unit)} closed <b>{data.closed}</b> case{data.closed === 1 ? '' : 's'} in {month}; the sample takes <b>{data.size}</b>.
              {data.drawn.length > 0 && ` ${checked} of ${data.drawn.length} checked.`}
            </Text>
            {data.drawn.length === 0 && user.role === 'manager' && (
              <Button leftSection={<IconDice5 size={16} />} onClick={() => void draw()} loading={busy} disabled={data.closed === 0}>
                Draw the sample
              </Button>
            )}
          </Group>
          {data.drawn.length > 0 && (
            <Table mt="md" fz="sm" striped aria-label="The sample">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Allegation</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Closed</Table.Th>
                  <Table.Th>Check</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.drawn.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Anchor href={href({ name: 'allegation', reference: d.reference })} className="mono">
                        {d.reference}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{d.outcome ? OUTCOME_LABELS[d.outcome as Outcome] : '—'}</Table.Td>
                    <Table.Td>{formatDateTime(d.closedAt)}</Table.Td>
                    <Table.Td>
                      {d.result ? (
                        <>
                          <Badge color={d.result === 'issues' ? 'red' : 'teal'} variant="light">
                            {d.result === 'issues' ? 'Issues found' : 'No issues'}
                          </Badge>
                          {d.findings.length > 0 && <Text size="xs">{d.findings.map((f) => QA_FINDING_LABELS[f]).join('; ')}</Text>}
                          {d.note && <Text size="xs">{d.note}</Text>}
                          <Text size="xs" c="dimmed">
                            {d.checkedBy}, {formatDateTime(d.checkedAt)}
                          </Text>
                        </>
                      ) : user.role === 'manager' ? (
                        <Button size="compact-xs" onClick={() => setChecking(d)}>
                          Record check
                        </Button>
                      ) : (
                        'Not checked yet'
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {data.drawn.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              Drawn by {data.drawn[0]?.drawnBy} on {formatDateTime(data.drawn[0]?.drawnAt)}; a unit’s sample is drawn once a month.
            </Text>
          )}
        </Card>
      )}
      {checking && (
        <CheckDialog
          check={checking}
          onClose={() => setChecking(null)}
          onDone={() => {
            setChecking(null);
            reload();
          }}
        />
      )}
    </Stack>
  );
}
