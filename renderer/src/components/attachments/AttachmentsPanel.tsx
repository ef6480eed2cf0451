// The record's attachments: attach files by picking them or dropping them here, watch each being read page by
// page, see a failure and its reason and read the failed pages again, open one in the viewer. Letters and faxes
// without their original scan (and no reason recorded) are flagged.
import { useRef, useState, type DragEvent } from 'react';
import { Alert, Badge, Box, Button, Collapse, Group, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconEye, IconFileText, IconRefresh, IconShieldExclamation, IconUpload } from '@tabler/icons-react';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import type { AttachmentSummary } from '../../../../shared/api/attachments.ts';
import { scanMissing } from '../../../../shared/attachments/rules.ts';
import { call, CallError } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { formatDateTime, plural } from '../../format.ts';
import { navigate } from '../../router.ts';
import { uploadAttachment } from './files.ts';

const ACCEPT = '.pdf,.tif,.tiff,.jpg,.jpeg,.png,application/pdf,image/tiff,image/jpeg,image/png';

interface Upload {
  key: string;
  name: string;
  sent: number;
  total: number;
  error: string | null;
  note: string | null;
}

function formatBytes(n: number | null): string {
  if (n === null) return '';
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** What the reading of an attachment has come to, in words. */
export function readingState(a: AttachmentSummary): { label: string; color: string; value: number; busy: boolean } {
  const read = a.pagesDone + a.pagesFailed;
  const value = a.pages > 0 ? Math.round((100 * read) / a.pages) : 0;
  if (!a.hasFile) return { label: 'Text from the legacy system (no file held)', color: 'gray', value: 100, busy: false };
  if (a.ocrStatus === 'pending') return { label: read > 0 ? `Waiting to read ${plural(a.pages - a.pagesDone, 'page')} again` : 'Waiting to be read', color: 'gray', value, busy: true };
  if (a.ocrStatus === 'running') return { label: a.pages ? `Reading: ${read} of ${plural(a.pages, 'page')} done` : 'Opening the file…', color: 'indigo', value, busy: true };
  if (a.ocrStatus === 'failed') return { label: a.error?.message ?? 'Could not be read', color: 'red', value: a.pages ? value : 100, busy: false };
  return { label: `Read: ${plural(a.pages, 'page')}${a.suggestions ? ` · ${plural(a.suggestions, 'suggested field')}` : ''}`, color: 'teal', value: 100, busy: false };
}

function AttachmentRow({ a, legacyText, reference, onRetry }: { a: AttachmentSummary; legacyText: string; reference: string; onRetry: (a: AttachmentSummary) => void }) {
  const [open, setOpen] = useState(false);
  const state = readingState(a);
  return (
    <Box data-testid={`attachment-${a.fileName}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconFileText size={18} aria-hidden style={{ marginTop: 2 }} />
          <div>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {a.fileName}
              </Text>
              {a.revealsSource && (
                <Badge size="xs" color="orange" variant="light" leftSection={<IconShieldExclamation size={10} />}>
                  reveals its writer
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {a.kind ? a.kind.toUpperCase() : a.mimeType}
              {a.byteSize !== null ? ` · ${formatBytes(a.byteSize)}` : ''} · added {formatDateTime(a.addedAt)} by {a.addedBy}
            </Text>
          </div>
        </Group>
        <Group gap={4} wrap="nowrap">
          {a.hasFile ? (
            <Button size="compact-sm" variant="light" leftSection={<IconEye size={14} />} onClick={() => navigate({ name: 'allegation', reference, tab: 'attachments', place: { attachment: a.id, page: 1 } })} aria-label={`View ${a.fileName}`}>
              View
            </Button>
          ) : (
            legacyText && (
              <Button size="compact-sm" variant="light" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
                {open ? 'Hide text' : 'Show text'}
              </Button>
            )
          )}
        </Group>
      </Group>
      {a.hasFile && (
        <Box mt={6}>
          <Progress value={state.value} color={state.color} size="sm" animated={state.busy} aria-label={`Reading ${a.fileName}`} />
          <Group justify="space-between" mt={2} wrap="nowrap">
            <Text size="xs" c={a.ocrStatus === 'failed' ? 'red.9' : 'dimmed'} role="status" aria-live="polite" data-testid="reading-state">
              {state.label}
            </Text>
            {a.ocrStatus === 'failed' && (
              <Button size="compact-xs" variant="subtle" color="red" leftSection={<IconRefresh size={12} />} onClick={() => onRetry(a)}>
                Retry {a.pages ? 'failed pages' : 'reading'}
              </Button>
            )}
          </Group>
        </Box>
      )}
      <Collapse expanded={open}>
        <Box className="attachment-text" mt="xs" tabIndex={0} aria-label={`Text of ${a.fileName}`}>
          {legacyText}
        </Box>
      </Collapse>
    </Box>
  );
}

export function AttachmentsPanel({ record }: { record: AllegationRecord }) {
  // Live: each page read, each attachment finished, changes the store, and the list re-reads (api/live.ts).
  const { data: list, error } = useCall('attachments.list', { allegationId: record.id });
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function attach(files: File[]) {
    setProblem(null);
    for (const file of files) {
      const key = `${file.name}-${file.size}-${Date.now()}`;
      setUploads((u) => [...u, { key, name: file.name, sent: 0, total: file.size, error: null, note: null }]);
      const patch = (p: Partial<Upload>) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, ...p } : x)));
      try {
        const r = await uploadAttachment(record.id, file, (sent, total) => patch({ sent, total }));
        if (r.alreadyAttached) patch({ note: r.resumed ? `${file.name} is already attached; its reading had not finished and carries on now` : `${file.name} is already attached (the same file)` });
        else setUploads((u) => u.filter((x) => x.key !== key));
      } catch (e) {
        patch({ error: e instanceof CallError ? e.message : String(e) });
      }
    }
  }

  async function retry(a: AttachmentSummary) {
    setProblem(null);
    try {
      await call('attachments.retry', { id: a.id });
    } catch (e) {
      setProblem(e instanceof CallError ? e.message : String(e));
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length) void attach(files);
  };

  const legacy = new Map(record.attachments.map((a) => [a.id, a.legacyText]));
  const missing = scanMissing({ channel: record.channel, attachments: list?.length ?? record.attachments.length, scanMissingReason: record.scanMissingReason });
  return (
    <Stack
      gap="sm"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      data-testid="attachments-drop-zone"
    >
      {missing && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} p="xs" title="Original scan missing">
          <Text size="sm">Letters and faxes need their original scan attached, or a recorded reason why not. Attach the scan here, or record the reason on the form.</Text>
        </Alert>
      )}
      {!missing && (list?.length ?? 0) === 0 && record.scanMissingReason && (
        <Text size="sm" c="dimmed">
          No scan: {record.scanMissingReason}
        </Text>
      )}
      {error && <Alert color="red">{error.message}</Alert>}
      {list?.length === 0 && !record.scanMissingReason && !missing && (
        <Text size="sm" c="dimmed">
          No attachments.
        </Text>
      )}
      {list?.map((a) => <AttachmentRow key={a.id} a={a} legacyText={legacy.get(a.id) ?? ''} reference={record.reference} onRetry={(x) => void retry(x)} />)}
      {uploads.map((u) => (
        <Box key={u.key}>
          <Text size="sm" fw={600}>
            {u.name}
          </Text>
          {u.error ? (
            <Text size="xs" c="red.9" role="alert">
              Not attached: {u.error}
            </Text>
          ) : u.note ? (
            <Text size="xs" c="dimmed" role="status">
              {u.note}
            </Text>
          ) : (
            <>
              <Progress value={u.total ? (100 * u.sent) / u.total : 0} size="sm" aria-label={`Uploading ${u.name}`} />
              <Text size="xs" c="dimmed" role="status">
                Uploading {formatBytes(u.sent)} of {formatBytes(u.total)}
              </Text>
            </>
          )}
        </Box>
      ))}
      {problem && (
        <Alert color="red" p="xs" role="alert">
          {problem}
        </Alert>
      )}
      <Group justify="space-between" className="drop-target" p="xs">
        <Text size="xs" c="dimmed">
          {dragging ? 'Drop to attach' : 'Drop scans here (PDF, TIFF including faxes, JPEG, PNG), or'}
        </Text>
        <Button size="compact-sm" variant="default" leftSection={<IconUpload size={14} />} onClick={() => input.current?.click()}>
          Attach files
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          aria-label="Attach files"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            if (files.length) void attach(files);
          }}
        />
      </Group>
    </Stack>
  );
}
