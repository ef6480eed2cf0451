// Why a call failed, as the person at the desk reads it: the server's or core's message, and any field messages it
// does not already say.
import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { CallError } from '../api/client.ts';

export function messageOf(e: unknown): string {
  if (e instanceof CallError) {
    const more = Object.values(e.fields).filter((m) => !e.message.includes(m));
    return more.length ? `${e.message} Also: ${more.join('; ')}.` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
      {typeof error === 'string' ? error : messageOf(error)}
    </Alert>
  );
}
