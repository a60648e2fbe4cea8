import { useSyncExternalStore } from 'react';
import { ApiError, request } from './api';
import { endCookieSession, type HubSignIn } from './cookie-session';

/** A signed-in partner: the token from `login` and what the pages show about the account. */
export interface Session {
  token: string;
  expiresAt: string;
  email: string;
  displayName: string | null;
  organisation: string;
  organisationId: string;
  roles: string[];
  /** The policy's actions the account may take on its own organisation's data (`Me.actions`). */
  actions: string[];
  /** Signed in with the city's identity provider: a hub session cookie (token is ''), kept in no storage. */
  via?: 'cookie';
}

// sessionStorage, not localStorage: the token lives as long as the tab, and a shared meeting-room
// computer forgets it when the browser closes.
const KEY = 'buendnis-hub:session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    // A session stored by an older version of the pages lacks what they now rely on: sign in again.
    if (!Array.isArray(session.actions) || !session.organisationId) return null;
    return Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function set(session: Session | null) {
  current = session;
  try {
    if (session && !session.via) window.sessionStorage.setItem(KEY, JSON.stringify(session));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the session then lasts until the page is left.
  }
  for (const listener of listeners) listener();
}

export const currentSession = () => current;

export function signOut() {
  if (current?.via === 'cookie') void endCookieSession();
  set(null);
}

/** The hub session of the city's sign-in (GET /auth/session said so), then who that is. */
export async function resumeCookieSession(hub: HubSignIn): Promise<void> {
  if (!hub.signedIn || !hub.expiresAt || current) return;
  const { me } = await request<Me>(ME);
  if (!me || current) return;
  set({
    token: '',
    via: 'cookie',
    expiresAt: hub.expiresAt,
    email: me.account.email ?? hub.account?.email ?? '',
    displayName: me.account.displayName,
    organisation: me.organisation.name,
    organisationId: me.organisation.id,
    roles: me.roles,
    actions: me.actions,
  });
}

const LOGIN = `mutation Anmelden($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt }
}`;
const ME = `query Ich { me { account { email displayName } organisation { id name } roles actions } }`;

interface Me {
  me: {
    account: { email: string | null; displayName: string | null };
    organisation: { id: string; name: string };
    roles: string[];
    actions: string[];
  } | null;
}

/** The hub's built-in sign-in, then who that is (for the header). */
export async function signIn(email: string, password: string): Promise<Session> {
  const { login } = await request<{ login: { token: string; expiresAt: string } }>(LOGIN, {
    email,
    password,
  });
  const { me } = await request<Me>(ME, {}, login.token);
  if (!me) throw new ApiError('Anmeldung nicht erkannt.', 'UNAUTHENTICATED');
  const session: Session = {
    token: login.token,
    expiresAt: login.expiresAt,
    email: me.account.email ?? email,
    displayName: me.account.displayName,
    organisation: me.organisation.name,
    organisationId: me.organisation.id,
    roles: me.roles,
    actions: me.actions,
  };
  set(session);
  return session;
}

/** Signs in with a token pasted by a developer (e.g. from `npm run token`). */
export async function signInWithToken(token: string): Promise<Session> {
  const { me } = await request<Me>(ME, {}, token);
  if (!me) throw new ApiError('Dieses Token gehört zu keinem Konto.', 'UNAUTHENTICATED');
  const payload = decodeJwtPayload(token);
  const session: Session = {
    token,
    expiresAt: payload?.exp
      ? new Date(payload.exp * 1000).toISOString()
      : new Date(Date.now() + 3_600_000).toISOString(),
    email: me.account.email ?? '',
    displayName: me.account.displayName,
    organisation: me.organisation.name,
    organisationId: me.organisation.id,
    roles: me.roles,
    actions: me.actions,
  };
  set(session);
  return session;
}

function decodeJwtPayload(token: string): { exp?: number } | null {
  try {
    const part = token.split('.')[1] ?? '';
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The session (null: the public), re-rendering on sign-in and sign-out; signs out when it expires. */
export function useSession(): Session | null {
  const session = useSyncExternalStore(subscribe, currentSession);
  if (session && Date.parse(session.expiresAt) <= Date.now()) {
    // Run out: forgotten here (a hub session has ended on the hub by then; no trip to the provider).
    queueMicrotask(() => set(null));
    return null;
  }
  return session;
}
