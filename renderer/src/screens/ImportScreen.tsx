import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, FileInput, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconFileImport, IconUpload } from '@tabler/icons-react';
import type { ApiOutput } from '../../../shared/api.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { call, CallError, subscribeEvents } from '../api/client.ts';
import { MarkedText } from '../components/MarkedText.tsx';

type Summary = ApiOutput<'import.finish'>;
type Phase = { kind: 'idle' } | { kind: 'uploading'; sent: number; total: number } | { kind: 'importing'; done: number; total: number; imported: number; failed: number } | { kind: 'done'; summary: Summary } | { kind: 'failed'; message: string };

export function ImportScreen() {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [jobId, setJobId] = useState<string | null>(null);

  useEffect(
    () =>
      subscribeEvents((e) => {
        if (e.type === 'import.progress' && e.jobId === jobId && !e.finished) {
          // Events travel apart from the call's answer and may arrive after it: never go back from the result.
          setPhase((now) => (now.kind === 'importing' ? { kind: 'importing', done: e.done, total: e.total ?? 0, imported: e.imported, failed: e.failed } : now));
        }
      }),
    [jobId],
  );

  async function start() {
    if (!file) return;
    try {
      const { jobId: id, chunkBytes } = await call('import.begin', { fileName: file.name, size: file.size });
      setJobId(id);
      // Decode as a stream, so a character split across two pieces arrives whole.
      const decoder = new TextDecoder('utf-8');
      let index = 0;
      for (let offset = 0; offset < file.size; offset += chunkBytes) {
        const bytes = await file.slice(offset, offset + chunkBytes).arrayBuffer();
        const last = offset + chunkBytes >= file.size;
        await call('import.chunk', { jobId: id, index: index++, text: decoder.decode(bytes, { stream: !last }) });
        setPhase({ kind: 'uploading', sent: Math.min(file.size, offset + chunkBytes), total: file.size });
      }
      setPhase({ kind: 'importing', done: 0, total: file.size, imported: 0, failed: 0 });
      const summary = await call('import.finish', { jobId: id });
      setPhase({ kind: 'done', summary });
    } catch (e) {
      setPhase({ kind: 'failed', message: e instanceof CallError ? e.message : String(e) });
    }
  }

  const busy = phase.kind === 'uploading' || phase.kind === 'importing';
  return (
    <Stack maw={1100}>
      <div>
        <Title order={2}>Import submissions</Title>
        <Text size="sm" c="dimmed">
          Files of online-form submissions (JSON Lines, one allegation per line). Each record is checked, routed to its unit by postcode, given its assessment due time and triaged for time-critical
          content. A record that fails is listed with its line and reason; the others import. Importing the same file again changes nothing.
        </Text>
      </div>
      <Card withBorder>
        <Group align="flex-end">
          <FileInput
            style={{ flex: 1 }}
            label="Submissions file"
            placeholder="Choose a .jsonl file"
            accept=".jsonl,.json,.ndjson,application/json,application/x-ndjson,text/plain"
            value={file}
            onChange={setFile}
            leftSection={<IconUpload size={16} />}
            disabled={busy}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
          />
          <Button leftSection={<IconFileImport size={16} />} disabled={!file || busy} onClick={() => void start()} loading={busy}>
            Import
          </Button>
        </Group>
      </Card>
      {phase.kind === 'uploading' && (
        <Stack gap={4}>
          <Text size="sm">Uploading {Math.round((100 * phase.sent) / Math.max(1, phase.total))}%</Text>
          <Progress value={(100 * phase.sent) / Math.max(1, phase.total)} aria-label="Upload progress" />
        </Stack>
      )}
      {phase.kind === 'importing' && (
        <Stack gap={4}>
          <Text size="sm" aria-live="polite">
            Importing… {phase.imported.toLocaleString('en-GB')} imported{phase.failed ? `, ${phase.failed} failed` : ''}
          </Text>
          <Progress value={(100 * phase.done) / Math.max(1, phase.total)} animated aria-label="Import progress" />
        </Stack>
      )}
      {phase.kind === 'failed' && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="The import did not run" role="alert">
          {phase.message}
        </Alert>
      )}
      {phase.kind === 'done' && <ImportResult summary={phase.summary} />}
    </Stack>
  );
}

function ImportResult({ summary }: { summary: Summary }) {
  const units = Object.entries(summary.byUnit).sort((a, b) => b[1] - a[1]);
  return (
    <Stack>
      {summary.stopped && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="The import stopped before the end of the file" role="alert">
          {summary.stopped}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 6 }}>
        {(
          [
            ['Lines read', summary.lines, 'gray'],
            ['Imported', summary.imported, 'teal'],
            ['Already held', summary.unchanged + summary.conflicts, 'gray'],
            ['Failed', summary.failed, summary.failed ? 'red' : 'gray'],
            ['Flagged to check', summary.flagged, summary.flagged ? 'orange' : 'gray'],
            ['Time-critical', summary.timeCritical, summary.timeCritical ? 'red' : 'gray'],
          ] as const
        ).map(([label, n, color]) => (
          <Card key={label} withBorder padding="sm">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {label}
            </Text>
            <Text size="xl" fw={700} c={`${color}.9`}>
              {n.toLocaleString('en-GB')}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {summary.file} · {summary.seconds} s{summary.sourceRedactions ? ` · source details withheld from open text in ${summary.sourceRedactions} places` : ''}
      </Text>
      {units.length > 0 && (
        <Card withBorder padding={0}>
          <Table aria-label="Routed to">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Routed to</Table.Th>
                <Table.Th ta="right">Allegations</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {units.map(([code, n]) => (
                <Table.Tr key={code}>
                  <Table.Td>
                    {unitName(code)} {code === 'NAT' && <Badge size="xs" variant="light">sift</Badge>}
                  </Table.Td>
                  <Table.Td ta="right">{n.toLocaleString('en-GB')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {summary.warnings.length > 0 && (
        <Card withBorder padding={0}>
          <Table striped aria-label="Imported with values kept as written">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Reference</Table.Th>
                <Table.Th>Kept as written, to check</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.warnings.map((w) => (
                <Table.Tr key={`${w.line}:${w.reason}`}>
                  <Table.Td>{w.line}</Table.Td>
                  <Table.Td className="mono">{w.reference ?? '—'}</Table.Td>
                  <Table.Td>
                    <MarkedText text={w.reason.replace(/^kept as written and flagged for checking: /, '')} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {summary.errors.length > 0 && (
        <Card withBorder padding={0}>
          <Table striped aria-label="Records not imported">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Reference</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.errors.map((e) => (
                <Table.Tr key={`${e.line}:${e.reason}`}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td className="mono">{e.reference ?? '—'}</Table.Td>
                  <Table.Td>
                    <MarkedText text={e.reason} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
