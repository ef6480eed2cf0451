// Writing a note, or amending one. Notes are kept for disclosure (CPIA): an amendment is a new note that names the
// one it corrects, and both are shown. Ctrl+Enter saves; Escape never throws away what was typed without asking.
import { useState } from 'react';
import { Alert, Blockquote, Button, Group, Kbd, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAlertCircle } from '@tabler/icons-react';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import { call, CallError } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../format.ts';

type Note = AllegationRecord['notes'][number];

export function NoteDialog({ record, amends, opened, onClose }: { record: AllegationRecord; amends: Note | null; opened: boolean; onClose: () => void }) {
  const [text, setText] = useState(amends?.text ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const dirty = text.trim() !== '' && text !== (amends?.text ?? '');

  async function save() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await call('notes.add', { allegationId: record.id, text, ...(amends ? { amendsNoteId: amends.id } : {}) });
      setText('');
      onClose();
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  /** Closing with something typed asks first: a note is not lost by a stray Escape. */
  const requestClose = () => {
    if (dirty) setConfirming(true);
    else onClose();
  };
  useHotkeys(opened ? [['mod+Enter', () => void save()]] : [], ['INPUT']);

  return (
    <Modal opened={opened} onClose={requestClose} title={amends ? `Amend a note on ${record.reference}` : `Note on ${record.reference}`} size="lg">
      <Stack>
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {error}
          </Alert>
        )}
        {amends && (
          <div>
            <Text size="xs" c="dimmed">
              The note of {formatDate(amends.date)} by {amends.author}, as written (it is kept, and shown with your amendment):
            </Text>
            <Blockquote p="xs" mt={4} className="record-text" fz="sm">
              {amends.text}
            </Blockquote>
          </div>
        )}
        <Text size="xs" c="dimmed">
          Notes are kept for disclosure: they cannot be edited afterwards, only amended by a later note that keeps the original. Dated {formatDateTime(new Date().toISOString())}.
        </Text>
        <Textarea
          label={amends ? 'The note as it should read' : 'Note'}
          autosize
          minRows={4}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setConfirming(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void save();
            }
          }}
          data-autofocus
        />
        {confirming ? (
          <Alert color="orange" variant="light" title="Discard what you typed?" role="alertdialog" aria-label="Discard what you typed?">
            <Group justify="flex-end" gap="xs">
              <Button size="xs" variant="default" onClick={() => setConfirming(false)} data-autofocus>
                Keep writing
              </Button>
              <Button
                size="xs"
                color="red"
                variant="light"
                onClick={() => {
                  setConfirming(false);
                  setText(amends?.text ?? '');
                  onClose();
                }}
              >
                Discard
              </Button>
            </Group>
          </Alert>
        ) : (
          <Group justify="flex-end">
            <Button loading={busy} onClick={() => void save()}>
              {amends ? 'Save amendment' : 'Add note'} <Kbd ml={8} size="xs">Ctrl ↵</Kbd>
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
