// Guidance in the desk: one page per step, each dated with its operative date and what changed, searchable with
// an in-memory index (MiniSearch: a few dozen sections need nothing heavier, and it runs in the renderer).
import { useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Card, Grid, Group, List, NavLink, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconBook, IconSearch } from '@tabler/icons-react';
import MiniSearch from 'minisearch';
import { GUIDANCE, currentVersion, guidancePage, type GuidancePage } from '../../../shared/guidance/pages.ts';
import { formatDate } from '../format.ts';
import { href, navigate } from '../router.ts';

interface Doc {
  id: string;
  step: string;
  title: string;
  heading: string;
  text: string;
}

/** One document per section, so a result says which part of which page matched. */
function buildIndex(): MiniSearch<Doc> {
  const index = new MiniSearch<Doc>({
    fields: ['title', 'heading', 'text'],
    storeFields: ['step', 'title', 'heading', 'text'],
    searchOptions: { boost: { title: 3, heading: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'AND' },
  });
  const docs: Doc[] = [];
  for (const p of GUIDANCE) {
    docs.push({ id: `${p.step}#summary`, step: p.step, title: p.title, heading: 'Summary', text: `${p.summary} ${p.where} ${p.who}` });
    p.sections.forEach((s, i) => docs.push({ id: `${p.step}#${i}`, step: p.step, title: p.title, heading: s.heading, text: s.text.join(' ') }));
    docs.push({ id: `${p.step}#history`, step: p.step, title: p.title, heading: 'What changed', text: p.history.flatMap((h) => h.changes).join(' ') });
  }
  index.addAll(docs);
  return index;
}

let built: MiniSearch<Doc> | null = null;
/** Built once, the first time guidance is opened (a few milliseconds). */
function guidanceIndex(): MiniSearch<Doc> {
  built ??= buildIndex();
  return built;
}

function excerpt(text: string, terms: readonly string[]): string {
  const lower = text.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0), text.length));
  const start = Math.max(0, at - 60);
  return `${start > 0 ? '…' : ''}${text.slice(start, start + 220)}${start + 220 < text.length ? '…' : ''}`;
}

function Paragraphs({ text }: { text: readonly string[] }) {
  const blocks: Array<{ list: string[] } | { para: string }> = [];
  for (const line of text) {
    if (line.startsWith('- ')) {
      const last = blocks.at(-1);
      if (last && 'list' in last) last.list.push(line.slice(2));
      else blocks.push({ list: [line.slice(2)] });
    } else blocks.push({ para: line });
  }
  return (
    <Stack gap={6}>
      {blocks.map((b, i) =>
        'list' in b ? (
          <List key={i} size="sm" spacing={4}>
            {b.list.map((item, j) => (
              <List.Item key={j}>{item}</List.Item>
            ))}
          </List>
        ) : (
          <Text key={i} size="sm">
            {b.para}
          </Text>
        ),
      )}
    </Stack>
  );
}

function Page({ page }: { page: GuidancePage }) {
  const current = currentVersion(page);
  return (
    <Card withBorder padding="lg" component="article" aria-labelledby="guidance-title">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} id="guidance-title">
            {page.title}
          </Title>
          <Text size="sm" c="dimmed">
            For: {page.who}
          </Text>
        </div>
        <Badge variant="light" color="teal" size="lg" data-testid="guidance-operative">
          Operative from {formatDate(current.operative)} · version {current.version}
        </Badge>
      </Group>
      <Text mt="sm" fw={600}>
        {page.summary}
      </Text>
      <Text size="sm" mt={4}>
        <Text span fw={600} size="sm">
          Where:{' '}
        </Text>
        {page.where}
      </Text>
      <Alert mt="md" color="indigo" variant="light" title={`What changed in version ${current.version}`}>
        <List size="sm" spacing={2}>
          {current.changes.map((c, i) => (
            <List.Item key={i}>{c}</List.Item>
          ))}
        </List>
      </Alert>
      <Stack gap="md" mt="md">
        {page.sections.map((s) => (
          <section key={s.heading} aria-label={s.heading}>
            <Title order={3} size="h5" mb={4}>
              {s.heading}
            </Title>
            <Paragraphs text={s.text} />
          </section>
        ))}
        <div>
          <Title order={3} size="h6">
            Based on
          </Title>
          <Text size="xs" c="dimmed">
            {page.sources.join(' · ')}
          </Text>
        </div>
        {page.history.length > 1 && (
          <div>
            <Title order={3} size="h6">
              Earlier versions
            </Title>
            {page.history.slice(0, -1).map((h) => (
              <Text key={h.version} size="xs" c="dimmed">
                Version {h.version}, operative {formatDate(h.operative)}: {h.changes.join(' ')}
              </Text>
            ))}
          </div>
        )}
      </Stack>
    </Card>
  );
}

export function GuidanceScreen({ step, q }: { step?: string | undefined; q?: string | undefined }) {
  const index = guidanceIndex();
  const [query, setQuery] = useState(q ?? '');
  const results = useMemo(() => (query.trim().length >= 2 ? index.search(query.trim()) : []), [index, query]);
  const page = step ? guidancePage(step) : undefined;
  return (
    <Grid gap="md" maw={1300}>
      <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
        <Stack gap="sm">
          <Group gap={6}>
            <IconBook size={18} aria-hidden />
            <Title order={2} size="h4">
              Guidance
            </Title>
          </Group>
          <TextInput
            label="Search the guidance"
            placeholder="e.g. legal basis, follow-up, scan"
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') navigate({ name: 'guidance', q: query || undefined }, { replace: true });
            }}
          />
          <nav aria-label="Guidance pages">
            {GUIDANCE.map((p) => (
              <NavLink key={p.step} href={href({ name: 'guidance', step: p.step })} label={p.title} description={`Operative ${formatDate(currentVersion(p).operative)}`} active={p.step === step} />
            ))}
          </nav>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
        {query.trim().length >= 2 ? (
          <Stack gap="sm" aria-live="polite">
            <Text size="sm" c="dimmed">
              {results.length} section{results.length === 1 ? '' : 's'} match “{query.trim()}”
            </Text>
            {results.slice(0, 20).map((r) => (
              <Card key={r.id} withBorder padding="sm" data-testid="guidance-result">
                <Anchor href={href({ name: 'guidance', step: r.step as string })} fw={600} onClick={() => setQuery('')}>
                  {r.title as string} — {r.heading as string}
                </Anchor>
                <Text size="sm">{excerpt(r.text as string, r.terms)}</Text>
              </Card>
            ))}
          </Stack>
        ) : page ? (
          <Page page={page} />
        ) : step ? (
          <Alert color="red">There is no guidance page called {step}.</Alert>
        ) : (
          <Stack gap="sm">
            <Text>Guidance for each step of the work, written for IMS Desk. Every page says when it became operative and what changed; search finds any section.</Text>
            {GUIDANCE.map((p) => (
              <Card key={p.step} withBorder padding="sm">
                <Anchor href={href({ name: 'guidance', step: p.step })} fw={600}>
                  {p.title}
                </Anchor>
                <Text size="sm">{p.summary}</Text>
              </Card>
            ))}
          </Stack>
        )}
      </Grid.Col>
    </Grid>
  );
}
