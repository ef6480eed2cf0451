// The restricted source pane. Opening it first shows the warning (an audit entry for SACU: who, when, which
// allegation and why) and asks for the reason; only then are the details fetched. Someone who may not open it
// learns that a source exists and whom to ask, never the details.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Divider, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconEyeOff, IconLock, IconLockOpen, IconMessagePlus } from '@tabler/icons-react';
import type { SourcePane as Pane } from '../../../shared/api/sources.ts';
import { CONTACT_METHODS } from '../../../shared/api/sources.ts';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { formatDateTime } from '../format.ts';
import { GuidanceLink } from './GuidanceLink.tsx';

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value || '—'}</Text>
    </div>
  );
}

export function SourcePane({ allegationId, reference }: { allegationId: string; reference: string }) {
  const { data: status, error: statusError } = useCall('source.status', { allegationId });
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [pane, setPane] = useState<Pane | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [contact, setContact] = useState({ method: 'telephone', direction: 'from_source', summary: '' });

  async function open() {
    setBusy(true);
    setError(null);
    try {
      setPane(await call('source.open', { allegationId, reason }));
      setAsking(false);
      setReason('');
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function logContact() {
    setBusy(true);
    setError(null);
    try {
      setPane(await call('source.addContact', { allegationId, method: contact.method as Pane['contacts'][number]['method'], direction: contact.direction as 'from_source' | 'to_source', summary: contact.summary }));
      setContact({ ...contact, summary: '' });
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  if (statusError) return <Alert color="red">{statusError.message}</Alert>;
  if (!status) return null;
  if (!status.exists) {
    return (
      <Alert variant="light" color="gray" icon={<IconLock size={18} />} title="No source details recorded">
        This allegation has no restricted source record (anonymous or not given).
      </Alert>
    );
  }
  if (!status.canOpen) {
    return (
      <Alert variant="light" color="indigo" icon={<IconEyeOff size={18} />} title="A source is recorded — details restricted" role="note">
        <Text size="sm">{status.why}</Text>
        <Text size="sm" mt={4}>
          To work with the source, ask {status.askWho.join(' or ')}.
        </Text>
      </Alert>
    );
  }
  if (!pane) {
    return (
      <>
        <Alert variant="light" color="indigo" icon={<IconLock size={18} />} title="Restricted source pane">
          <Group justify="space-between" align="center">
            <Text size="sm">
              {status.why} Opening the pane is recorded for the Security and Anti-Corruption Unit.{status.contacts ? ` ${status.contacts} contact(s) logged.` : ''}
            </Text>
            <Group gap="sm" wrap="nowrap">
              <GuidanceLink step="sources" />
              <Button size="xs" leftSection={<IconLockOpen size={14} />} onClick={() => setAsking(true)}>
                Open restricted pane
              </Button>
            </Group>
          </Group>
        </Alert>
        <Modal opened={asking} onClose={() => setAsking(false)} title="Open the restricted source pane">
          <Stack>
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="This will be audited">
              An audit entry for the Security and Anti-Corruption Unit is written before the details are shown: who you are, when, {reference}, and the reason you give.
            </Alert>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Textarea label="Why do you need to see the source's details?" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(false)}>
                Cancel
              </Button>
              <Button onClick={() => void open()} loading={busy} disabled={reason.trim().length < 5}>
                Record and open
              </Button>
            </Group>
          </Stack>
        </Modal>
      </>
    );
  }
  return (
    <Card withBorder padding="md" style={{ borderColor: 'var(--mantine-color-indigo-5)', background: 'var(--mantine-color-indigo-0)' }} component="section" aria-labelledby="source-pane-title">
      <Group justify="space-between" mb="sm">
        <Group gap={6}>
          <IconLockOpen size={18} aria-hidden />
          <Title order={3} size="h5" id="source-pane-title">
            Restricted source pane
          </Title>
          <Badge size="xs" variant="light" color="indigo">
            audit entry {pane.auditEntry}
          </Badge>
        </Group>
        <Button size="xs" variant="default" leftSection={<IconLock size={14} />} onClick={() => setPane(null)}>
          Close pane
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
        <Detail label="Name" value={pane.details.name} />
        <Detail label="Phone" value={pane.details.phone} />
        <Detail label="Email" value={pane.details.email} />
        <Detail label="Address" value={pane.details.address} />
        <Detail label="Relationship" value={pane.details.relationship} />
        <Detail label="Organisation" value={pane.details.organisation} />
      </SimpleGrid>
      {pane.originals.length > 0 && (
        <>
          <Divider my="sm" label="Text that named the source (withheld from the open record)" labelPosition="left" />
          <Stack gap="xs">
            {pane.originals.map((o) => (
              <div key={o.part}>
                <Text size="xs" fw={600}>
                  {o.label}
                </Text>
                <Text size="sm" className="attachment-text">
                  {o.text}
                </Text>
              </div>
            ))}
          </Stack>
        </>
      )}
      <Divider my="sm" label={`Contact log (${pane.contacts.length})`} labelPosition="left" />
      <Stack gap={6}>
        {pane.contacts.map((c) => (
          <Text key={c.id} size="sm">
            {formatDateTime(c.at)} · {c.direction === 'from_source' ? 'from source' : 'to source'} by {c.method.replace('_', ' ')} · {c.by}
            {c.tasking && (
              <Badge ml={6} size="xs" color="red" variant="light">
                tasking
              </Badge>
            )}
            <br />
            {c.summary}
          </Text>
        ))}
        <Group align="flex-end" gap="xs">
          <NativeSelect label="Method" size="xs" data={CONTACT_METHODS.map((m) => ({ value: m, label: m.replace('_', ' ') }))} value={contact.method} onChange={(e) => setContact({ ...contact, method: e.currentTarget.value })} />
          <NativeSelect
            label="Direction"
            size="xs"
            data={[
              { value: 'from_source', label: 'From the source' },
              { value: 'to_source', label: 'To the source' },
            ]}
            value={contact.direction}
            onChange={(e) => setContact({ ...contact, direction: e.currentTarget.value })}
          />
          <Textarea style={{ flex: 1 }} label="What was said" size="xs" autosize minRows={1} value={contact.summary} onChange={(e) => setContact({ ...contact, summary: e.currentTarget.value })} />
          <Button size="xs" leftSection={<IconMessagePlus size={14} />} onClick={() => void logContact()} loading={busy} disabled={contact.summary.trim().length < 3}>
            Log contact
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
