// Changing one's own password, from the header: the current one, then the new one twice.
import { useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { call } from '../api/client.ts';
import { useSubmit } from '../api/useSubmit.ts';

export function ChangePassword() {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ current: '', next: '', again: '' });
  const [done, setDone] = useState(false);
  const mismatch = form.again !== '' && form.again !== form.next;
  const { busy, error, setError, submit } = useSubmit(async () => {
    if (mismatch) return;
    await call('auth.changePassword', { current: form.current, next: form.next });
    setDone(true);
    setForm({ current: '', next: '', again: '' });
  });
  const f = error?.fields ?? {};
  return (
    <>
      <Button variant="subtle" color="gray.0" c="white" size="compact-sm" leftSection={<IconKey size={16} />} onClick={() => { setOpen(true); setDone(false); setError(null); }}>
        Change password
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Change your password">
        <form onSubmit={submit} noValidate>
          <Stack>
            {error && !Object.keys(f).length && (
              <Alert color="red" role="alert">
                {error.message}
              </Alert>
            )}
            {done && (
              <Alert color="teal" role="status">
                Your password is changed. Use the new one next time you sign in.
              </Alert>
            )}
            <PasswordInput label="Current password" required autoComplete="current-password" value={form.current} onChange={(e) => setForm({ ...form, current: e.currentTarget.value })} error={f.current} data-autofocus />
            <PasswordInput label="New password" description="At least 10 characters" required autoComplete="new-password" value={form.next} onChange={(e) => setForm({ ...form, next: e.currentTarget.value })} error={f.next} />
            <PasswordInput label="New password again" required autoComplete="new-password" value={form.again} onChange={(e) => setForm({ ...form, again: e.currentTarget.value })} error={mismatch ? 'does not match the new password' : undefined} />
            <Group justify="flex-end">
              <Button type="submit" loading={busy} disabled={!form.current || !form.next || form.next !== form.again}>
                Change password
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
