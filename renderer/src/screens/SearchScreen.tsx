// Search: one box for everything the records hold, an advanced panel of fielded filters, results that say
// where they matched (a form field, a note, an attachment page) and open the allegation there, saved searches
// with what is new since last time, and CSV export.
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Card, Checkbox, Collapse, Grid, Group, MultiSelect, SimpleGrid, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import type { UserView } from '../../../shared/api.ts';
import { BulkActions, type BulkRow } from '../components/bulk/BulkActions.tsx';
import { IconAdjustmentsHorizontal, IconAlertCircle, IconBookmark, IconDownload, IconSearch } from '@tabler/icons-react';
import { CHANNELS, CHANNEL_LABELS, OFFENCE_TYPES, OFFENCE_TYPE_LABELS, OUTCOMES, OUTCOME_LABELS, STATUSES, STATUS_LABELS } from '../../../shared/domain/vocabularies.ts';
import { UNITS, unitName } from '../../../shared/domain/units.ts';
import { filtersFromParams, filtersToParams, noFilters, searchFilters, type SearchFilters } from '../../../shared/search/filters.ts';
import { MATCH_TIER_LABELS, type MatchTier, type SearchHit } from '../../../shared/api/search.ts';
import { useCall } from '../api/useCall.ts';
import { call, CallError } from '../api/client.ts';
import { href, navigate } from '../router.ts';
import { formatDate, formatDateTime, plural } from '../format.ts';
import { StatusBadge } from '../components/badges.tsx';
import { Snippet } from '../components/Snippet.tsx';
import { MarkedText } from '../components/MarkedText.tsx';
import { Busy } from '../components/Busy.tsx';

const PAGE = 50;

const TIER_COLOURS: Record<MatchTier, string> = { exact: 'green', phrase: 'teal', corrected: 'yellow', fuzzy: 'orange', anywhere: 'gray', partial: 'gray' };

type TextFilter = 'name' | 'dob' | 'postcode' | 'phone' | 'email' | 'vehicle' | 'flight' | 'business' | 'receivedFrom' | 'receivedTo';
type ListFilter = 'offenceTypes' | 'channels' | 'units' | 'outcomes' | 'statuses';

const TEXT_FILTERS: Array<{ key: TextFilter; label: string; placeholder?: string; type?: string }> = [
  { key: 'name', label: 'Subject name', placeholder: 'forename, surname, either order' },
  { key: 'dob', label: 'Date or year of birth', placeholder: '1988-04-12 or 1988' },
  { key: 'postcode', label: 'Postcode or district', placeholder: 'N13 1LB, n131lb or N13' },
  { key: 'phone', label: 'Phone', placeholder: 'any format' },
  { key: 'email', label: 'Email' },
  { key: 'vehicle', label: 'Vehicle registration' },
  { key: 'flight', label: 'Flight', placeholder: 'TK2584' },
  { key: 'business', label: 'Business name' },
  { key: 'receivedFrom', label: 'Received from', type: 'date' },
  { key: 'receivedTo', label: 'Received to', type: 'date' },
];

const LIST_FILTERS: Array<{ key: ListFilter; label: string; data: Array<{ value: string; label: string }> }> = [
  { key: 'offenceTypes', label: 'Offence type', data: OFFENCE_TYPES.map((o) => ({ value: o, label: OFFENCE_TYPE_LABELS[o] })) },
  { key: 'channels', label: 'Channel', data: CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] })) },
  { key: 'units', label: 'Unit', data: UNITS.map((u) => ({ value: u.code, label: u.name })) },
  { key: 'outcomes', label: 'Outcome', data: OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] })) },
  { key: 'statuses', label: 'Status', data: STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })) },
];

function cleanFilters(f: SearchFilters): SearchFilters | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (Array.isArray(v) ? v.length : typeof v === 'string' ? v.trim() : v !== undefined) out[k] = typeof v === 'string' ? v.trim() : v;
  return Object.keys(out).length ? (out as SearchFilters) : undefined;
}

