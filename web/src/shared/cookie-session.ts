/**
 * A session with the city's identity provider (OpenID Connect) lives in the hub: the browser holds an
 * HttpOnly cookie that no script can read, and a CSRF token cookie that the hub's pages can. Every
 * request on such a session sends that token as X-CSRF-Token (over WebSocket: connectionParams), which
 * another site cannot do. Nothing here touches the browser's storage.
 */
const CSRF_COOKIES = ['__Host-hub-csrf', 'hub-csrf'];

/** The session's CSRF token, if the browser has a hub session. */
export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (CSRF_COOKIES.includes(name)) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The header a request on the hub session needs (none without one). */
export function csrfHeaders(): Record<string, string> {
  const token = csrfToken();
  return token ? { 'x-csrf-token': token } : {};
}

/** What GET /auth/session says: sign-in options of this hub, and the session if there is one. */
export interface HubSignIn {
  passwordLogin: boolean;
  oidc: boolean;
  signedIn: boolean;
  expiresAt?: string;
  account?: { email: string; displayName: string | null; organisationId: string; organisation: string };
}

let asked: Promise<HubSignIn | null> | undefined;

/** Asked once per page load; null when the hub cannot say (older hub, network trouble). */
export function hubSignIn(): Promise<HubSignIn | null> {
  asked ??= fetch('/auth/session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? (response.json() as Promise<HubSignIn>) : null))
    .catch(() => null);
  return asked;
}

/**
 * Ends the hub session and, when it was live, goes on to the provider to end its session too
 * (end_session_endpoint); it comes back to the hub's page afterwards.
 */
export async function endCookieSession(): Promise<void> {
  asked = undefined;
  try {
    const response = await fetch('/auth/logout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...csrfHeaders() },
    });
    const { redirectTo } = (await response.json()) as { redirectTo?: string | null };
    if (redirectTo) window.location.assign(redirectTo);
  } catch {
    // The hub is unreachable: the page forgets the session; its cookie ends with its time.
  }
}

/** Where the provider's sign-in starts, coming back to this page. */
export const oidcLoginUrl = () =>
  `/auth/login?returnTo=${encodeURIComponent(window.location.pathname + window.location.search)}`;
