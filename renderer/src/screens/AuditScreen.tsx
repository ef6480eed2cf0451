import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { href } from '../router.ts';
import { formatDateTime } from '../format.ts';
import type { ApiOutput } from '../../../shared/api.ts';

const ACTION_LABELS: Record<string, string> = {
  'source.open': 'Opened the pane',
  'source.open_refused': 'Refused: not allocated',
  'nsu.reveal': 'NSU reveal',
  'source.update': 'Amended details',
  'source.contact': 'Logged a contact',
};

export function AuditScreen() {
  const [user, setUser] = useState('');
  const [reference, setReference] = useState('');
  const { data, error } = useCall('audit.sourceAccess', { ...(user.trim() ? { user: user.trim() } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}), limit: 500 });
  const [verify, setVerify] = useState<ApiOutput<'audit.verify'> | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  return (
    <Stack maw={1200}>
      <div>
        <Title order={2}>Source pane access</Title>
        <Text size="sm" c="dimmed">
          For the Security and Anti-Corruption Unit: every opening of a restricted source pane, every refusal and every NSU reveal, with who, when, which allegation and why. The audit log is a hash chain:
          any edited, removed or reordered entry is detected.
        </Text>
      </div>
      <Group align="flex-end">
        <TextInput label="Person" placeholder="name or username" value={user} onChange={(e) => setUser(e.currentTarget.value)} />
        <TextInput label="Allegation" placeholder="IMS-2026-…" value={reference} onChange={(e) => setReference(e.currentTarget.value)} />
        <Button
          variant="light"
          onClick={() =>
            void call('audit.verify', {}).then(
              (r) => setVerify(r),
              (e: unknown) => setVerifyError(e instanceof CallError ? e.message : String(e)),
            )
          }
        >
          Verify the audit chain
        </Button>
      </Group>
      {verify && (
        <Alert color={verify.ok ? 'teal' : 'red'} icon={verify.ok ? <IconShieldCheck size={18} /> : <IconShieldX size={18} />} role="status" title={verify.ok ? 'The audit chain is intact' : `The audit chain is broken at entry ${verify.firstBadSeq}`}>
          {verify.ok ? `${verify.entries.toLocaleString('en-GB')} entries verified.` : verify.problem}
          {verify.ok && verify.countersigned && ` The log still holds entry ${verify.countersigned.seq} as the server countersigned it at sync (server audit entry ${verify.countersigned.serverAuditSeq}).`}
          {verify.ok && verify.server === 'offline' && ' The server could not be reached: checked against the countersignatures held on this desk.'}
        </Alert>
      )}
      {(error || verifyError) && <Alert color="red">{error?.message ?? verifyError}</Alert>}
      <Card withBorder padding={0}>
        <Table striped aria-label="Source pane access">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Allegation</Table.Th>
              <Table.Th>Why</Table.Th>
              <Table.Th>Entry</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.map((e) => (
              <Table.Tr key={e.seq}>
                <Table.Td>{formatDateTime(e.at)}</Table.Td>
                <Table.Td>{e.actor}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={e.action === 'source.open_refused' ? 'red' : e.action === 'nsu.reveal' ? 'grape' : 'indigo'}>
                    {ACTION_LABELS[e.action] ?? e.action}
                  </Badge>
                </Table.Td>
                <Table.Td>{e.reference ? <Anchor href={href({ name: 'allegation', reference: e.reference })}>{e.reference}</Anchor> : '—'}</Table.Td>
                <Table.Td>{e.reason ?? '—'}</Table.Td>
                <Table.Td className="mono">{e.seq}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {data?.length === 0 && (
          <Text p="md" c="dimmed">
            No source pane has been opened{user || reference ? ' matching these filters' : ''}.
          </Text>
        )}
      </Card>
    </Stack>
  );
}
