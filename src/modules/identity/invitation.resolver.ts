import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { fieldError, forbidden } from '../../errors.js';
import { SignInInvitationType } from './invitation.types.js';
import { hashSecret, newSecret } from './session-keys.js';

/** How long an invitation link may wait for its first use. */
const INVITATION_DAYS = 7;

@Resolver(() => SignInInvitationType)
export class SignInInvitationResolver {
  @Mutation(() => SignInInvitationType, {
    description:
      'A one-time sign-in link for an account (ADMIN): whoever signs in at the city’s identity provider through it within 7 days is linked to that account.',
  })
  async createSignInInvitation(@Arg('email', () => String) email: string, @Ctx() ctx: Context) {
    const oidc = ctx.deps.auth.oidc;
    const address = email.trim();
    const [account] = await ctx.em.execute<{ id: string; organisation_id: string; email: string }[]>(
      'select id, organisation_id, email from account where lower(email) = lower(?)',
      [address],
    );
    // Who may invite is decided first: the answer must not tell a non-admin which addresses exist.
    const viewer = ctx.access.assert('account.inviteSignIn', {
      organisation: account?.organisation_id ?? null,
    });
    if (!oidc) throw forbidden('Sign-in with an identity provider is not configured here (OIDC_ISSUER).');
    if (!account) throw fieldError('email', 'No account has this e-mail address.');
    const token = newSecret();
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
    await ctx.em.execute(
      'insert into sign_in_invitation (token_hash, account_id, created_by_id, expires_at) values (?, ?, ?, ?)',
      [hashSecret(token), account.id, viewer.accountId, expiresAt],
    );
    const url = new URL('/auth/login', oidc.redirectUri);
    url.searchParams.set('invitation', token);
    return { url: url.href, expiresAt, email: account.email };
  }
}
