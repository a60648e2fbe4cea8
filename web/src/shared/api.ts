import { type Client, createClient } from 'graphql-ws';
import { csrfHeaders, csrfToken } from './cookie-session';

/** The hub's GraphQL endpoint on the same origin that served the page (no CORS, no configuration). */
export const graphqlUrl = () => new URL('/graphql', window.location.href).toString();

export const websocketUrl = () => graphqlUrl().replace(/^http/, 'ws');

export interface GraphQLErrorPayload {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A GraphQL error with the hub's stable code (`UNAUTHENTICATED`, `FORBIDDEN`, …). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** German messages for the error codes a person can meet on these pages. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'UNAUTHENTICATED':
        return 'Die Anmeldung ist abgelaufen oder ungültig. Bitte erneut anmelden.';
      case 'FORBIDDEN':
        return `Keine Berechtigung: ${error.message}`;
      case 'RATE_LIMITED':
        return 'Zu viele Versuche. Bitte etwas später erneut versuchen.';
      case 'BAD_USER_INPUT':
        return `Ungültige Eingabe: ${error.message}`;
      default:
        return `Der Hub meldet einen Fehler: ${error.message}`;
    }
  }
  return 'Der Hub ist nicht erreichbar. Bitte die Verbindung prüfen und erneut versuchen.';
}

/** One GraphQL request over HTTP; throws ApiError when the hub answers with errors and no data. */
export async function request<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string | null,
): Promise<T> {
  const response = await fetch(graphqlUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      // No token: the hub session's cookie, if any, with its CSRF token (cookie-session.ts).
      ...(token ? { authorization: `Bearer ${token}` } : csrfHeaders()),
    },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T | null; errors?: GraphQLErrorPayload[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`);
  }
  // Redacted fields come back as null with data present; only a failed operation is an error here.
  if (body.errors?.length && !body.data) {
    const [first] = body.errors;
    throw new ApiError(first!.message, first!.extensions?.code);
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}

export type LiveState = 'connecting' | 'connected' | 'reconnecting';

/**
 * A graphql-ws client for live updates. Browsers cannot set headers on a WebSocket, so the token goes
 * in connection_init, as the hub expects. It reconnects by itself after network trouble; a new sign-in
 * needs a new client (the token is fixed per connection).
 */
export function createLiveClient(
  token: string | null,
  on: { state?: (state: LiveState) => void; expired?: () => void } = {},
): Client {
  return createClient({
    url: websocketUrl(),
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : { csrfToken: csrfToken() }),
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    // 4401/4403: the token expired or the account was deactivated; a retry would fail the same way.
    shouldRetry: (event) => {
      const code = (event as { code?: number } | undefined)?.code;
      if (code === 4401 || code === 4403) {
        on.expired?.();
        return false;
      }
      return true;
    },
    on: {
      connecting: () => on.state?.('connecting'),
      connected: () => on.state?.('connected'),
      closed: () => on.state?.('reconnecting'),
    },
  });
}
