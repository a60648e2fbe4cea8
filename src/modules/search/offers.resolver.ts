import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { searchOffers } from './execute.js';
import { type OfferConnectionValue, type OfferEdgeValue, offerConnection } from './offer-connection.js';
import { OfferConnection, OfferSearchHighlight, OffersArgs } from './offers.types.js';
import { offerSearchOptions } from './search-options.js';

@Resolver()
export class OffersResolver {
  @Query(() => OfferConnection, {
    description: 'Active offers: filters combine, full-text search ranks; stable cursors for every ordering.',
  })
  async offers(@Args(() => OffersArgs) args: OffersArgs, @Ctx() ctx: Context) {
    return offerConnection(ctx, await searchOffers(ctx.em, args, offerSearchOptions(ctx.viewer)));
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

@Resolver(() => OfferConnection.Edge)
export class OfferEdgeSearchResolver {
  @FieldResolver(() => [OfferSearchHighlight], {
    nullable: true,
    description:
      'With `filter.search`: the offer’s public texts that matched, matched words marked (null without a search).',
  })
  async searchHighlights(@Root() edge: OfferEdgeValue) {
    return edge.highlights ? edge.highlights() : null;
  }
}

@Resolver(() => OfferConnection)
export class OfferConnectionSearchResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description:
      'With `filter.search` and nothing found: known terms near the words typed that find offers under the same filters (empty when something was found; null without a search).',
  })
  async searchSuggestions(@Root() connection: OfferConnectionValue) {
    return connection.suggestions ? connection.suggestions() : null;
  }
}
