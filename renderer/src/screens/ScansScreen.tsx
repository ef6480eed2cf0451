// The NAT scan inbox: scans the post-room scanner wrote to the watched folder, waiting for an allegation. The
// sifter opens one, reads it page by page, and either keys a new allegation beside it (the scan is attached when
// the allegation is saved) or attaches it to an existing allegation. Refused files are listed with the reason;
// the administrator sets the folder here.
import { useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Collapse, Grid, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconCheck, IconFolder, IconPaperclip, IconPlus } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import type { ScanView } from '../../../shared/api/attachments.ts';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { formatDateTime, plural } from '../format.ts';
import { navigate } from '../router.ts';
import { Busy } from '../components/Busy.tsx';
import { GuidanceLink } from '../components/GuidanceLink.tsx';

export function ScanPreview({ scan }: { scan: Pick<ScanView, 'id' | 'fileName' | 'pages'> }) {
  const [page, setPage] = useState(1);
  const { data, error, loading } = useCall('scans.page', { id: scan.id, page });
  const pages = scan.pages ?? 1;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {scan.fileName}
        </Text>
        <Group gap={4}>
          <ActionIcon variant="default" onClick={() => setPage((p) => p - 1)} disabled={page <= 1} aria-label="Previous page">
            <IconArrowLeft size={16} />
          </ActionIcon>
          <Text size="sm" px={6} aria-live="polite">
            Page {page} of {pages}
          </Text>
          <ActionIcon variant="default" onClick={() => setPage((p) => p + 1)} disabled={page >= pages} aria-label="Next page">
            <IconArrowRight size={16} />
          </ActionIcon>
        </Group>
      </Group>
      {/* Focusable so that a keyboard user can scroll a page taller than the box. */}
      <div className="page-scroller" tabIndex={0} role="region" aria-label={`Scan ${scan.fileName}, page ${page}`} style={{ maxHeight: '70vh', overflow: 'auto' }}>
        {error ? <Alert color="red">{error.message}</Alert> : !data || loading ? <Busy label="Loading the page" /> : <img src={`data:image/png;base64,${data.png}`} alt={`Page ${page} of ${scan.fileName}`} style={{ width: '100%', display: 'block' }} />}
      </div>
    </Stack>
  );
}

function FolderSettings({ user }: { user: UserView }) {
  const { data } = useCall('scans.settings', {});
  const [folder, setFolder] = useState<string | null>(null);
  const [every, setEvery] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!data) return null;
  const admin = user.role === 'admin';
  async function save(clear = false) {
    setBusy(true);
    setError(null);
    try {
      await call('scans.configure', { folder: clear ? null : (folder ?? data?.folder ?? '').trim() || null, intervalSeconds: every ?? data?.intervalSeconds ?? 5 });
      setFolder(null);
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card withBorder padding="sm" component="section" aria-label="Watched scan folder">
      <Group gap="xs" mb={admin ? 'xs' : 0}>
        <IconFolder size={16} aria-hidden />
        <Text size="sm" fw={600}>
          Scan folder
        </Text>
        <Badge size="sm" color={data.state.ok ? 'teal' : 'gray'} variant="light">
          {data.state.ok ? 'watching' : 'not watching'}
        </Badge>
        <Text size="sm" c="dimmed">
          {data.state.message}
          {data.lastScanAt ? ` · last looked ${formatDateTime(data.lastScanAt)}` : ''}
        </Text>
      </Group>
      {admin && (
        <Group align="flex-end" gap="xs">
          <TextInput label="Folder the scanner writes to" description="Full path; IMS Desk moves each scan it takes into an ingested folder inside it" value={folder ?? data.folder ?? ''} onChange={(e) => setFolder(e.currentTarget.value)} error={error} w={460} />
          <NumberInput label="Look every (seconds)" min={1} max={3600} value={every ?? data.intervalSeconds} onChange={(v) => setEvery(typeof v === 'number' ? v : null)} w={160} />
          <Button onClick={() => void save()} loading={busy}>
            Save
          </Button>
          {data.folder && (
            <Button variant="default" onClick={() => void save(true)} loading={busy}>
              Stop watching
            </Button>
          )}
        </Group>
      )}
    </Card>
  );
}

