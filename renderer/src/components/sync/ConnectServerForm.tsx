import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { UNITS } from '../../../../shared/domain/units.ts';
import { call, CallError } from '../../api/client.ts';

interface Props {
  onConnected: () => void;
  onCancel: () => void;
}

/** A new desk joins a central server: its address, how the desk is named to the administrators, and its unit. */
export function ConnectServerForm({ onConnected, onCancel }: Props) {
  const [url, setUrl] = useState('');
  const [deskName, setDeskName] = useState('');
  const [unit, setUnit] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await call('sync.configure', { url, deskName, unit: unit ?? '' });
      onConnected();
    } catch (err) {
      if (err instanceof CallError) {
        setError(err.message);
        setFields(err.fields);
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="connect-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" id="connect-title">
            Connect to a central server
          </Title>
          <Text size="sm" c="dimmed">
            People then sign in with their accounts on the server. The first sign-in registers this desk; an administrator approves it before it syncs.
          </Text>
        </div>
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" title="Could not connect">
            {error}
          </Alert>
        )}
        <TextInput label="Server address" placeholder="https://ims.example.gov.uk" required autoFocus value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fields.url} />
        <TextInput label="Name of this desk" placeholder="NAT post room, desk 2" required value={deskName} onChange={(e) => setDeskName(e.currentTarget.value)} error={fields.deskName} />
        <Select label="Unit this desk serves" required searchable data={UNITS.map((u) => ({ value: u.code, label: u.name }))} value={unit} onChange={setUnit} error={fields.unit} />
        <Group grow>
          <Button variant="default" onClick={onCancel}>
            Back
          </Button>
          <Button type="submit" loading={busy}>
            Connect
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
