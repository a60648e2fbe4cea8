import type { Context } from '../../context.js';
import { badInput, ErrorCode, HubError } from '../../errors.js';
import { Account } from './account.entity.js';
import { verifyPassword } from './passwords.js';

const GENERIC_FAILURE = 'E-mail address or password is wrong, or the account cannot sign in.';

/**
 * Checks e-mail and password and signs a token with the account's roles. Every failure — unknown
 * e-mail, wrong password, deactivated account or organisation — gives the same answer.
 */
export async function login(ctx: Context, rawEmail: string, password: string) {
  const email = rawEmail.trim().toLowerCase();
  if (email.length === 0 || email.length > 320 || !email.includes('@')) {
    throw badInput('Give the e-mail address of your account.', { argument: 'email' });
  }
  if (password.length === 0 || password.length > 1024) {
    throw badInput('Give your password (at most 1024 characters).', { argument: 'password' });
  }
  const { loginGuard, tokens } = ctx.deps;
  await loginGuard.begin(email, ctx.clientAddress);
  const account = await ctx.em
    .createQueryBuilder(Account, 'a')
    .joinAndSelect('a.organisation', 'o')
    .where('lower(a.email) = ?', [email])
    .getSingleResult();
  const valid = await verifyPassword(account?.passwordHash, password);
  if (!account || !valid || !account.active || !account.organisation.active) {
    throw new HubError(ErrorCode.UNAUTHENTICATED, GENERIC_FAILURE);
  }
  await loginGuard.succeeded(email, ctx.clientAddress);
  return tokens.sign({
    accountId: account.id,
    organisationId: account.organisation.id,
    roles: account.roles,
  });
}
