// What can be done to many allegations at once, from the rows chosen on a queue or a search: allocate (to me, or
// by a manager to someone), reallocate to another unit with a reason, export as CSV (audited), add to the watch
// list. Each row goes through the same use-case as on its own record, so every rule and audit entry holds; the
// bar shows progress, and says which rows could not be done and why.
import { useState } from 'react';
import { Alert, Button, Group, List, Modal, Paper, Progress, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconArrowsExchange, IconDownload, IconEye, IconUserCheck, IconUsers, IconX } from '@tabler/icons-react';
import type { UserView } from '../../../../shared/api.ts';
import { UNITS } from '../../../../shared/domain/units.ts';
import { call, CallError } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { plural } from '../../format.ts';

export interface BulkRow {
  id: string;
  reference: string;
  unit: string | null;
}

const CASE_ROLES = ['analyst', 'sifter', 'duty_manager', 'compliance_officer', 'manager', 'admin'];
const ALLOCATING_ROLES = ['manager', 'admin'];

type Outcome = { done: string; failed: Array<{ reference: string; why: string }> };

function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function PersonPicker({ onPick, onClose }: { onPick: (userId: string, name: string) => void; onClose: () => void }) {
  const { data } = useCall('users.list', {});
  const [who, setWho] = useState<string | null>(null);
  const people = (data ?? []).filter((u) => u.active);
  return (
    <Stack>
      <Select label="Allocate to" searchable data={people.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))} value={who} onChange={setWho} data-autofocus />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={!who} onClick={() => who && onPick(who, people.find((p) => p.id === who)?.displayName ?? '')}>
          Allocate
        </Button>
      </Group>
    </Stack>
  );
}

export function BulkActions({ rows, user, onClear }: { rows: BulkRow[]; user: UserView; onClear: () => void }) {
  const [dialog, setDialog] = useState<null | 'reallocate' | 'person'>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState<{ label: string; done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!rows.length && !outcome) return null;

  /** Runs a use-case on each chosen row in turn, counting what was done and why any could not be. */
  async function each(label: string, verb: string, action: (r: BulkRow) => Promise<unknown>) {
    setDialog(null);
    setOutcome(null);
    setError(null);
    const failed: Outcome['failed'] = [];
    let ok = 0;
    for (const [i, r] of rows.entries()) {
      setProgress({ label, done: i, total: rows.length });
      try {
        await action(r);
        ok++;
      } catch (e) {
        failed.push({ reference: r.reference, why: e instanceof CallError ? e.message : String(e) });
      }
    }
    setProgress(null);
    setOutcome({ done: `${plural(ok, 'allegation')} ${verb}`, failed });
    if (!failed.length) onClear();
  }

  async function once(action: () => Promise<string>) {
    setError(null);
    setOutcome(null);
    try {
      setOutcome({ done: await action(), failed: [] });
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    }
  }

  const canWork = CASE_ROLES.includes(user.role);
  return (
    <Paper withBorder p="xs" bg="indigo.0" role="region" aria-label="Actions on the chosen rows">
      <Stack gap={6}>
        {rows.length > 0 && (
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={600} aria-live="polite">
              {plural(rows.length, 'allegation')} chosen
            </Text>
            {canWork && (
              <Button size="compact-sm" variant="light" leftSection={<IconUserCheck size={14} />} disabled={!!progress} onClick={() => void each('Allocating to you', 'allocated to you', (r) => call('allegations.allocate', { id: r.id }))}>
                Allocate to me
              </Button>
            )}
            {ALLOCATING_ROLES.includes(user.role) && (
              <Button size="compact-sm" variant="light" leftSection={<IconUsers size={14} />} disabled={!!progress} onClick={() => setDialog('person')}>
                Allocate to…
              </Button>
            )}
            {canWork && (
              <Button size="compact-sm" variant="light" leftSection={<IconArrowsExchange size={14} />} disabled={!!progress} onClick={() => setDialog('reallocate')}>
                Reallocate…
              </Button>
            )}
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconDownload size={14} />}
              disabled={!!progress}
              onClick={() =>
                void once(async () => {
                  const r = await call('allegations.export', { ids: rows.map((x) => x.id) });
                  download(r.fileName, r.csv, 'text/csv;charset=utf-8');
                  return `${plural(r.rows, 'allegation')} exported to ${r.fileName} (the export is recorded in the audit log)`;
                })
              }
            >
              Export CSV
            </Button>
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconEye size={14} />}
              disabled={!!progress}
              onClick={() =>
                void once(async () => {
                  const r = await call('watch.add', { items: rows.map((x) => ({ kind: 'allegation' as const, value: x.reference, label: x.reference })) });
                  return `${plural(r.added, 'allegation')} added to your watch list${r.already ? ` (${r.already} already on it)` : ''}`;
                })
              }
            >
              Add to watch list
            </Button>
            <Button size="compact-sm" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={onClear}>
              Clear choice
            </Button>
          </Group>
        )}
        {progress && (
          <div>
            <Text size="xs">
              {progress.label}: {progress.done} of {progress.total}
            </Text>
            <Progress value={(100 * progress.done) / Math.max(1, progress.total)} aria-label={`${progress.label}: ${progress.done} of ${progress.total}`} />
          </div>
        )}
        {error && (
          <Alert color="red" role="alert" p="xs">
            {error}
          </Alert>
        )}
        {outcome && (
          <Alert color={outcome.failed.length ? 'orange' : 'teal'} role="status" p="xs" withCloseButton onClose={() => setOutcome(null)} closeButtonLabel="Dismiss">
            <Text size="sm">{outcome.done}.</Text>
            {outcome.failed.length > 0 && (
              <>
                <Text size="sm">{plural(outcome.failed.length, 'could not be done', 'could not be done')} (still chosen):</Text>
                <List size="sm">
                  {outcome.failed.slice(0, 10).map((f) => (
                    <List.Item key={f.reference}>
                      {f.reference}: {f.why}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Alert>
        )}
      </Stack>
      <Modal opened={dialog === 'reallocate'} onClose={() => setDialog(null)} title={`Reallocate ${plural(rows.length, 'allegation')}`} size="lg">
        <Stack>
          <Text size="sm">Each moves to the unit you choose; the move and its reason go into its routing history. Allocations in the old unit end.</Text>
          <Select label="New unit" searchable data={UNITS.map((u) => ({ value: u.code, label: u.name }))} value={unit} onChange={setUnit} data-autofocus />
          <Textarea label="Reason" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button
              disabled={!unit || reason.trim().length < 5}
              onClick={() => unit && void each('Reallocating', `reallocated`, (r) => (r.unit === unit ? Promise.reject(new CallError({ code: 'bad_request', message: 'already with that unit' })) : call('allegations.reallocate', { id: r.id, unit, reason })))}
            >
              Reallocate
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={dialog === 'person'} onClose={() => setDialog(null)} title={`Allocate ${plural(rows.length, 'allegation')}`}>
        {dialog === 'person' && <PersonPicker onClose={() => setDialog(null)} onPick={(userId, name) => void each(`Allocating to ${name}`, `allocated to ${name}`, (r) => call('allegations.allocate', { id: r.id, userId }))} />}
      </Modal>
    </Paper>
  );
}
