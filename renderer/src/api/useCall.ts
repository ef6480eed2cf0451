import { useCallback, useEffect, useState } from 'react';
import type { ApiInput, ApiOutput, ProcedureName } from '../../../shared/api.ts';
import { call, CallError } from './client.ts';
import { useStoreGeneration } from './live.ts';

export interface CallState<T> {
  data: T | undefined;
  error: CallError | null;
  /** The first answer for this input (or an explicit reload) is awaited; a live refresh is not "loading". */
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  /** Which request (input and reload count) this answer belongs to. */
  request: string;
  /** Which input it answered, whatever the store's generation. */
  input: string;
  data: T | undefined;
  error: CallError | null;
}

/**
 * Calls a read procedure whenever its input changes (null input: no call), and again whenever the store changes
 * (live.ts); keeps the last data while reading again.
 */
export function useCall<N extends ProcedureName>(name: N, input: ApiInput<N> | null): CallState<ApiOutput<N>> {
  const [tick, setTick] = useState(0);
  const generation = useStoreGeneration();
  const key = JSON.stringify(input);
  const inputKey = `${name}:${key}:${tick}`;
  const request = `${inputKey}:${generation}`;
  const [settled, setSettled] = useState<Settled<ApiOutput<N>>>({ request: '', input: '', data: undefined, error: null });

  useEffect(() => {
    if (key === 'null') return;
    let current = true;
    call(name, JSON.parse(key) as ApiInput<N>).then(
      (value) => current && setSettled({ request, input: inputKey, data: value, error: null }),
      (e: unknown) =>
        current &&
        setSettled((s) => ({ request, input: inputKey, data: s.data, error: e instanceof CallError ? e : new CallError({ code: 'internal', message: String(e) }) })),
    );
    return () => {
      current = false;
    };
  }, [name, key, request, inputKey]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const loading = key !== 'null' && settled.input !== inputKey;
  return { data: settled.data, error: settled.input === inputKey ? settled.error : null, loading, reload };
}
