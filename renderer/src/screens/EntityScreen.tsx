// An entity's page: a person, phone, email, address, postcode, vehicle, business or flight, with every
// allegation, note and attachment page naming it (found as search finds it: identifiers in any format, names
// with their spellings), its first and last appearance, its timeline and a chart that grows from it.
import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconArrowLeft, IconChartDots3, IconListDetails, IconTimeline } from '@tabler/icons-react';
import { ENTITY_KIND_LABELS, type EntityKind } from '../../../shared/entities/entity.ts';
import { MATCH_TIER_LABELS } from '../../../shared/api/search.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { useCall } from '../api/useCall.ts';
import { formatDate, formatDateTime, plural } from '../format.ts';
import { navigate } from '../router.ts';
import { StatusBadge } from '../components/badges.tsx';
import { Busy } from '../components/Busy.tsx';
import { Snippet } from '../components/Snippet.tsx';
import { Timeline } from '../components/timeline/Timeline.tsx';
import { LinkChart } from '../components/links/LinkChart.tsx';
import { WatchButton } from '../components/watch/WatchButton.tsx';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function placeName(p: { kind: string; field?: string; fileName?: string; page?: number | null; date?: string; author?: string }): string {
  if (p.kind === 'form') return p.field === 'Account' ? 'the account' : `form: ${p.field}`;
  if (p.kind === 'note') return `note of ${formatDate(p.date)} by ${p.author}`;
  return `${p.fileName}${p.page ? `, page ${p.page}` : ''}`;
}

function EntityTimeline({ kind, value, label }: { kind: EntityKind; value: string; label: string }) {
  const { data, error } = useCall('timeline.entity', { kind, value });
  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!data) return <Busy label="Putting the timeline together" />;
  return (
    <Stack gap="xs">
      {data.truncated && <Text size="sm">The most recent {plural(Math.min(60, data.allegations), 'allegation')} of {data.allegations} are on the timeline.</Text>}
      <Timeline events={data.events} showReference label={`Timeline of ${label}`} />
    </Stack>
  );
}

export function EntityScreen({ kind, value, tab }: { kind: EntityKind; value: string; tab?: string | undefined }) {
  const { data, error, loading } = useCall('entities.get', { kind, value });
  const current = tab ?? 'appearances';
  const setTab = (t: string | null) => navigate({ name: 'entity', kind, value, tab: t && t !== 'appearances' ? t : undefined }, { replace: true });
  const kindLabel = ENTITY_KIND_LABELS[kind];

  if (error) {
    return (
      <Stack>
        <Alert color="red" icon={<IconAlertCircle size={18} />} title={`Could not open this ${kindLabel.toLowerCase()}`}>
          {error.message}
        </Alert>
      </Stack>
    );
  }
  if (!data) return <Busy label={`Looking for every record naming ${value}…`} shown={loading} />;
  return (
    <Stack gap="md" maw={1400}>
      <div>
        <Anchor href="#/search" size="sm" onClick={(e) => { if (window.history.length > 1) { e.preventDefault(); window.history.back(); } }}>
          <Group gap={4}>
            <IconArrowLeft size={14} /> Back
          </Group>
        </Anchor>
        <Group gap="sm" mt={4} justify="space-between" align="flex-start">
          <Group gap="sm">
            <Badge variant="light" color="indigo" size="lg">
              {kindLabel}
            </Badge>
            <Title order={2} className={kind === 'person' || kind === 'business' || kind === 'address' ? undefined : 'mono'}>
              {data.label}
            </Title>
          </Group>
          <WatchButton item={{ kind, value: data.value, label: data.label }} />
        </Group>
        {data.readAs.length > 0 && (
          <Text size="sm" c="dimmed">
            Found as search finds it — {data.readAs.join('; ')}
          </Text>
        )}
      </div>
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="lg" verticalSpacing={4}>
          <Fact label="Allegations">
            {data.allegations}
            {data.truncated ? '+' : ''}
          </Fact>
          <Fact label="First appearance">{data.firstSeen ? `${formatDateTime(data.firstSeen.at)} (${data.firstSeen.reference})` : '—'}</Fact>
          <Fact label="Last appearance">{data.lastSeen ? `${formatDateTime(data.lastSeen.at)} (${data.lastSeen.reference})` : '—'}</Fact>
          <Fact label="On forms">{plural(data.counts.form, 'field')}</Fact>
          <Fact label="In text">
            {plural(data.counts.account, 'account')}, {plural(data.counts.notes, 'note')}, {plural(data.counts.attachmentPages, 'attachment page')}
          </Fact>
        </SimpleGrid>
      </Card>
      {data.truncated && (
        <Alert color="yellow" variant="light">
          More allegations name this than the page lists: the first {data.appearances.length} found are shown. Search with filters to narrow them.
        </Alert>
      )}
      <Tabs value={current} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="appearances" leftSection={<IconListDetails size={14} />}>
            Where it appears ({data.appearances.length})
          </Tabs.Tab>
          <Tabs.Tab value="timeline" leftSection={<IconTimeline size={14} />}>
            Timeline
          </Tabs.Tab>
          <Tabs.Tab value="chart" leftSection={<IconChartDots3 size={14} />}>
            Link chart
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="appearances" pt="sm">
          {data.appearances.length === 0 ? (
            <Text c="dimmed">No allegation, note or attachment page names it.</Text>
          ) : (
            <Table fz="sm" aria-label={`Allegations naming ${data.label}`} verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Allegation</Table.Th>
                  <Table.Th>Received</Table.Th>
                  <Table.Th>Where it is named</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.appearances.map((a) => (
                  <Table.Tr key={a.allegationId}>
                    <Table.Td style={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
                      <Anchor href={`#/allegation/${encodeURIComponent(a.reference)}`} className="mono" fw={600}>
                        {a.reference}
                      </Anchor>
                      <Group gap={4} mt={2}>
                        <StatusBadge status={a.status} short />
                        {a.tier !== 'exact' && (
                          <Badge size="xs" variant="outline" color="gray" title={a.why.join('; ')}>
                            {MATCH_TIER_LABELS[a.tier]}
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {a.mainSubject || 'no subject'} · {unitName(a.unit)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>{formatDate(a.receivedAt)}</Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        {a.why.length > 0 && (
                          <Text size="xs" c="dimmed">
                            {a.why.join('; ')}
                          </Text>
                        )}
                        {a.places.map((p, i) => (
                          <div key={i}>
                            <Anchor href={p.link} size="xs" fw={600}>
                              {placeName(p.place)}
                            </Anchor>
                            <Text size="sm">
                              <Snippet text={p.snippet} />
                            </Text>
                          </div>
                        ))}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="sm">
          <EntityTimeline kind={kind} value={data.value} label={data.label} />
        </Tabs.Panel>
        <Tabs.Panel value="chart" pt="sm">
          <LinkChart start={{ entity: { kind, value: data.value } }} label={`${kind}-${data.value}`} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