export function ScansScreen({ user }: { user: UserView }) {
  const { data, error } = useCall('scans.list', { include: 'all' });
  const [selected, setSelected] = useState<string | null>(null);
  const [showRefused, setShowRefused] = useState(false);
  const [reference, setReference] = useState('');
  const [notice, setNotice] = useState<{ color: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const waiting = data?.scans.filter((s) => s.status === 'waiting').sort((a, b) => a.foundAt.localeCompare(b.foundAt)) ?? [];
  const refused = data?.scans.filter((s) => s.status === 'refused') ?? [];
  const attached = data?.scans.filter((s) => s.status === 'attached').slice(0, 10) ?? [];
  const scan = waiting.find((s) => s.id === selected) ?? waiting[0] ?? null;

  async function attachTo() {
    if (!scan) return;
    setBusy(true);
    setNotice(null);
    try {
      const a = await call('allegations.get', { reference: reference.trim().toUpperCase() });
      await call('scans.attach', { scanId: scan.id, allegationId: a.id });
      setNotice({ color: 'teal', text: `${scan.fileName} is attached to ${a.reference}; it is being read.` });
      setReference('');
    } catch (e) {
      setNotice({ color: 'red', text: e instanceof CallError ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md" maw={1500}>
      <div>
        <Group gap="md">
          <Title order={2}>Scan inbox</Title>
          <GuidanceLink step="intake" />
        </Group>
        <Text size="sm" c="dimmed">
          Letters and faxes scanned in the post room, waiting for an allegation. Open one, then key a new allegation beside it or attach it to an existing one.
        </Text>
      </div>
      <FolderSettings user={user} />
      {error && <Alert color="red">{error.message}</Alert>}
      {notice && (
        <Alert color={notice.color} role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice.text}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder padding="sm" component="section" aria-labelledby="waiting-title">
            <Title order={3} size="h5" id="waiting-title" mb="xs">
              Waiting ({waiting.length})
            </Title>
            {!data ? (
              <Busy label="Loading the scans" />
            ) : waiting.length === 0 ? (
              <Text size="sm" c="dimmed">
                No scans are waiting.
              </Text>
            ) : (
              <Table highlightOnHover fz="sm" aria-label="Scans waiting for an allegation">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>File</Table.Th>
                    <Table.Th>Pages</Table.Th>
                    <Table.Th>Arrived</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {waiting.map((s) => (
                    <Table.Tr key={s.id} aria-selected={scan?.id === s.id} className={scan?.id === s.id ? 'row-selected' : undefined}>
                      <Table.Td>
                        <Button variant="subtle" size="compact-sm" onClick={() => setSelected(s.id)} aria-label={`Open ${s.fileName}`}>
                          {s.fileName}
                        </Button>
                      </Table.Td>
                      <Table.Td>{s.pages ?? '—'}</Table.Td>
                      <Table.Td>{formatDateTime(s.foundAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {refused.length > 0 && (
              <>
                <Button variant="subtle" size="compact-sm" mt="sm" onClick={() => setShowRefused((v) => !v)} aria-expanded={showRefused}>
                  Refused ({refused.length})
                </Button>
                <Collapse expanded={showRefused}>
                  <Stack gap={4} mt={4}>
                    {refused.map((s) => (
                      <Text key={s.id} size="xs">
                        <b>{s.fileName}</b> — {s.error}
                      </Text>
                    ))}
                  </Stack>
                </Collapse>
              </>
            )}
            {attached.length > 0 && (
              <Stack gap={2} mt="sm">
                <Text size="xs" fw={600} c="dimmed">
                  Recently attached
                </Text>
                {attached.map((s) => (
                  <Text key={s.id} size="xs">
                    <IconCheck size={11} /> {s.fileName} → {s.attachedTo} ({s.attachedBy})
                  </Text>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          {scan && (
            <Card withBorder padding="sm" component="section" aria-label={`Scan ${scan.fileName}`}>
              <Stack gap="sm">
                <Group gap="xs" align="flex-end">
                  <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: 'new', scan: scan.id })}>
                    New allegation from this scan
                  </Button>
                  <TextInput label="or attach it to" placeholder="IMS-2026-000123" value={reference} onChange={(e) => setReference(e.currentTarget.value)} w={220} />
                  <Button variant="default" leftSection={<IconPaperclip size={16} />} onClick={() => void attachTo()} loading={busy} disabled={!reference.trim()}>
                    Attach
                  </Button>
                </Group>
                <Text size="xs" c="dimmed">
                  {plural(scan.pages ?? 1, 'page')} · arrived {formatDateTime(scan.foundAt)}
                </Text>
                <ScanPreview key={scan.id} scan={scan} />
              </Stack>
            </Card>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
