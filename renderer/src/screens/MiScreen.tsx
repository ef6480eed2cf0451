// Management information a manager can trust (000 §6.5-6.6): every figure computed from the records as they stand,
// for a unit, a region or nationally, over a period of receipt, with the national figures beside a region's or a
// unit's; every number opens the allegations behind it. CSV for a spreadsheet, a PDF report to print or send.
import { useState, type ReactNode } from 'react';
import { Alert, Anchor, Button, Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconDownload, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import type { UserView } from '../../../shared/api.ts';
import type { MiReportView } from '../../../shared/api/mi.ts';
import { NATIONAL_ROLES, RISK_RATINGS, RISK_RATING_LABELS } from '../../../shared/domain/vocabularies.ts';
import { REGIONS, REGION_LABELS, UNITS, unitByCode } from '../../../shared/domain/units.ts';
import { BREAKDOWN_COLUMNS, miGroup, percent, type MiGroup } from '../../../shared/mi/measures.ts';
import { call, CallError } from '../api/client.ts';
import { useCall } from '../api/useCall.ts';
import { navigate, type MiParams } from '../router.ts';
import { formatDateTime } from '../format.ts';
import { Busy } from '../components/Busy.tsx';
import { FigureCard, FigureLink } from '../components/mi/FigureCard.tsx';
import { GuidanceLink } from '../components/GuidanceLink.tsx';
import { useSyncStatus } from '../components/sync/useSyncStatus.ts';

const ukDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
function today(): string {
  return ukDay.format(new Date());
}
function shift(day: string, months: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 10);
}
function endOfMonth(firstDay: string): string {
  const [y, m] = firstDay.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const PERIODS = [
  { value: 'all', label: 'Everything held' },
  { value: 'this_month', label: 'This month' },
  { value: 'last_month', label: 'Last month' },
  { value: 'last_3', label: 'Last 3 months' },
  { value: 'last_12', label: 'Last 12 months' },
  { value: 'custom', label: 'Dates…' },
];
function periodDates(preset: string): { from?: string; to?: string } {
  const t = today();
  const first = `${t.slice(0, 7)}-01`;
  switch (preset) {
    case 'this_month':
      return { from: first, to: t };
    case 'last_month':
      return { from: shift(first, -1), to: endOfMonth(shift(first, -1)) };
    case 'last_3':
      return { from: shift(first, -2), to: t };
    case 'last_12':
      return { from: shift(first, -11), to: t };
    default:
      return {};
  }
}

function download(fileName: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Headline({ label, value, detail }: { label: string; value: ReactNode; detail: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </Card>
  );
}

function group(id: string): MiGroup {
  const g = miGroup(id);
  if (!g) throw new Error(`no MI group ${id}`);
  return g;
}

function RiskStandards({ report, scope }: { report: MiReportView; scope: MiParams }) {
  const g = group('riskRatings.standard');
  const counts = report.groups[g.id] ?? {};
  const cols = ['met', 'missed', 'open', 'overdue'] as const;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="mi-risk-standard">
      <Title order={3} size="h5" id="mi-risk-standard">
        {g.title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {g.definition}
      </Text>
      <Table fz="sm" striped withRowBorders={false} aria-labelledby="mi-risk-standard">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Risk rating</Table.Th>
            {cols.map((c) => (
              <Table.Th key={c} ta="right">
                {c[0]?.toUpperCase()}
                {c.slice(1)}
              </Table.Th>
            ))}
            <Table.Th ta="right">Met of decided</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {RISK_RATINGS.map((r) => {
            const met = counts[`${r}:met`] ?? 0;
            const missed = counts[`${r}:missed`] ?? 0;
            return (
              <Table.Tr key={r}>
                <Table.Td>{RISK_RATING_LABELS[r]}</Table.Td>
                {cols.map((c) => (
                  <Table.Td key={c} ta="right">
                    <FigureLink n={counts[`${r}:${c}`] ?? 0} scope={scope} group={g.id} keyName={`${r}:${c}`} label={`${RISK_RATING_LABELS[r]}, ${c}`} />
                  </Table.Td>
                ))}
                <Table.Td ta="right">{percent(met, met + missed)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function BreakdownTable({ report, scope }: { report: MiReportView; scope: MiParams }) {
  const by = report.scope.by;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="mi-breakdown">
      <Title order={3} size="h5" id="mi-breakdown">
        By {by}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Each row is the allegations of that {by} in scope and period; the last row is the total.
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table fz="sm" striped withRowBorders={false} aria-labelledby="mi-breakdown" data-testid="mi-breakdown">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{by === 'unit' ? 'Unit' : by === 'region' ? 'Region' : 'Month'}</Table.Th>
              <Table.Th ta="right">Allegations</Table.Th>
              {BREAKDOWN_COLUMNS.map((c) => (
                <Table.Th key={c.id} ta="right">
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.breakdown.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>{r.label}</Table.Td>
                <Table.Td ta="right">
                  <FigureLink n={r.total} scope={scope} group="total" keyName="all" label={`all allegations, ${r.label}`} row={{ by, key: r.key }} />
                </Table.Td>
                {BREAKDOWN_COLUMNS.map((c) => (
                  <Table.Td key={c.id} ta="right">
                    <FigureLink n={r.cells[c.id] ?? 0} scope={scope} group={c.group} keyName={c.key} label={`${c.label}, ${r.label}`} row={{ by, key: r.key }} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
            <Table.Tr fw={700}>
              <Table.Td>Total</Table.Td>
              <Table.Td ta="right">
                <FigureLink n={report.total} scope={scope} group="total" keyName="all" label="all allegations in scope" />
              </Table.Td>
              {BREAKDOWN_COLUMNS.map((c) => (
                <Table.Td key={c.id} ta="right">
                  <FigureLink n={report.groups[c.group]?.[c.key] ?? 0} scope={scope} group={c.group} keyName={c.key} label={`${c.label}, all in scope`} />
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

export function MiScreen({ user, scope }: { user: UserView; scope: MiParams }) {
  const national = NATIONAL_ROLES.includes(user.role);
  const { source, ...asked } = scope;
  const input = { ...asked } as Record<string, string>;
  const sync = useSyncStatus();
  const connected = Boolean(sync.status?.configured);
  const fromServer = source === 'server';
  const deskCall = useCall('mi.report', input as never);
  const serverCall = useCall('mi.national', fromServer ? (input as never) : null);
  const serverAnswer = fromServer ? serverCall.data : undefined;
  const serverReport = serverAnswer?.available ? serverAnswer.report : null;
  /** Which figures are shown: the server's when asked for and given; otherwise (and offline) this desk's. */
  const shown: 'server' | 'desk' = serverReport ? 'server' : 'desk';
  const data = fromServer ? (serverReport ?? (serverAnswer ? deskCall.data : undefined)) : deskCall.data;
  const error = fromServer ? (serverCall.error ?? (serverAnswer && !serverAnswer.available ? deskCall.error : null)) : deskCall.error;
  const loading = fromServer ? serverCall.loading || (!serverReport && deskCall.loading) : deskCall.loading;
  const showNational = national && data && data.scope.level !== 'national';
  const nationalInput = showNational ? { level: 'national', from: data.scope.from, to: data.scope.to, by: data.scope.by } : null;
  const nationalDesk = useCall('mi.report', (shown === 'desk' ? nationalInput : null) as never);
  const nationalServer = useCall('mi.national', (shown === 'server' ? nationalInput : null) as never);
  const [preset, setPreset] = useState(scope.from || scope.to ? 'custom' : 'all');
  const [busy, setBusy] = useState<null | 'csv' | 'pdf'>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const go = (next: MiParams) => navigate({ name: 'mi', scope: Object.fromEntries(Object.entries({ ...scope, ...next }).filter((e) => e[1])) });
  const resolved: MiParams = data
    ? { level: data.scope.level, region: data.scope.region ?? undefined, unit: data.scope.unit ?? undefined, from: data.scope.from, to: data.scope.to, by: data.scope.by, ...(shown === 'server' ? { source: 'server' } : {}) }
    : scope;
  const drillScope = resolved;

  async function exportAs(kind: 'csv' | 'pdf') {
    setBusy(kind);
    setExportError(null);
    try {
      if (kind === 'csv') {
        const r = await call('mi.export', input as never);
        download(r.fileName, new Blob([r.csv], { type: 'text/csv;charset=utf-8' }));
      } else {
        const r = await call('mi.pdf', input as never);
        const bytes = Uint8Array.from(atob(r.pdfBase64), (c) => c.charCodeAt(0));
        download(r.fileName, new Blob([bytes], { type: 'application/pdf' }));
      }
    } catch (e) {
      setExportError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const n = (id: string, key: string) => data?.groups[id]?.[key] ?? 0;
  const nat = shown === 'server' ? (nationalServer.data?.available ? nationalServer.data.report : undefined) : nationalDesk.data;
  const within = n('timeliness.target', 'within');
  const late = n('timeliness.target', 'late');
  const tcMet = n('timeCritical.standard', 'met');
  const tcMissed = n('timeCritical.standard', 'missed');
  const closed = n('assurance.closure', 'closed');
  const ownUnit = user.unit ? unitByCode(user.unit) : undefined;

  return (
    <Stack gap="md" maw={1500}>
      <Group justify="space-between" align="flex-end" className="no-print">
        <div>
          <Title order={2}>Management information</Title>
          <Text size="sm" c="dimmed">
            {data ? `${data.scope.label} · allegations received ${data.scope.from} to ${data.scope.to}` : 'Figures from the records as they stand'}
          </Text>
          {data && (
            <Text size="sm" fw={600} data-testid="mi-source">
              {shown === 'server' ? `National record, from the server, as of ${formatDateTime(data.asOf)}` : `This desk’s records, as of ${formatDateTime(data.asOf)}`}
            </Text>
          )}
        </div>
        <Group gap="xs">
          <GuidanceLink step="management-information" />
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} loading={busy === 'csv'} onClick={() => void exportAs('csv')} disabled={!data || shown === 'server'}>
            Export CSV
          </Button>
          <Button size="xs" variant="default" leftSection={<IconFileTypePdf size={14} />} loading={busy === 'pdf'} onClick={() => void exportAs('pdf')} disabled={!data || shown === 'server'}>
            PDF report
          </Button>
          <Button size="xs" variant="default" leftSection={<IconPrinter size={14} />} onClick={() => window.print()} disabled={!data}>
            Print
          </Button>
        </Group>
      </Group>
      <Card withBorder padding="sm" className="no-print">
        <Group gap="md" align="flex-end" wrap="wrap">
          {connected && (
            <div>
              <Text size="sm" fw={500} mb={2} id="mi-source-label">
                Figures from
              </Text>
              <SegmentedControl
                aria-labelledby="mi-source-label"
                value={fromServer ? 'server' : 'desk'}
                onChange={(v) => go({ source: v === 'server' ? 'server' : undefined })}
                data={[
                  { value: 'desk', label: 'This desk' },
                  { value: 'server', label: 'National record (server)' },
                ]}
              />
            </div>
          )}
          {national && (
            <SegmentedControl
              aria-label="Scope"
              value={data?.scope.level ?? scope.level ?? 'national'}
              onChange={(level) => go({ level, region: level === 'region' ? (data?.scope.region ?? ownUnit?.region ?? 'london') : undefined, unit: level === 'unit' ? (data?.scope.unit ?? user.unit ?? 'WMID') : undefined })}
              data={[
                { value: 'national', label: 'National' },
                { value: 'region', label: 'Region' },
                { value: 'unit', label: 'Unit' },
              ]}
            />
          )}
          {national && data?.scope.level === 'region' && (
            <Select label="Region" size="sm" w={260} value={data.scope.region} allowDeselect={false} data={REGIONS.map((r) => ({ value: r, label: REGION_LABELS[r] }))} onChange={(v) => v && go({ level: 'region', region: v, unit: undefined })} />
          )}
          {national && data?.scope.level === 'unit' && (
            <Select label="Unit" size="sm" w={300} searchable value={data.scope.unit} allowDeselect={false} data={UNITS.map((u) => ({ value: u.code, label: u.name }))} onChange={(v) => v && go({ level: 'unit', unit: v, region: undefined })} />
          )}
          <Select
            label="Received"
            size="sm"
            w={190}
            value={preset}
            allowDeselect={false}
            data={PERIODS}
            onChange={(v) => {
              if (!v) return;
              setPreset(v);
              if (v !== 'custom') go(v === 'all' ? { from: undefined, to: undefined } : periodDates(v));
            }}
          />
          {preset === 'custom' && (
            <>
              <TextInput label="From" type="date" size="sm" value={scope.from ?? data?.scope.from ?? ''} onChange={(e) => e.currentTarget.value && go({ from: e.currentTarget.value })} />
              <TextInput label="To" type="date" size="sm" value={scope.to ?? data?.scope.to ?? ''} onChange={(e) => e.currentTarget.value && go({ to: e.currentTarget.value })} />
            </>
          )}
          <div>
            <Text size="sm" fw={500} mb={2} id="mi-by-label">
              Break down by
            </Text>
            <SegmentedControl
              aria-labelledby="mi-by-label"
              value={data?.scope.by ?? scope.by ?? 'unit'}
              onChange={(by) => go({ by })}
              data={[
                { value: 'unit', label: 'Unit' },
                { value: 'region', label: 'Region' },
                { value: 'month', label: 'Month' },
              ]}
            />
          </div>
        </Group>
      </Card>
      {fromServer && serverAnswer && !serverAnswer.available && (
        <Alert color="yellow" icon={<IconAlertCircle size={18} />} title="Showing this desk’s figures" data-testid="mi-offline">
          {serverAnswer.reason}
        </Alert>
      )}
      {shown === 'server' && (
        <Text size="xs" c="dimmed" className="no-print">
          Computed by the server over every allegation synced to it, with the same rules as this desk; exports are of this desk’s figures.
        </Text>
      )}
      {exportError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not export">
          {exportError}
        </Alert>
      )}
      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not compute the figures">
          {error.message}
        </Alert>
      )}
      {!data && loading && <Busy label="Computing the figures from the records…" shown />}
      {data && (
        <>
          <Title order={2} size="h4" className="print-only">
            Management information — {data.scope.label}, received {data.scope.from} to {data.scope.to}
          </Title>
          <SimpleGrid cols={{ base: 2, md: 3, xl: 6 }} spacing="sm" data-testid="mi-headlines">
            <Headline label="Allegations" value={<FigureLink n={data.total} scope={drillScope} group="total" keyName="all" label="all allegations in scope" />} detail={nat ? `of ${nat.total.toLocaleString('en-GB')} nationally` : 'received in the period'} />
            <Headline label="Assessed within 2 working days" value={percent(within, within + late)} detail={`${within.toLocaleString('en-GB')} of ${(within + late).toLocaleString('en-GB')} assessed here`} />
            <Headline label="Time-critical within 24 h" value={percent(tcMet, tcMet + tcMissed)} detail={`${tcMet} met, ${tcMissed} missed`} />
            <Headline label="Forms complete" value={percent(n('dataQuality.form', 'complete'), data.total)} detail={`${n('dataQuality.form', 'incomplete').toLocaleString('en-GB')} incomplete`} />
            <Headline label="Closed with sign-off evidence" value={percent(n('assurance.closure', 'signed_off'), closed)} detail={`of ${closed.toLocaleString('en-GB')} closed`} />
            <Headline label="Follow-ups overdue" value={<FigureLink n={n('followUps.due', 'overdue')} scope={drillScope} group="followUps.due" keyName="overdue" label="follow-ups overdue" />} detail={`of ${n('followUps.due', 'open').toLocaleString('en-GB')} awaiting a result`} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <FigureCard testId="mi-timeliness" group={group('timeliness.buckets')} counts={data.groups['timeliness.buckets'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['timeliness.buckets']} nationalTotal={nat?.total} chart="vertical" />
            <FigureCard group={group('timeliness.target')} counts={data.groups['timeliness.target'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['timeliness.target']} nationalTotal={nat?.total} />
            <FigureCard group={group('timeCritical.standard')} counts={data.groups['timeCritical.standard'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['timeCritical.standard']} nationalTotal={nat?.total} chartSkip={['flagged']} />
            <FigureCard group={group('riskRatings.assigned')} counts={data.groups['riskRatings.assigned'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['riskRatings.assigned']} nationalTotal={nat?.total} />
            <RiskStandards report={data} scope={drillScope} />
            <FigureCard group={group('outcomes.category')} counts={data.groups['outcomes.category'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['outcomes.category']} nationalTotal={nat?.total} />
            <FigureCard group={group('outcomes.action')} counts={data.groups['outcomes.action'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['outcomes.action']} nationalTotal={nat?.total} />
            <FigureCard group={group('outcomes.result')} counts={data.groups['outcomes.result'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['outcomes.result']} nationalTotal={nat?.total} />
            <FigureCard group={group('outcomes.nfaReason')} counts={data.groups['outcomes.nfaReason'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['outcomes.nfaReason']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('followUps.due')} counts={data.groups['followUps.due'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['followUps.due']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('reporters.type')} counts={data.groups['reporters.type'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['reporters.type']} nationalTotal={nat?.total} />
            <FigureCard group={group('reporters.channel')} counts={data.groups['reporters.channel'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['reporters.channel']} nationalTotal={nat?.total} />
            <FigureCard group={group('dataQuality.form')} counts={data.groups['dataQuality.form'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['dataQuality.form']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('dataQuality.paperScan')} counts={data.groups['dataQuality.paperScan'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['dataQuality.paperScan']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('dataQuality.source')} counts={data.groups['dataQuality.source'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['dataQuality.source']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('grading.assessed')} counts={data.groups['grading.assessed'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['grading.assessed']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('assurance.closure')} counts={data.groups['assurance.closure'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['assurance.closure']} nationalTotal={nat?.total} chart="none" />
            <FigureCard group={group('assurance.sample')} counts={data.groups['assurance.sample'] ?? {}} total={data.total} scope={drillScope} national={nat?.groups['assurance.sample']} nationalTotal={nat?.total} chart="none" />
          </SimpleGrid>
          <BreakdownTable report={data} scope={drillScope} />
          <Text size="xs" c="dimmed">
            Computed in {data.tookMs} ms from the fact row each allegation keeps current
            {data.caughtUp ? `; ${data.caughtUp.toLocaleString('en-GB')} facts were brought up to date first` : ''}. <Anchor href="#/followups" size="xs" underline="always">Follow-up queue</Anchor> ·{' '}
            <Anchor href="#/qa" size="xs" underline="always">Sample checks</Anchor>
          </Text>
        </>
      )}
    </Stack>
  );
}
