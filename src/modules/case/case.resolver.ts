import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { requireAccount } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { paginate } from '../../graphql/relay.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { Case } from './case.entity.js';
import { CaseConnection, CasesArgs, CaseType } from './case.types.js';

@Resolver(() => CaseType)
export class CaseResolver {
  @Query(() => CaseConnection, {
    description: 'The cases your organisation manages, newest intake first (CASE_MANAGER only).',
  })
  cases(@Args(() => CasesArgs) args: CasesArgs, @Ctx() ctx: Context) {
    // Scoped in the query itself, so that totalCount never counts another organisation's cases.
    const viewer = requireAccount(ctx.viewer);
    return paginate(ctx.em, Case, { managingOrganisation: viewer.organisationId }, args, {
      intakeDate: 'desc',
      id: 'asc',
    });
  }

  @FieldResolver(() => ID)
  id(@Root() c: Case) {
    return toGlobalId('Case', c.id);
  }

  @FieldResolver(() => OrganisationType)
  managingOrganisation(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.load(c.managingOrganisation.id);
  }
}
