import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiOutput, ProcedureName } from '../../../shared/api.ts';
import { call, CallError } from './client.ts';

export interface CallState<T> {
  data: T | undefined;
  error: CallError | null;
  loading: boolean;
  reload: () => void;
}

/** Calls a read procedure when the input changes; keeps the last data while reloading. */
export function useCall<N extends ProcedureName>(name: N, input: ApiInput<N> | null): CallState<ApiOutput<N>> {
  const [data, setData] = useState<ApiOutput<N>>();
  const [error, setError] = useState<CallError | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input);
  const latest = useRef(0);

  useEffect(() => {
    if (key === 'null') return;
    const ticket = ++latest.current;
    setLoading(true);
    call(name, JSON.parse(key) as ApiInput<N>)
      .then((value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (ticket !== latest.current) return;
        setError(e instanceof CallError ? e : new CallError({ code: 'internal', message: String(e) }));
      })
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
  }, [name, key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
