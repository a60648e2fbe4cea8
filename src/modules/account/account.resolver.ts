import { Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ownOrganisationActions } from '../../auth/own-actions.js';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import { forbidden } from '../../errors.js';
import { Account } from './account.entity.js';
import { login } from './account.service.js';
import { AccountType, LoginArgs, LoginResult, MeType } from './account.types.js';

@Resolver(() => MeType)
export class MeResolver {
  @Query(() => MeType, { nullable: true, description: 'The signed-in viewer; null for the public.' })
  async me(@Ctx() ctx: Context) {
    const viewer = ctx.viewer;
    if (viewer.kind !== 'account') return null;
    const account = await ctx.em.findOneOrFail(Account, { id: viewer.accountId });
    return {
      account,
      organisation: await ctx.loaders.organisation.load(viewer.organisationId),
      roles: [...viewer.roles].sort(),
      actions: ownOrganisationActions(ctx.access, viewer.organisationId),
    };
  }

  @Mutation(() => LoginResult, {
    description: 'Built-in sign-in (installations without an identity provider): a short-lived access token.',
  })
  login(@Args(() => LoginArgs) args: LoginArgs, @Ctx() ctx: Context) {
    if (!ctx.deps.auth.session.passwordLogin) {
      throw forbidden(
        'Password sign-in is switched off here (PASSWORD_LOGIN=false): sign in with the city’s identity provider at /auth/login.',
      );
    }
    return login(
      ctx.em,
      { email: args.email, password: args.password, clientAddress: ctx.clientAddress },
      { loginGuard: ctx.deps.loginGuard, tokens: ctx.deps.tokens },
    );
  }
}

@Resolver(() => AccountType)
export class AccountResolver {
  @FieldResolver(() => ID, { nullable: true })
  id(@Root() account: ReadRow<Account>) {
    return account.id;
  }
}
