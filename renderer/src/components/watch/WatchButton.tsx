// Follow an allegation or an entity from its page; the watch list says what is new on it since last looked.
import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconEye, IconEyeCheck } from '@tabler/icons-react';
import type { WatchKind } from '../../../../shared/api/watch.ts';
import { call, CallError } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';

export function WatchButton({ item }: { item: { kind: WatchKind; value: string; label: string } }) {
  const { data } = useCall('watch.list', {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const held = data?.find((w) => w.kind === item.kind && w.value === item.value);
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      if (held) await call('watch.remove', { id: held.id });
      else await call('watch.add', { items: [item] });
    } catch (e) {
      setError(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button
      size="xs"
      variant={held ? 'filled' : 'light'}
      leftSection={held ? <IconEyeCheck size={14} /> : <IconEye size={14} />}
      loading={busy || !data}
      onClick={() => void toggle()}
      aria-pressed={!!held}
      title={error ?? (held ? 'On your watch list: click to stop watching' : 'Add to your watch list')}
      color={error ? 'red' : undefined}
    >
      {held ? 'Watching' : 'Watch'}
    </Button>
  );
}