function SearchForm({ q, filters, error, fieldErrors }: { q: string; filters: SearchFilters; error: string | undefined; fieldErrors: boolean }) {
  const [text, setText] = useState(q);
  const [f, setF] = useState<SearchFilters>(filters);
  const [open, setOpen] = useState(!noFilters(filters) || fieldErrors);
  function submit(e: FormEvent) {
    e.preventDefault();
    const clean = cleanFilters(f);
    if (!text.trim() && !clean) return;
    navigate({ name: 'search', q: text.trim() || undefined, filters: filtersToParams(clean) });
  }
  const active = Object.values(cleanFilters(f) ?? {}).length;
  return (
    <form onSubmit={submit} role="search" aria-label="Search allegations">
      <Stack gap="xs">
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            autoFocus
            style={{ flex: 1 }}
            label="Search everything the records hold"
            description='Form fields, accounts, notes and attachment text. Names match misspellings, nicknames and other spellings; phones and postcodes in any format. Use "quotes" for a phrase, OR, NOT and ( ).'
            placeholder='e.g. Akram N13 1LB, "no papers", TK2584, 07914 991204'
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={error}
          />
          <Button type="submit">Search</Button>
        </Group>
        <Group gap="xs">
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconAdjustmentsHorizontal size={16} />}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls="advanced-search"
          >
            Advanced search{active ? ` (${active} filter${active === 1 ? '' : 's'})` : ''}
          </Button>
          {active > 0 && (
            <Button variant="subtle" size="compact-sm" color="gray" onClick={() => setF({})}>
              Clear filters
            </Button>
          )}
        </Group>
        <Collapse expanded={open}>
          <Card withBorder padding="sm" id="advanced-search" component="fieldset" style={{ border: '1px solid var(--mantine-color-gray-3)' }}>
            <Text component="legend" size="sm" fw={600} px={4}>
              Filters (all must match)
            </Text>
            <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm" verticalSpacing="xs">
              {TEXT_FILTERS.map((t) => (
                <TextInput
                  key={t.key}
                  size="xs"
                  label={t.label}
                  placeholder={t.placeholder}
                  type={t.type ?? 'text'}
                  value={(f[t.key] as string | undefined) ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setF((old) => ({ ...old, [t.key]: v }));
                  }}
                />
              ))}
              {LIST_FILTERS.map((l) => (
                <MultiSelect
                  key={l.key}
                  size="xs"
                  label={l.label}
                  data={l.data}
                  searchable
                  clearable
                  value={(f[l.key] as string[] | undefined) ?? []}
                  onChange={(v) => setF((old) => ({ ...old, [l.key]: v }))}
                />
              ))}
            </SimpleGrid>
          </Card>
        </Collapse>
      </Stack>
    </form>
  );
}

function placeLabel(m: SearchHit['matches'][number]): string {
  const p = m.place;
  if (p.kind === 'form') return p.field;
  if (p.kind === 'note') return `Note ${formatDate(p.date)} (${p.author})`;
  return `${p.fileName}${p.page !== null ? `, page ${p.page}` : ''}`;
}

/** An attachment link carries the query, so the viewer marks the words that were searched for on the page. */
function withTerms(link: string, q: string): string {
  return q && link.includes('tab=attachments') ? `${link}&q=${encodeURIComponent(q)}` : link;
}

