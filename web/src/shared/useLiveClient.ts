import type { Client } from 'graphql-ws';
import { useEffect, useState } from 'react';
import { createLiveClient, type LiveState } from './api';

/**
 * The page's live connection, following the sign-in: a new token (signed in again, or the public after
 * the sign-in ran out) gets a new graphql-ws client, and subscriptions made in effects that depend on
 * `client` are registered on it again. Refused tokens are reported to the session by the client itself.
 */
export function useLiveClient(token: string | null): { client: Client | null; state: LiveState } {
  const [client, setClient] = useState<Client | null>(null);
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const live = createLiveClient(token, { state: setState });
    setClient(live);
    return () => {
      setClient(null);
      void live.dispose();
    };
  }, [token]);
  return { client, state };
}
