import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { seesExactPlaces } from '../../auth/access-control.js';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { searchOffers } from './execute.js';
import { offerConnection } from './offer-connection.js';
import { OfferConnection, OffersArgs } from './offers.types.js';

@Resolver()
export class OffersResolver {
  @Query(() => OfferConnection, {
    description: 'Active offers: filters combine, full-text search ranks; stable cursors for every ordering.',
  })
  async offers(@Args(() => OffersArgs) args: OffersArgs, @Ctx() ctx: Context) {
    // Who sees free places as bands only is not sorted by exact numbers either.
    const options = { exactFreePlaces: seesExactPlaces(ctx.viewer) };
    return offerConnection(ctx, await searchOffers(ctx.em, args, options));
  }
}

@Resolver(() => OrganisationType)
export class OrganisationOffersResolver {
  @FieldResolver(() => OfferConnection, {
    description: 'This organisation’s active offers; the same filters and orderings as `offers`.',
  })
  async offers(
    @Root() organisation: ReadRow<Organisation>,
    @Args(() => OffersArgs) args: OffersArgs,
    @Ctx() ctx: Context,
  ) {
    return offerConnection(ctx, await ctx.loaders.offersOfOrganisation(args).load(organisation.id));
  }
}
