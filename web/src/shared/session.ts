import { useSyncExternalStore } from 'react';
import { ApiError, onTokenRejected, request } from './api';
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

/** Who was signed in when the sign-in ran out: for the notice and to fill in the e-mail again. */
export interface EndedSession {
  email: string;
  displayName: string | null;
  organisation: string;
}

/** What the pages show about the sign-in: the session, whether it runs out soon, or that it has. */
export interface SessionStatus {
  session: Session | null;
  /** When the session's token stops counting (ms since epoch); null without a session. */
  expiresAt: number | null;
  /** Within WARN_BEFORE_MS of the end: the pages say so and offer to sign in again. */
  expiresSoon: boolean;
  /** The sign-in ran out (or the hub refused its token): the page shows the public view now. */
  expired: EndedSession | null;
}

/** How long before the end the pages warn. */
export const WARN_BEFORE_MS = 2 * 60_000;

// sessionStorage, not localStorage: the token lives as long as the tab, and a shared meeting-room
// computer forgets it when the browser closes.
const KEY = 'buendnis-hub:session';
const listeners = new Set<() => void>();
let warnTimer: number | undefined;
let endTimer: number | undefined;
let status: SessionStatus = { session: null, expiresAt: null, expiresSoon: false, expired: null };

/**
 * The moment the hub stops accepting the token: `expiresAt` from login, or the token's own `exp` if
 * earlier (the hub signs whole seconds, so it can end up to a second before `expiresAt`).
 */
function endOf(session: Session): number {
  const stated = Date.parse(session.expiresAt);
  const exp = decodeJwtPayload(session.token)?.exp;
  const signed = typeof exp === 'number' ? exp * 1000 : Number.POSITIVE_INFINITY;
  return Math.min(Number.isNaN(stated) ? signed : stated, signed);
}

const endedFrom = (session: Session): EndedSession => ({
  email: session.email,
  displayName: session.displayName,
  organisation: session.organisation,
});

function read(): SessionStatus {
  const none: SessionStatus = { session: null, expiresAt: null, expiresSoon: false, expired: null };
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return none;
    const session = JSON.parse(raw) as Session;
    // A session stored by an older version of the pages lacks what they now rely on: sign in again.
    if (!Array.isArray(session.actions) || !session.organisationId) return none;
    const end = endOf(session);
    if (end > Date.now()) return statusOf(session, null);
    // It ran out while the tab was elsewhere: say so, as if the page had stayed open.
    window.sessionStorage.removeItem(KEY);
    return { ...none, expired: endedFrom(session) };
  } catch {
    return none;
  }
}

function statusOf(session: Session | null, expired: EndedSession | null): SessionStatus {
  if (!session) return { session: null, expiresAt: null, expiresSoon: false, expired };
  const end = endOf(session);
  return { session, expiresAt: end, expiresSoon: end - Date.now() <= WARN_BEFORE_MS, expired: null };
}

/** Timers for the warning and the end of the current session (none without one). */
function schedule() {
  window.clearTimeout(warnTimer);
  window.clearTimeout(endTimer);
  const end = status.expiresAt;
  if (end === null) return;
  const now = Date.now();
  // setTimeout takes at most ~24.8 days; a later end just looks again then.
  const after = (ms: number) => Math.min(Math.max(0, ms), 2 ** 31 - 1);
  if (!status.expiresSoon)
    warnTimer = window.setTimeout(
      () => publish(statusOf(status.session, null)),
      after(end - WARN_BEFORE_MS - now),
    );
  endTimer = window.setTimeout(
    () => {
      if (end <= Date.now()) expireSession();
      else schedule();
    },
    after(end - now),
  );
}

function publish(next: SessionStatus) {
  status = next;
  schedule();
  for (const listener of [...listeners]) listener();
}

function set(session: Session | null, expired: EndedSession | null = null) {
  try {
    if (session && !session.via) window.sessionStorage.setItem(KEY, JSON.stringify(session));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the session then lasts until the page is left.
  }
  publish(statusOf(session, expired));
}

status = read();
schedule();

// Timers of a hidden tab may run late: look again when it is seen.
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !status.session) return;
    if (status.expiresAt !== null && status.expiresAt <= Date.now()) expireSession();
    else if (!status.expiresSoon) publish(statusOf(status.session, null));
  });
}

export const currentSession = () => status.session;
export const currentSessionStatus = () => status;

/** Signing out on purpose: no notice. Without a session nothing happens (a notice stays). */
export function signOut() {
  // A hub session ends on the hub and at the provider (which then sends the browser back).
  if (status.session?.via === 'cookie') void endCookieSession();
  if (status.session) set(null);
}

/** The hub session of the city's sign-in (GET /auth/session said so), then who that is. */
export async function resumeCookieSession(hub: HubSignIn): Promise<void> {
  if (!hub.signedIn || !hub.expiresAt || status.session) return;
  const { me } = await request<Me>(ME);
  if (!me || status.session) return;
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

/**
 * The sign-in ran out, or the hub refused `token`: the page falls back to the public view and says so.
 * A refusal of an older token (a request sent before signing in again) leaves the new session alone.
 */
export function expireSession(token?: string) {
  const session = status.session;
  if (!session || (token !== undefined && token !== session.token)) return;
  set(null, endedFrom(session));
}

/** The person has read the notice of the ended sign-in. */
export function dismissExpiry() {
  if (status.expired) publish({ ...status, expired: null });
}

onTokenRejected((token) => expireSession(token));

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
  return () => {
    listeners.delete(listener);
  };
};

/** The session (null: the public), re-rendering on sign-in, sign-out and when it runs out. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, currentSession);
}

/** The session with its warning and end (for the notices). */
export function useSessionStatus(): SessionStatus {
  return useSyncExternalStore(subscribe, currentSessionStatus);
}
