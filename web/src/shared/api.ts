import { type Client, createClient } from 'graphql-ws';
import { backoffMs, reportOffline, reportOnline, waitForRetry } from './connection';
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
    /** The error's `extensions` (BAD_USER_INPUT: `fields`; CONFLICT: `currentVersion`, …). */
    readonly extensions: Record<string, unknown> = {},
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
  if (error instanceof OfflineError)
    return 'Der Hub ist gerade nicht erreichbar. Die Seite versucht es von selbst erneut.';
  return 'Der Hub ist nicht erreichbar. Bitte die Verbindung prüfen und erneut versuchen.';
}

/** The hub could not be reached (no answer, or a gateway's error page instead of the hub's). */
export class OfflineError extends Error {}

let tokenRejected: (token: string) => void = () => undefined;

/**
 * Who hears that the hub refused a token (session.ts: the sign-in has run out). Registered from there,
 * so that this module needs no sessions and every request and live connection reports it.
 */
export function onTokenRejected(handler: (token: string) => void) {
  tokenRejected = handler;
}

/** One GraphQL request over HTTP; throws ApiError when the hub answers with errors and no data. */
export async function request<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string | null,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        // No token: the hub session's cookie, if any, with its CSRF token (cookie-session.ts).
        ...(token ? { authorization: `Bearer ${token}` } : csrfHeaders()),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    reportOffline();
    throw new OfflineError('The hub is not reachable.');
  }
  let body: { data?: T | null; errors?: GraphQLErrorPayload[] };
  try {
    body = await response.json();
  } catch {
    // A proxy in front of a stopped hub answers 502–504 with a page of its own.
    if (response.status >= 502 && response.status <= 504) {
      reportOffline();
      throw new OfflineError(`HTTP ${response.status}`);
    }
    reportOnline();
    throw new ApiError(`HTTP ${response.status}`);
  }
  reportOnline();
  // Redacted fields come back as null with data present; only a failed operation is an error here.
  if (body.errors?.length && !body.data) {
    const [first] = body.errors;
    const code = first!.extensions?.code;
    // A hub session (token '') that ended on the hub is refused the same way.
    if (code === 'UNAUTHENTICATED' && (token || csrfToken())) tokenRejected(token ?? '');
    throw new ApiError(first!.message, code, first!.extensions);
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}

export type LiveState = 'connecting' | 'connected' | 'reconnecting';

/** graphql-ws close codes of the hub: the token ran out (4401), or it is refused (4403). */
const TOKEN_CLOSE_CODES = new Set([4401, 4403]);

/**
 * A graphql-ws client for live updates. Browsers cannot set headers on a WebSocket, so the token goes
 * in connection_init, as the hub expects. It reconnects by itself after network trouble (pauses of at
 * most about 15 s, cut short when a request sees the hub again) and then says `reconnected`, so the
 * page can fetch what it missed; a new sign-in needs a new client (the token is fixed per connection).
 */
export function createLiveClient(
  token: string | null,
  on: { state?: (state: LiveState) => void; expired?: () => void; reconnected?: () => void } = {},
): Client {
  let disposed = false;
  let refused = false;
  const client = createClient({
    url: websocketUrl(),
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : { csrfToken: csrfToken() }),
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => waitForRetry(backoffMs(retries)),
    // graphql-ws gives up on 4401 by itself before asking here; 4403 must not be retried either.
    shouldRetry: () => !refused,
    // The close that ends it is handled in `closed` below; graphql-ws would log it as an error.
    onNonLazyError: () => undefined,
    on: {
      connecting: () => on.state?.('connecting'),
      connected: (_socket, _payload, wasRetry) => {
        on.state?.('connected');
        if (wasRetry) {
          reportOnline();
          on.reconnected?.();
        }
      },
      closed: (event) => {
        if (disposed) return;
        const code = (event as { code?: number } | undefined)?.code;
        if (code !== undefined && TOKEN_CLOSE_CODES.has(code)) {
          refused = true;
          tokenRejected(token ?? '');
          on.expired?.();
          return;
        }
        on.state?.('reconnecting');
        if (code !== 1000) reportOffline();
      },
    },
  });
  return {
    ...client,
    dispose: () => {
      disposed = true;
      return client.dispose();
    },
  };
}
