import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID } from '../domain/ids.js';
import { type AccountAccess, type AccountAccessCache, readAccountAccess } from './account-access.js';
import { type ServiceTokenClaims, type TokenService, unauthenticated } from './tokens.js';
import { type AccountViewer, PUBLIC_VIEWER, type Viewer } from './viewer.js';

/**
 * Hub sessions (the identity provider's sign-in, src/modules/identity/): the session cookie's value and
 * the CSRF token the page sent with it → the viewer, exactly like a bearer token's. Implemented by the
 * identity feature; the policy layer only knows this shape.
 */
export interface SessionAuthenticator {
  /** The session cookie's value in a Cookie header, if there is one. */
  tokenFrom(cookieHeader: string | undefined): string | undefined;
  authenticate(
    sessionToken: string,
    csrfToken: string | undefined,
    em: EntityManager,
    accounts?: AccountAccessCache,
  ): Promise<AccountViewer>;
}

/** A request's hub session cookie, with the CSRF token that must come with it. */
export interface SessionCredentials {
  token: string;
  csrfToken?: string;
  sessions: SessionAuthenticator;
}

/**
 * Authorization header (or a hub session cookie) → viewer. Neither: the public. Anything else that is
 * not a valid token of an active account of an active organisation is UNAUTHENTICATED — never silently
 * the public. One query per request (account with its organisation), unless `accounts` remembers the
 * account. A bearer token wins over a cookie: it cannot be sent by another site.
 */
export async function authenticate(
  authorization: string | undefined,
  tokens: TokenService,
  em: EntityManager,
  accounts?: AccountAccessCache,
  session?: SessionCredentials,
): Promise<Viewer> {
  if (authorization === undefined || authorization.trim() === '') {
    if (session) return session.sessions.authenticate(session.token, session.csrfToken, em, accounts);
    return PUBLIC_VIEWER;
  }
  const match = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  const claims = await tokens.verify(match[1]!);
  if (claims.service) return serviceViewer(claims, em, accounts);
  const account = accounts
    ? await accounts.get(em, claims.accountId)
    : await readAccountAccess(em, claims.accountId);
  if (!account?.active || account.organisationId !== claims.organisationId) {
    throw unauthenticated('The account behind this token is unknown or deactivated.');
  }
  return {
    kind: 'account',
    accountId: claims.accountId,
    organisationId: account.organisationId,
    roles: heldRoles(claims.roles, account),
    tokenExpiresAt: claims.expiresAt,
  };
}

/** The requested roles the account still holds; none left is UNAUTHENTICATED. */
export function heldRoles(
  requested: readonly string[],
  account: AccountAccess,
): Set<AccountAccess['roles'][number]> {
  const held = new Set<string>(requested);
  const roles = new Set(account.roles.filter((r) => held.has(r)));
  if (roles.size === 0) throw unauthenticated('The account no longer holds any role of this token.');
  return roles;
}

/**
 * A partner system's client-credentials token → the account OIDC_SERVICE_ACCOUNTS names, with its roles
 * (or the configured subset of them): the account and its organisation decide, as for a person.
 */
async function serviceViewer(
  claims: ServiceTokenClaims,
  em: EntityManager,
  accounts?: AccountAccessCache,
): Promise<Viewer> {
  const { account: ref, roles } = claims.service;
  let accountId = ref.toLowerCase();
  if (!UUID.test(ref)) {
    const [row] = await em
      .getConnection()
      .execute<{ id: string }[]>('select id from account where lower(email) = lower(?)', [ref]);
    if (!row) throw unauthenticated('The account of this service account is unknown or deactivated.');
    accountId = row.id;
  }
  const account = accounts ? await accounts.get(em, accountId) : await readAccountAccess(em, accountId);
  if (!account?.active) {
    throw unauthenticated('The account of this service account is unknown or deactivated.');
  }
  return {
    kind: 'account',
    accountId,
    organisationId: account.organisationId,
    roles: heldRoles(roles ?? account.roles, account),
    tokenExpiresAt: claims.expiresAt,
  };
}
