import type { EntityManager } from '@mikro-orm/postgresql';
import { type AccountAccessCache, readAccountAccess } from './account-access.js';
import { type TokenService, unauthenticated } from './tokens.js';
import { PUBLIC_VIEWER, type Viewer } from './viewer.js';

/**
 * Authorization header → viewer. No header: the public. Anything else that is not a valid token of an
 * active account of an active organisation is UNAUTHENTICATED — never silently the public.
 * One query per request (account with its organisation), unless `accounts` remembers the account.
 */
export async function authenticate(
  authorization: string | undefined,
  tokens: TokenService,
  em: EntityManager,
  accounts?: AccountAccessCache,
): Promise<Viewer> {
  if (authorization === undefined || authorization.trim() === '') return PUBLIC_VIEWER;
  const match = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  const claims = await tokens.verify(match[1]!);
  const account = accounts
    ? await accounts.get(em, claims.accountId)
    : await readAccountAccess(em, claims.accountId);
  if (!account?.active || account.organisationId !== claims.organisationId) {
    throw unauthenticated('The account behind this token is unknown or deactivated.');
  }
  const held = new Set(account.roles);
  const roles = new Set(claims.roles.filter((r) => held.has(r)));
  if (roles.size === 0) throw unauthenticated('The account no longer holds any role of this token.');
  return {
    kind: 'account',
    accountId: claims.accountId,
    organisationId: account.organisationId,
    roles,
    tokenExpiresAt: claims.expiresAt,
  };
}
