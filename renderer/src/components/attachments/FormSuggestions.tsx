// Beside the electronic form: the fields suggested from the allegation's texts (the account, notes and
// attachments), each with where it came from and what was decided on it. One click puts it into the form being
// edited, and saving the form records it as accepted; a suggestion can also be rejected (recorded at once).
import { useEffect, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconSquareCheck, IconX } from '@tabler/icons-react';
import type { AllegationForm } from '../../../../shared/schemas/form.ts';
import type { SuggestionItem } from '../../../../shared/api/attachments.ts';
import { applySuggestion, SUGGESTION_LABELS, suggestionOnForm } from '../../../../shared/attachments/rules.ts';
import { call, CallError } from '../../api/client.ts';
import { SuggestionDecision, SuggestionValue } from './SuggestionValue.tsx';

/** Where a suggestion came from, in words: "page 2 of fax.tif", "the account", "a note of 2026-03-04 by …". */
export function suggestionPlace(s: Pick<SuggestionItem, 'from' | 'page'>): string {
  return s.from.kind === 'attachment' ? `page ${s.page} of ${s.from.label}` : s.from.label;
}

export function FormSuggestions({ allegationId, form, onApply }: { allegationId: string; form: AllegationForm; onApply: (form: AllegationForm) => void }) {
  const [found, setFound] = useState<SuggestionItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    call('allegations.suggestions', { id: allegationId }).then(
      (list) => current && setFound(list),
      () => current && setFound([]),
    );
    return () => {
      current = false;
    };
  }, [allegationId]);
  if (!found || found.length === 0) return null;
  const pending = (s: SuggestionItem) => form.accepted.some((a) => a.from === s.from.kind && a.fromId === s.from.id && a.key === s.key);

  async function reject(s: SuggestionItem) {
    setError(null);
    try {
      setFound(await call('allegations.rejectSuggestion', { id: allegationId, from: s.from.kind, fromId: s.from.id, key: s.key, reason: '' }));
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    }
  }

  return (
    <Card withBorder padding="md" component="aside" aria-labelledby="form-suggestions-title">
      <Title order={3} size="h5" id="form-suggestions-title" mb="xs">
        Suggested from the allegation’s texts
      </Title>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      <Stack gap="sm" role="list" aria-labelledby="form-suggestions-title">
        {found.map((s) => {
          const onForm = suggestionOnForm(form, s);
          const label = `${SUGGESTION_LABELS[s.kind].toLowerCase()} ${s.value}`;
          return (
            <Stack key={`${s.from.kind}:${s.from.id ?? ''}:${s.key}`} gap={2} role="listitem" data-testid={`form-suggestion-${s.kind}-${s.value}`}>
              <SuggestionValue s={s} />
              <Text size="xs" c="dimmed" lineClamp={2}>
                {suggestionPlace(s)} · {s.cue}
              </Text>
              <SuggestionDecision s={s} where={suggestionPlace(s)} />
              <Group gap={4} wrap="nowrap">
                {onForm ? (
                  <Badge size="sm" color="teal" variant="light" leftSection={<IconSquareCheck size={12} />}>
                    {pending(s) ? 'added: save to accept' : 'on the form'}
                  </Badge>
                ) : (
                  <>
                    <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => onApply(applySuggestion(form, s, { from: s.from.kind, fromId: s.from.id, key: s.key }).form)} aria-label={`Add ${label} to the form`}>
                      Add
                    </Button>
                    {s.decision?.decision !== 'rejected' && (
                      <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconX size={12} />} onClick={() => void reject(s)} aria-label={`Reject ${label}`}>
                        Reject
                      </Button>
                    )}
                  </>
                )}
              </Group>
            </Stack>
          );
        })}
      </Stack>
    </Card>
  );
}
