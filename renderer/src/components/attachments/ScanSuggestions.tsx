// Keying from a scan: the scan is read as soon as the form opens, and what it names is offered for the form
// (one click each), before the allegation is saved. The writer's own details are never offered: they are a
// source's, for the restricted pane.
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconSquareCheck } from '@tabler/icons-react';
import type { AllegationForm } from '../../../../shared/schemas/form.ts';
import { applySuggestion, SUGGESTION_LABELS, suggestionOnForm } from '../../../../shared/attachments/rules.ts';
import { useCall } from '../../api/useCall.ts';
import { plural } from '../../format.ts';
import { Busy } from '../Busy.tsx';
import { SuggestionValue } from './SuggestionValue.tsx';

export function ScanSuggestions({ scanId, fileName, form, onApply }: { scanId: string; fileName: string; form: AllegationForm; onApply: (form: AllegationForm) => void }) {
  const { data, error } = useCall('scans.read', { id: scanId });
  return (
    <Card withBorder padding="md" component="aside" aria-labelledby="scan-suggestions-title">
      <Title order={3} size="h5" id="scan-suggestions-title" mb="xs">
        Read from the scan
      </Title>
      {error ? (
        <Alert color="red" p="xs">
          {error.message}
        </Alert>
      ) : !data ? (
        <Busy label={`Reading ${fileName} (each page takes a second or two)`} shown />
      ) : data.suggestions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {plural(data.pagesRead, 'page')} read; nothing in it to suggest for the form.
        </Text>
      ) : (
        <Stack gap={6}>
          <Text size="xs" c="dimmed">
            {plural(data.pagesRead, 'page')} of {data.pages} read. The writer’s own details are left out.
          </Text>
          {data.suggestions.map((s) => {
            const onForm = suggestionOnForm(form, s);
            return (
              <div key={s.key}>
                <SuggestionValue s={s} />
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="xs" c="dimmed" truncate>
                    page {s.page} · {s.cue}
                  </Text>
                  {onForm ? (
                    <Text size="xs" c="teal.9" fw={600} style={{ whiteSpace: 'nowrap' }}>
                      <IconSquareCheck size={12} aria-hidden style={{ verticalAlign: -2 }} /> on the form
                    </Text>
                  ) : (
                    <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => onApply(applySuggestion(form, s).form)} aria-label={`Add ${SUGGESTION_LABELS[s.kind].toLowerCase()} ${s.value} to the form`}>
                      Add
                    </Button>
                  )}
                </Group>
              </div>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}
