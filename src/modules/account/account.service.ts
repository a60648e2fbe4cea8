import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenService } from '../../auth/tokens.js';
import { badInput, ErrorCode, HubError } from '../../errors.js';
import { Account } from './account.entity.js';
import type { LoginGuard } from './login-guard.js';
import { verifyPassword } from './passwords.js';

const GENERIC_FAILURE = 'E-mail address or password is wrong, or the account cannot sign in.';

/**
 * Checks e-mail and password and signs a token with the account's roles. Every failure — unknown
 * e-mail, wrong password, deactivated account or organisation — gives the same answer.
 */
export async function login(
  em: EntityManager,
  input: { email: string; password: string; clientAddress: string },
  settings: { loginGuard: LoginGuard; tokens: TokenService },
) {
  const { password, clientAddress } = input;
  const email = input.email.trim().toLowerCase();
  if (email.length === 0 || email.length > 320 || !email.includes('@')) {
    throw badInput('Give the e-mail address of your account.', { argument: 'email' });
  }
  if (password.length === 0 || password.length > 1024) {
    throw badInput('Give your password (at most 1024 characters).', { argument: 'password' });
  }
  const { loginGuard, tokens } = settings;
  await loginGuard.begin(email, clientAddress);
  const account = await em
    .createQueryBuilder(Account, 'a')
    .joinAndSelect('a.organisation', 'o')
    .where('lower(a.email) = ?', [email])
    .getSingleResult();
  const valid = await verifyPassword(account?.passwordHash, password);
  if (!account || !valid || !account.active || !account.organisation.active) {
    throw new HubError(ErrorCode.UNAUTHENTICATED, GENERIC_FAILURE);
  }
  await loginGuard.succeeded(email, clientAddress);
  return tokens.sign({
    accountId: account.id,
    organisationId: account.organisation.id,
    roles: account.roles,
  });
}
