import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertCircle, IconPencil, IconUserPlus } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import { ROLES, ROLE_LABELS, NATIONAL_ROLES, type Role } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { call } from '../api/client.ts';
import { useSubmit } from '../api/useSubmit.ts';
import { useCall } from '../api/useCall.ts';
import { formatDate } from '../format.ts';

function AddUser({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState({ username: '', displayName: '', role: 'analyst' as Role, unit: null as string | null, password: '' });
  const { busy, error, submit } = useSubmit(async () => {
    await call('users.create', form);
    onDone();
  });
  const f = error?.fields ?? {};
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />}>
            {error.message}
          </Alert>
        )}
        <TextInput label="Username" required value={form.username} onChange={(e) => setForm({ ...form, username: e.currentTarget.value })} error={f.username} data-autofocus />
        <TextInput label="Full name" required value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })} error={f.displayName} />
        <Select label="Role" required data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} value={form.role} onChange={(v) => v && setForm({ ...form, role: v as Role })} allowDeselect={false} />
        <Select
          label="Unit"
          description={NATIONAL_ROLES.includes(form.role) ? 'Optional for national roles' : 'The unit whose queue this person works'}
          data={UNITS.map((u) => ({ value: u.code, label: u.name }))}
          value={form.unit}
          onChange={(v) => setForm({ ...form, unit: v })}
          searchable
          clearable
          error={f.unit}
        />
        <PasswordInput label="Initial password" description="At least 10 characters; tell them to change it" required value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} error={f.password} />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            Add user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An administrator changes someone's name, role or unit, or resets their password (they change it after). */
function EditUser({ target, onDone }: { target: UserView; onDone: () => void }) {
  const [form, setForm] = useState({ displayName: target.displayName, role: target.role, unit: target.unit, password: '' });
  const { busy, error, submit } = useSubmit(async () => {
    await call('users.update', { id: target.id, displayName: form.displayName, role: form.role, unit: form.unit, ...(form.password ? { password: form.password } : {}) });
    onDone();
  });
  const f = error?.fields ?? {};
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {error.message}
          </Alert>
        )}
        <TextInput label="Full name" required value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })} error={f.displayName} data-autofocus />
        <Select label="Role" required data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} value={form.role} onChange={(v) => v && setForm({ ...form, role: v as Role })} allowDeselect={false} />
        <Select
          label="Unit"
          description={NATIONAL_ROLES.includes(form.role) ? 'Optional for national roles' : 'The unit whose queue this person works'}
          data={UNITS.map((u) => ({ value: u.code, label: u.name }))}
          value={form.unit}
          onChange={(v) => setForm({ ...form, unit: v })}
          searchable
          clearable
          error={f.unit}
        />
        <PasswordInput
          label="Reset password (optional)"
          description="Leave empty to keep their password. A reset is audited; tell them to change it once signed in (their name, top right → Change password)."
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
          error={f.password}
          autoComplete="new-password"
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function UsersScreen({ user }: { user: UserView }) {
  const { data, error } = useCall('users.list', {});
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const admin = user.role === 'admin';

  async function setActive(u: UserView, active: boolean) {
    setActionError(null);
    try {
      await call('users.update', { id: u.id, active });
    } catch (e) {
      setActionError((e as Error).message);
    }
  }

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <div>
          <Title order={2}>Users</Title>
          <Text size="sm" c="dimmed">
            Local accounts on this desk, until the central server holds them.
          </Text>
        </div>
        {admin && (
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => setAdding(true)}>
            Add user
          </Button>
        )}
      </Group>
      {(error || actionError) && (
        <Alert color="red" icon={<IconAlertCircle size={18} />}>
          {error?.message ?? actionError}
        </Alert>
      )}
      <Card withBorder padding={0}>
        <Table striped highlightOnHover aria-label="Users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Username</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Unit</Table.Th>
              <Table.Th>Since</Table.Th>
              <Table.Th>Active</Table.Th>
              {admin && (
                <Table.Th>
                  <VisuallyHidden>Change</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td fw={600}>{u.displayName}</Table.Td>
                <Table.Td className="mono">{u.username}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{ROLE_LABELS[u.role]}</Badge>
                </Table.Td>
                <Table.Td>{u.unit ? unitName(u.unit) : 'National'}</Table.Td>
                <Table.Td>{formatDate(u.createdAt)}</Table.Td>
                <Table.Td>
                  <Switch checked={u.active} disabled={!admin || u.id === user.id} onChange={(e) => void setActive(u, e.currentTarget.checked)} aria-label={`${u.displayName} can sign in`} />
                </Table.Td>
                {admin && (
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => setEditing(u)} aria-label={`Change ${u.displayName}'s account`}>
                      Change
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={editing ? `Change ${editing.displayName}'s account` : ''}>
        {editing && <EditUser key={editing.id} target={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a user">
        <AddUser
          onDone={() => {
            setAdding(false);
          }}
        />
      </Modal>
    </Stack>
  );
}
