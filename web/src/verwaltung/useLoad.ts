import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, request } from '../shared/api';

export interface Loaded<T> {
  data: T | null;
  /** A German message when the last load failed. */
  error: string | null;
  loading: boolean;
  /** Loads again (after a change, or when a conflict asks for the current state). */
  reload: () => Promise<T | null>;
}

/** One query with the signed-in token, loaded on mount and whenever its variables change. */
export function useLoad<T>(query: string, variables: Record<string, unknown>, token: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(variables);
  // Only the latest load may set state: an older answer arriving late must not overwrite a newer one.
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await request<T>(query, JSON.parse(key), token);
      if (ticket === latest.current) {
        setData(result);
        setError(null);
      }
      return result;
    } catch (e) {
      if (ticket === latest.current) setError(describeError(e));
      return null;
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [query, key, token]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}
