import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconSearch } from '@tabler/icons-react';
import { OFFENCE_TYPE_LABELS } from '../../../shared/domain.ts';
import { unitName } from '../../../shared/units.ts';
import { useCall } from '../api/useCall.ts';
import { href, navigate } from '../router.ts';
import { formatDate } from '../format.ts';
import { StatusBadge } from '../components/badges.tsx';
import { Snippet } from '../components/Snippet.tsx';

function SearchBox({ initialQuery, error }: { initialQuery: string; error: string | undefined }) {
  const [text, setText] = useState(initialQuery);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (text.trim()) navigate({ name: 'search', q: text.trim() });
  }
  return (
      <form onSubmit={submit} role="search">
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            autoFocus
            style={{ flex: 1 }}
            label="Search everything the records hold"
            description='Form fields, accounts, notes and attachment text. Use "quotes" for a phrase, OR, NOT and ( ).'
            placeholder='e.g. Akram N13 1LB, "no papers", TK2584, 07914 991204'
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={error}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
  );
}

export function SearchScreen({ initialQuery }: { initialQuery?: string | undefined }) {
  const { data, error, loading } = useCall('search.query', initialQuery ? { q: initialQuery, limit: 50 } : null);
  return (
    <Stack gap="md" maw={1100}>
      <Title order={2}>Search</Title>
      <SearchBox key={initialQuery ?? ''} initialQuery={initialQuery ?? ''} error={error?.code === 'bad_request' ? error.message : undefined} />
      {error && error.code !== 'bad_request' && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Search failed">
          {error.message}
        </Alert>
      )}
      {loading && (
        <Group>
          <Loader size="sm" /> <Text size="sm">Searching…</Text>
        </Group>
      )}
      {data && !loading && (
        <Text size="sm" c="dimmed" aria-live="polite">
          {data.total.toLocaleString('en-GB')} allegation{data.total === 1 ? '' : 's'} match · {data.tookMs} ms{data.total > data.hits.length ? ` · showing the best ${data.hits.length}` : ''}
        </Text>
      )}
      <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Results">
        {data?.hits.map((h) => (
          <li key={h.allegationId}>
            <Card withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap">
                <Group gap="sm">
                  <Anchor href={href({ name: 'allegation', reference: h.reference })} className="mono" fw={700}>
                    {h.reference}
                  </Anchor>
                  <Text size="sm" fw={600}>
                    {h.mainSubject || '(no subject)'}
                  </Text>
                  <StatusBadge status={h.status} />
                </Group>
                <Text size="xs" c="dimmed">
                  {h.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ')} · {unitName(h.unit)} · {formatDate(h.receivedAt)}
                </Text>
              </Group>
              <Stack gap={4} mt={6}>
                {h.matches.map((m, i) => (
                  <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                    <Badge size="xs" variant="outline" color={m.place.kind === 'attachment' ? 'orange' : m.place.kind === 'note' ? 'teal' : 'indigo'} style={{ flexShrink: 0 }}>
                      {m.place.kind === 'attachment' ? `${m.place.fileName}${m.place.page ? ` p.${m.place.page}` : ''}` : m.place.kind}
                    </Badge>
                    <Text size="sm">
                      <Snippet text={m.snippet} />
                    </Text>
                  </Group>
                ))}
              </Stack>
            </Card>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
