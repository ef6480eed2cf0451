import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconShieldLock, IconAlertCircle } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import { call, CallError } from '../api/client.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { ConnectServerForm } from '../components/sync/ConnectServerForm.tsx';

export interface ServerInfo {
  url: string;
  deskName: string;
  unit: string;
}

interface Props {
  needsSetup: boolean;
  deskName: string;
  /** The central server people sign in against (null: local accounts). */
  server?: ServerInfo | null | undefined;
  notice?: string | undefined;
  onSignedIn: (token: string, user: UserView, notice: string | null) => void;
  /** The desk was just pointed at a server: read the sign-in state again. */
  onServerConfigured?: (() => void) | undefined;
}

export function SignInScreen({ needsSetup, deskName, server, notice, onSignedIn, onServerConfigured }: Props) {
  const [connecting, setConnecting] = useState(false);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFields({});
    if (needsSetup && password !== confirm) {
      setFields({ confirm: 'The two passwords are not the same' });
      return;
    }
    setBusy(true);
    try {
      if (needsSetup) {
        const result = await call('auth.setup', { username, displayName, password });
        onSignedIn(result.sessionToken, result.user, null);
      } else {
        const result = await call('auth.signIn', { username, password });
        onSignedIn(result.sessionToken, result.user, result.notice);
      }
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
    <Center mih="100%" p="md" style={{ background: 'linear-gradient(160deg, var(--mantine-color-indigo-9) 0%, var(--mantine-color-indigo-7) 45%, var(--mantine-color-gray-1) 45.1%)' }}>
      <Box w={420} component="main">
        <Group gap="sm" mb="lg" c="white">
          <ThemeIcon size={44} radius="md" color="white" variant="white" aria-hidden>
            <IconShieldLock size={26} color="var(--mantine-color-indigo-8)" />
          </ThemeIcon>
          <div>
            <Title order={1} size="h2" c="white">
              IMS Desk
            </Title>
            <Text size="sm" c="indigo.1">
              Allegations of immigration and customs offences
            </Text>
          </div>
        </Group>
        <Paper shadow="md" p="xl" radius="md" withBorder>
          {connecting ? (
            <ConnectServerForm onCancel={() => setConnecting(false)} onConnected={() => {
                setConnecting(false);
                onServerConfigured?.();
              }} />
          ) : (
          <form onSubmit={submit} noValidate aria-labelledby="signin-title">
            <Stack gap="md">
              <div>
                <Title order={2} size="h3" id="signin-title">
                  {needsSetup ? 'Set up this desk' : 'Sign in'}
                </Title>
                <Text size="sm" c="dimmed">
                  {needsSetup
                    ? 'No accounts exist yet. Create the first administrator; they can then add analysts, sifters and the rest.'
                    : server
                      ? `${deskName} (${unitName(server.unit)}) — use your account on the central server, ${server.url}. When it cannot be reached, this desk signs you in offline if you signed in here recently.`
                      : `${deskName} — use your local account.`}
                </Text>
              </div>
              {notice && (
                <Alert color="yellow" icon={<IconAlertCircle size={18} />} role="status">
                  {notice}
                </Alert>
              )}
              {error && (
                <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" title={needsSetup ? 'Could not set up' : 'Could not sign in'}>
                  {error}
                </Alert>
              )}
              <TextInput label="Username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={fields.username} />
              {needsSetup && <TextInput label="Your full name" autoComplete="name" required value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={fields.displayName} />}
              <PasswordInput
                label="Password"
                autoComplete={needsSetup ? 'new-password' : 'current-password'}
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={fields.password}
                description={needsSetup ? 'At least 10 characters' : undefined}
              />
              {needsSetup && <PasswordInput label="Password again" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} error={fields.confirm} />}
              <Button type="submit" loading={busy} fullWidth size="md">
                {needsSetup ? 'Create administrator and sign in' : 'Sign in'}
              </Button>
              {needsSetup && (
                <Text size="sm" ta="center">
                  Part of a national deployment?{' '}
                  <Anchor component="button" type="button" onClick={() => setConnecting(true)}>
                    Connect this desk to a central server
                  </Anchor>
                </Text>
              )}
            </Stack>
          </form>
          )}
        </Paper>
        <Text size="xs" c="dimmed" mt="md" ta="center">
          OFFICIAL-SENSITIVE. Every sign-in and every opening of restricted source details is recorded for the Security and Anti-Corruption Unit.{' '}
          {!needsSetup && 'Forgotten your password? Ask your administrator.'}
        </Text>
      </Box>
    </Center>
  );
}
