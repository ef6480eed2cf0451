// A form's submission: busy while the call runs, the error it ended with (a CallError, whatever was thrown), and
// the form's own follow-up only when it succeeded. One place for what every form of the app did by hand.
import { useState, type FormEvent } from 'react';
import { CallError } from './client.ts';

export interface Submission {
  busy: boolean;
  error: CallError | null;
  setError: (error: CallError | null) => void;
  /** The form's onSubmit: runs `action` unless a submission is under way. */
  submit: (e: FormEvent) => Promise<void>;
}

export function useSubmit(action: () => Promise<void>): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof CallError ? err : new CallError({ code: 'internal', message: String(err) }));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, submit };
}
