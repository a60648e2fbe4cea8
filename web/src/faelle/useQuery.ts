import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError, request } from '../shared/api';
import { useReconnect } from '../shared/connection';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * One query, run again when `key` changes or on `reload()`. An answer that arrives after a newer request
 * was started is dropped, so a slow reply never overwrites a fresher one.
 */
export function useQuery<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
  key: string,
  enabled = true,
): QueryState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(enabled);
  const latest = useRef(0);
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  const reload = useCallback(async () => {
    const run = ++latest.current;
    setLoading(true);
    try {
      const result = await request<T>(query, variablesRef.current, token);
      if (run !== latest.current) return;
      setData(result);
      setError(null);
    } catch (e) {
      if (run !== latest.current) return;
      setError(
        e instanceof ApiError && e.code === 'NOT_FOUND'
          ? 'Nicht gefunden: nicht (mehr) für Ihre Organisation sichtbar, etwa nach einer Übergabe.'
          : describeError(e),
      );
    } finally {
      if (run === latest.current) setLoading(false);
    }
  }, [query, token]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the variables' content.
  useEffect(() => {
    if (enabled) void reload();
  }, [reload, key, enabled]);

  // Back after an outage: what changed meanwhile is read again.
  useReconnect(() => {
    if (enabled) void reload();
  });

  return { data, error, loading, reload };
}
