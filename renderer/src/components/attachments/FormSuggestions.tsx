// Beside the electronic form: the fields suggested from the allegation's attachments, each with where it came
// from. One click puts it into the form being edited; nothing is saved until the person saves the form.
import { useEffect, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconSquareCheck } from '@tabler/icons-react';
import type { AllegationForm } from '../../../../shared/schemas/form.ts';
import type { SuggestionView } from '../../../../shared/api/attachments.ts';
import { applySuggestion, SUGGESTION_LABELS, suggestionOnForm } from '../../../../shared/attachments/rules.ts';
import { call } from '../../api/client.ts';
import { SuggestionValue } from './SuggestionValue.tsx';

type Found = SuggestionView & { fileName: string; attachmentId: string };

export function FormSuggestions({ allegationId, form, onApply }: { allegationId: string; form: AllegationForm; onApply: (form: AllegationForm) => void }) {
  const [found, setFound] = useState<Found[] | null>(null);
  useEffect(() => {
    let current = true;
    void (async () => {
      const list = await call('attachments.list', { allegationId });
      const out: Found[] = [];
      for (const a of list.filter((x) => x.suggestions > 0)) {
        const d = await call('attachments.get', { id: a.id });
        out.push(...d.suggestionList.map((s) => ({ ...s, fileName: a.fileName, attachmentId: a.id })));
      }
      if (current) setFound(out);
    })().catch(() => current && setFound([]));
    return () => {
      current = false;
    };
  }, [allegationId]);
  if (!found || found.length === 0) return null;
  return (
    <Card withBorder padding="md" component="aside" aria-labelledby="form-suggestions-title">
      <Title order={3} size="h5" id="form-suggestions-title" mb="xs">
        Suggested from attachments
      </Title>
      <Stack gap={6}>
        {found.map((s) => {
          const onForm = suggestionOnForm(form, s);
          return (
            <Group key={`${s.attachmentId}:${s.key}`} justify="space-between" wrap="nowrap">
              <div style={{ minWidth: 0 }}>
                <SuggestionValue s={s} />
                <Text size="xs" c="dimmed" truncate>
                  {s.fileName}, page {s.page} · {s.cue}
                </Text>
              </div>
              {onForm ? (
                <Badge size="sm" color="teal" variant="light" leftSection={<IconSquareCheck size={12} />}>
                  on the form
                </Badge>
              ) : (
                <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => onApply(applySuggestion(form, s).form)} aria-label={`Add ${SUGGESTION_LABELS[s.kind].toLowerCase()} ${s.value} to the form`}>
                  Add
                </Button>
              )}
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}
