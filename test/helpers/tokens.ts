import { MikroORM } from '@mikro-orm/postgresql';
import { TokenService } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import type { Role } from '../../src/domain/enums.js';
import { findAccountWithRoles } from '../../src/modules/account/account-lookup.js';
import { TEST_JWT_SECRET } from './hub.js';

export const testTokens = new TokenService(loadConfig({ AUTH_JWT_SECRET: TEST_JWT_SECRET }).auth);

/** A token for an account with `roles` (of `organisationId`), as `npm run token` would print it. */
export async function tokenFor(orm: MikroORM, roles: Role[], organisationId?: string) {
  const account = await findAccountWithRoles(orm.em.fork(), roles, organisationId);
  if (!account)
    throw new Error(`no account with ${roles.join(',')} in ${organisationId ?? 'any organisation'}`);
  const { token } = await testTokens.sign({
    accountId: account.id,
    organisationId: account.organisation.id,
    roles,
  });
  return { token, accountId: account.id, organisationId: account.organisation.id };
}
