import { useCallback, useEffect, useState } from 'react';
import type { ApiInput, ApiOutput, ProcedureName } from '../../../shared/api.ts';
import { call, CallError } from './client.ts';

export interface CallState<T> {
  data: T | undefined;
  error: CallError | null;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  /** Which request (input and reload count) this answer belongs to. */
  request: string;
  data: T | undefined;
  error: CallError | null;
}

/** Calls a read procedure whenever its input changes (null input: no call); keeps the last data while reloading. */
export function useCall<N extends ProcedureName>(name: N, input: ApiInput<N> | null): CallState<ApiOutput<N>> {
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input);
  const request = `${name}:${key}:${tick}`;
  const [settled, setSettled] = useState<Settled<ApiOutput<N>>>({ request: '', data: undefined, error: null });

  useEffect(() => {
    if (key === 'null') return;
    let current = true;
    call(name, JSON.parse(key) as ApiInput<N>).then(
      (value) => current && setSettled({ request, data: value, error: null }),
      (e: unknown) =>
        current && setSettled((s) => ({ request, data: s.data, error: e instanceof CallError ? e : new CallError({ code: 'internal', message: String(e) }) })),
    );
    return () => {
      current = false;
    };
  }, [name, key, request]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const loading = key !== 'null' && settled.request !== request;
  return { data: settled.data, error: settled.request === request ? settled.error : null, loading, reload };
}