function Hit({ hit, isNew, q, chosen, onChoose }: { hit: SearchHit; isNew: boolean; q: string; chosen: boolean; onChoose: () => void }) {
  const first = hit.matches[0]?.link;
  const open = first ? withTerms(first, q) : href({ name: 'allegation', reference: hit.reference });
  return (
    <Card withBorder padding="sm" bg={chosen ? 'indigo.0' : undefined}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm">
          <Checkbox size="xs" aria-label={`Choose ${hit.reference}`} checked={chosen} onChange={onChoose} />
          <Anchor href={open} className="mono" fw={700}>
            {hit.reference}
          </Anchor>
          <Text size="sm" fw={600}>
            {hit.mainSubject ? <MarkedText text={hit.mainSubject} /> : '(no subject)'}
          </Text>
          <StatusBadge status={hit.status} />
          <Tooltip label={hit.why.length ? hit.why.join('; ') : MATCH_TIER_LABELS[hit.tier]}>
            <Badge size="sm" variant={hit.tier === 'partial' ? 'outline' : 'light'} color={TIER_COLOURS[hit.tier]}>
              {MATCH_TIER_LABELS[hit.tier]}
            </Badge>
          </Tooltip>
          {isNew && (
            <Badge size="sm" color="indigo" variant="filled">
              New match
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" ta="right">
          {hit.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ')} · {unitName(hit.unit)} · {formatDate(hit.receivedAt)}
          {hit.postcode ? ` · ${hit.postcode}` : ''}
        </Text>
      </Group>
      {hit.why.length > 0 && (
        <Text size="xs" c="dimmed" mt={2}>
          {hit.why.join('; ')}
        </Text>
      )}
      <Stack gap={4} mt={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={`Where ${hit.reference} matched`}>
        {hit.matches.map((m, i) => (
          <Group key={i} gap="xs" wrap="nowrap" align="flex-start" component="li">
            <Anchor href={withTerms(m.link, q)} size="xs" style={{ flexShrink: 0, minWidth: 150 }}>
              <Badge size="sm" variant="outline" color={m.place.kind === 'attachment' ? 'orange' : m.place.kind === 'note' ? 'teal' : 'indigo'} style={{ cursor: 'pointer', textTransform: 'none' }}>
                {placeLabel(m)}
              </Badge>
            </Anchor>
            <Text size="sm">
              <Snippet text={m.snippet} />
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

interface SavedRun {
  id: string;
  name: string;
  newSince: number;
  seenAt: string | null;
  newIds: Set<string>;
}

function SavedSearches({ current, onRun }: { current: { q: string; filters: SearchFilters | undefined } | null; onRun: (run: SavedRun) => void }) {
  const list = useCall('search.saved.list', { counts: true });
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!current || !name.trim()) return;
    setSaving(true);
    try {
      await call('search.saved.create', { name: name.trim(), q: current.q, ...(current.filters ? { filters: current.filters } : {}) });
      setName('');
      setMessage('Saved. Matches found from now on will show as new.');
      list.reload();
    } catch (err) {
      setMessage(err instanceof CallError ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }
  async function run(id: string) {
    const before = list.data?.find((s) => s.id === id);
    const r = await call('search.saved.run', { id, limit: 1 });
    onRun({ id, name: r.saved.name, newSince: r.newSince, seenAt: before?.seenAt ?? null, newIds: new Set(r.newAllegationIds) });
    list.reload();
    navigate({ name: 'search', q: r.saved.q || undefined, filters: filtersToParams(r.saved.filters), saved: id });
  }
  async function remove(id: string) {
    await call('search.saved.remove', { id });
    list.reload();
  }
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="saved-searches">
      <Group gap={6} mb="xs">
        <IconBookmark size={16} />
        <Title order={3} size="h5" id="saved-searches">
          Saved searches
        </Title>
      </Group>
      {list.data && list.data.length === 0 && (
        <Text size="sm" c="dimmed">
          None yet. Run a search and save it to be told what is new.
        </Text>
      )}
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {list.data?.map((s) => (
          <Stack key={s.id} component="li" gap={2}>
            <Anchor component="button" type="button" size="sm" ta="left" onClick={() => void run(s.id)}>
              {s.name}
            </Anchor>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {s.description}
            </Text>
            <Group gap={6}>
              {s.newSince !== null && (
                <Badge size="sm" color={s.newSince ? 'indigo' : 'gray'} variant={s.newSince ? 'filled' : 'light'} aria-label={`${s.newSince} new since ${formatDateTime(s.seenAt)}`}>
                  {s.newSince} new
                </Badge>
              )}
              <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void remove(s.id)} aria-label={`Remove saved search ${s.name}`}>
                Remove
              </Button>
            </Group>
          </Stack>
        ))}
      </Stack>
      {current && (
        <form onSubmit={save}>
          <Group mt="sm" gap="xs" align="flex-end" wrap="nowrap">
            <TextInput size="xs" style={{ flex: 1 }} label="Save this search as" placeholder="e.g. Akram, Barking" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Button size="xs" type="submit" loading={saving} disabled={!name.trim()}>
              Save
            </Button>
          </Group>
        </form>
      )}
      {message && (
        <Text size="xs" mt={4} role="status">
          {message}
        </Text>
      )}
    </Card>
  );
}

function downloadCsv(fileName: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function SearchScreen({ q, filters: filterParams, saved, user }: { q?: string | undefined; filters?: Record<string, string> | undefined; saved?: string | undefined; user: UserView }) {
  const [chosen, setChosen] = useState<Map<string, BulkRow>>(() => new Map());
  const choose = (h: SearchHit) =>
    setChosen((c) => {
      const next = new Map(c);
      if (next.has(h.allegationId)) next.delete(h.allegationId);
      else next.set(h.allegationId, { id: h.allegationId, reference: h.reference, unit: h.unit });
      return next;
    });
  const parsed = searchFilters.safeParse(filtersFromParams(filterParams ?? {}));
  const filters = parsed.success ? cleanFilters(parsed.data) : undefined;
  const query = q ?? '';
  const [limit, setLimit] = useState(PAGE);
  const [savedRun, setSavedRun] = useState<SavedRun | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const hasQuery = !!query.trim() || !!filters;
  const { data: lastData, error, loading } = useCall('search.query', hasQuery && parsed.success ? { q: query, limit, ...(filters ? { filters } : {}) } : null);
  const routeKey = JSON.stringify([query, filterParams ?? {}]);
  const [lastKey, setLastKey] = useState(routeKey);
  if (lastKey !== routeKey) {
    // A new search starts from its first page.
    setLastKey(routeKey);
    setLimit(PAGE);
  }
  // After a failed search, the previous results are not shown as if they answered it.
  const data = error ? undefined : lastData;
  const run = savedRun && savedRun.id === saved ? savedRun : null;
  const badInput = error?.code === 'bad_request' ? error.message : !parsed.success ? parsed.error.issues[0]?.message : undefined;

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const r = await call('search.export', { q: query, limit: 10_000, ...(filters ? { filters } : {}) });
      downloadCsv(r.fileName, r.csv);
    } catch (err) {
      setExportError(err instanceof CallError ? err.message : String(err));
    } finally {
      setExporting(false);
    }
  }

  const firstPartial = data?.hits.findIndex((h) => h.tier === 'partial') ?? -1;
  return (
    <Grid gap="md" maw={1400}>
      <Grid.Col span={{ base: 12, lg: 9 }}>
        <Stack gap="md">
          <Title order={2}>Search</Title>
          <SearchForm key={routeKey} q={query} filters={filters ?? {}} error={badInput} fieldErrors={!parsed.success} />
          {run && (
            <Alert color="indigo" variant="light" title={run.name}>
              {run.newSince ? `${plural(run.newSince, 'new match', 'new matches')} since you last looked${run.seenAt ? ` (${formatDateTime(run.seenAt)})` : ''}; they are marked New.` : `Nothing new since you last looked${run.seenAt ? ` (${formatDateTime(run.seenAt)})` : ''}.`}
            </Alert>
          )}
          {error && error.code !== 'bad_request' && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} title="Search failed">
              {error.message}
            </Alert>
          )}
          {data && data.pending > 0 && (
            <Alert color="yellow" variant="light">
              {plural(data.pending, 'allegation is', 'allegations are')} still being indexed; results will include them shortly.
            </Alert>
          )}
          {loading && (
            <Busy label="Searching…" shown />
          )}
          {data && !loading && (
            <Group justify="space-between" align="flex-start">
              <Stack gap={2}>
                <Text size="sm" aria-live="polite">
                  {data.total.toLocaleString('en-GB')}
                  {data.totalIsLowerBound ? '+' : ''} allegation{data.total === 1 && !data.totalIsLowerBound ? '' : 's'} match · {data.tookMs} ms
                </Text>
                {data.readAs.map((line) => (
                  <Text key={line} size="xs" c="dimmed">
                    Read as {line}
                  </Text>
                ))}
              </Stack>
              <Group gap="xs">
                <Checkbox
                  size="xs"
                  label="Choose all shown"
                  checked={data.hits.length > 0 && data.hits.every((h) => chosen.has(h.allegationId))}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setChosen((c) => {
                      const next = new Map(c);
                      for (const h of data.hits) {
                        if (on) next.set(h.allegationId, { id: h.allegationId, reference: h.reference, unit: h.unit });
                        else next.delete(h.allegationId);
                      }
                      return next;
                    });
                  }}
                />
                <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => void exportCsv()} loading={exporting} disabled={!data.hits.length}>
                  Export CSV
                </Button>
              </Group>
            </Group>
          )}
          <BulkActions rows={[...chosen.values()]} user={user} onClear={() => setChosen(new Map())} />
          {exportError && (
            <Alert color="red" variant="light">
              {exportError}
            </Alert>
          )}
          <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Results">
            {data?.hits.map((h, i) => (
              <li key={h.allegationId}>
                {i === firstPartial && (
                  <Title order={3} size="h5" mb="xs" mt={i ? 'sm' : 0}>
                    Near matches — agree with part of the query
                  </Title>
                )}
                <Hit hit={h} isNew={!!run?.newIds.has(h.allegationId)} q={query} chosen={chosen.has(h.allegationId)} onChoose={() => choose(h)} />
              </li>
            ))}
          </Stack>
          {data && data.hits.length >= limit && limit < 500 && (
            <Button variant="default" onClick={() => setLimit((l) => Math.min(500, l + PAGE))}>
              Show more
            </Button>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 3 }}>
        <SavedSearches current={hasQuery ? { q: query, filters } : null} onRun={setSavedRun} />
      </Grid.Col>
    </Grid>
  );
}
