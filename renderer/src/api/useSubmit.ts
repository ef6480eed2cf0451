// A form's submission, or any button's call: busy while the call runs, the error it ended with (a CallError,
// whatever was thrown), and the caller's own follow-up only when it succeeded. One place for what every form and
// dialog of the app did by hand.
import { useState, type FormEvent } from 'react';
import { CallError } from './client.ts';

export interface Action<A extends unknown[]> {
  busy: boolean;
  error: CallError | null;
  setError: (error: CallError | null) => void;
  /** Runs the action unless one is under way (a second click while busy does nothing). */
  run: (...args: A) => Promise<void>;
}

export interface Submission extends Action<[]> {
  /** The form's onSubmit: runs the action unless a submission is under way. */
  submit: (e: FormEvent) => Promise<void>;
}

export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  async function run(...args: A) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (err) {
      setError(err instanceof CallError ? err : new CallError({ code: 'internal', message: String(err) }));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

export function useSubmit(action: () => Promise<void>): Submission {
  const a = useAction(action);
  return {
    ...a,
    submit: (e: FormEvent) => {
      e.preventDefault();
      return a.run();
    },
  };
}
