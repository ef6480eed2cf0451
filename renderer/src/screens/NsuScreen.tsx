import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Drawer, Group, NativeSelect, Stack, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconEye, IconUsersGroup } from '@tabler/icons-react';
import type { ReferrerGroupView } from '../../../shared/api/sources.ts';
import { NSU_DECISIONS, NSU_DECISION_LABELS } from '../../../shared/api/sources.ts';
import { OFFENCE_TYPE_LABELS } from '../../../shared/domain/vocabularies.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { href } from '../router.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { Busy } from '../components/Busy.tsx';
import { MarkedText } from '../components/MarkedText.tsx';
import { GuidanceLink } from '../components/GuidanceLink.tsx';

const INDICATOR_LABELS: Record<ReferrerGroupView['indicators'][number]['kind'], string> = {
  many_referrals: 'Many referrals',
  same_subject: 'Same subject',
  rising_frequency: 'Rising frequency',
  tasking: 'Tasking',
  status_drift: 'Status drift',
};

function GroupDetail({ group, onChanged }: { group: ReferrerGroupView; onChanged: (g: ReferrerGroupView) => void }) {
  const [decision, setDecision] = useState<ReferrerGroupView['decisions'][number]['decision']>('same_person_noted');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [revealed, setRevealed] = useState<Array<{ reference: string; details: { name: string; phone: string; email: string; address: string } }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {error}
        </Alert>
      )}
      <Text size="sm">
        {group.count} referrals, {formatDate(group.firstAt)} to {formatDate(group.lastAt)}; linked by {group.linkedBy.map((k) => k.replace(/_/g, ' ')).join(', ')} (blind indexes: no one's details were decrypted to find them).
      </Text>
      {group.indicators.length > 0 && (
        <Stack gap={4}>
          <Title order={4} size="h6">
            Risk indicators
          </Title>
          {group.indicators.map((i) => (
            <Alert key={i.kind + i.explanation} color={i.kind === 'tasking' || i.kind === 'status_drift' ? 'red' : 'orange'} variant="light" title={INDICATOR_LABELS[i.kind]} p="xs">
              <Text size="sm">{i.explanation}</Text>
            </Alert>
          ))}
        </Stack>
      )}
      <Table aria-label="Referrals in this group">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Reference</Table.Th>
            <Table.Th>Received</Table.Th>
            <Table.Th>Unit</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Offence</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {group.allegations.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Anchor href={href({ name: 'allegation', reference: a.reference })} className="mono">
                  {a.reference}
                </Anchor>
              </Table.Td>
              <Table.Td>{formatDate(a.receivedAt)}</Table.Td>
              <Table.Td>{unitName(a.unit)}</Table.Td>
              <Table.Td>{a.mainSubject ? <MarkedText text={a.mainSubject} /> : '—'}</Table.Td>
              <Table.Td>{a.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Card withBorder padding="sm">
        <Title order={4} size="h6" mb={6}>
          Identities (audited)
        </Title>
        {revealed ? (
          <Table aria-label="Revealed source details">
            <Table.Tbody>
              {revealed.map((r) => (
                <Table.Tr key={r.reference}>
                  <Table.Td className="mono">{r.reference}</Table.Td>
                  <Table.Td>{r.details.name}</Table.Td>
                  <Table.Td>{r.details.phone}</Table.Td>
                  <Table.Td>{r.details.email}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Group align="flex-end">
            <Textarea style={{ flex: 1 }} label="Reason to see who it is" autosize minRows={1} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <Button leftSection={<IconEye size={14} />} disabled={reason.trim().length < 5} loading={busy} onClick={() => void run(async () => setRevealed(await call('nsu.reveal', { groupKey: group.groupKey, reason })))}>
              Reveal (writes {group.count} audit entries)
            </Button>
          </Group>
        )}
      </Card>
      <Card withBorder padding="sm">
        <Title order={4} size="h6" mb={6}>
          NSU decision
        </Title>
        {group.decisions.map((d) => (
          <Text key={d.at} size="sm">
            {formatDateTime(d.at)} · {NSU_DECISION_LABELS[d.decision]} · {d.by}: {d.note}
          </Text>
        ))}
        <Group align="flex-end" mt="xs">
          <NativeSelect label="Decision" data={NSU_DECISIONS.map((d) => ({ value: d, label: NSU_DECISION_LABELS[d] }))} value={decision} onChange={(e) => setDecision(e.currentTarget.value as typeof decision)} />
          <Textarea style={{ flex: 1 }} label="Note" autosize minRows={1} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Button disabled={note.trim().length < 3} loading={busy} onClick={() => void run(async () => onChanged(await call('nsu.decide', { groupKey: group.groupKey, decision, note })))}>
            Record decision
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}

export function NsuScreen() {
  const { data, error, loading } = useCall('nsu.referrerView', { minCount: 2 });
  const [open, setOpen] = useState<ReferrerGroupView | null>(null);
  const [updated, setUpdated] = useState<Record<string, ReferrerGroupView>>({});
  const groups = (data?.groups ?? []).map((g) => updated[g.groupKey] ?? g);
  return (
    <Stack maw={1300}>
      <div>
        <Group gap="md">
          <Title order={2}>Repeat referrers</Title>
          <GuidanceLink step="sources" />
        </Group>
        <Text size="sm" c="dimmed">
          Allegations from the same reporting person, found by keyed blind indexes of their phone, email, address and name across spelling and format variations. Nothing is decrypted to find them; revealing
          who it is writes an audit entry for each allegation.
        </Text>
      </div>
      {error && <Alert color="red">{error.message}</Alert>}
      {loading && !data && <Busy label="Loading the referrers" />}
      {data && (
        <Alert color={data.scope === 'national' ? 'blue' : 'gray'} variant="light" title={data.scope === 'national' ? 'National, from the server' : 'This desk only'} data-testid="referrer-scope">
          {data.note}
        </Alert>
      )}
      {data && (
        <Text size="sm" aria-live="polite">
          {groups.length} people have made more than one referral ({groups.reduce((n, g) => n + g.count, 0)} allegations); {groups.filter((g) => g.indicators.some((i) => i.kind === 'tasking' || i.kind === 'status_drift')).length} show a CHIS indicator.
        </Text>
      )}
      <Card withBorder padding={0}>
        <Table highlightOnHover aria-label="Repeat referrers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Referrals</Table.Th>
              <Table.Th>Between</Table.Th>
              <Table.Th>Units</Table.Th>
              <Table.Th>Offences</Table.Th>
              <Table.Th>Indicators</Table.Th>
              <Table.Th>Decision</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => (
              <Table.Tr key={g.groupKey} style={{ cursor: 'pointer' }} onClick={() => setOpen(g)}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" leftSection={<IconUsersGroup size={14} />} onClick={() => setOpen(g)} aria-label={`Open the group of ${g.count} referrals starting ${g.allegations[0]?.reference}`}>
                    {g.count}
                  </Button>
                </Table.Td>
                <Table.Td>
                  {formatDate(g.firstAt)} – {formatDate(g.lastAt)}
                </Table.Td>
                <Table.Td>{g.units.map((u) => unitName(u)).join(', ')}</Table.Td>
                <Table.Td>{g.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ')}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {g.indicators.map((i) => (
                      <Tooltip key={i.kind + i.explanation} label={i.explanation} multiline w={320}>
                        <Badge size="sm" color={i.kind === 'tasking' || i.kind === 'status_drift' ? 'red' : 'orange'} variant="light">
                          {INDICATOR_LABELS[i.kind]}
                        </Badge>
                      </Tooltip>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{g.decisions.at(-1) ? NSU_DECISION_LABELS[g.decisions.at(-1)!.decision] : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="xl" title={open ? `Referrals by one person: ${open.count}` : ''}>
        {open && (
          <GroupDetail
            key={open.groupKey}
            group={updated[open.groupKey] ?? open}
            onChanged={(g) => {
              setUpdated((u) => ({ ...u, [g.groupKey]: g }));
              setOpen(g);
            }}
          />
        )}
      </Drawer>
    </Stack>
  );
}
