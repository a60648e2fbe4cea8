import { Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import { AvailabilityBand, availabilityBand } from '../../graphql/enums.js';
import { fromGlobalIdOf, toGlobalId } from '../../graphql/global-id.js';
import { availablePlaces } from '../capacity/available-places.js';
import { CapacityPeriodType } from '../capacity/capacity.types.js';
import { IdArgs, LocationType, OrganisationType } from '../organisation/organisation.types.js';
import type { Offer } from './offer.entity.js';
import {
  EligibilityRuleType,
  FundingProgrammeType,
  OfferConnection,
  OffersArgs,
  OfferType,
} from './offer.types.js';
import { offerConnection } from './offer-connection.js';
import { searchOffers } from './offer-search.js';

@Resolver(() => OfferType)
export class OfferResolver {
  @Query(() => OfferConnection, {
    description: 'Active offers: filters combine, full-text search ranks; stable cursors for every ordering.',
  })
  async offers(@Args(() => OffersArgs) args: OffersArgs, @Ctx() ctx: Context) {
    return offerConnection(ctx, await searchOffers(ctx.em, ctx.viewer, args));
  }

  @Query(() => OfferType, { nullable: true, description: 'One offer by global id; NOT_FOUND when unknown.' })
  async offer(@Args(() => IdArgs) { id }: IdArgs, @Ctx() ctx: Context) {
    const offer = await ctx.loaders.offer.load(fromGlobalIdOf('Offer', id));
    if (!offer) throw notFound('Offer', id);
    return offer;
  }

  @FieldResolver(() => ID)
  id(@Root() offer: Offer) {
    return toGlobalId('Offer', offer.id);
  }

  @FieldResolver(() => OrganisationType)
  organisation(@Root() offer: Offer, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.get(offer.organisation.id);
  }

  @FieldResolver(() => LocationType)
  location(@Root() offer: Offer, @Ctx() ctx: Context) {
    return ctx.loaders.location.get(offer.location.id);
  }

  @FieldResolver(() => [CapacityPeriodType], { description: 'All capacity periods, by start date.' })
  capacityPeriods(@Root() offer: Offer, @Ctx() ctx: Context) {
    return ctx.loaders.capacityPeriodsByOffer.load(offer.id);
  }

  @FieldResolver(() => CapacityPeriodType, {
    nullable: true,
    description: 'The period running today, else the next one to start; null when none is left.',
  })
  currentCapacityPeriod(@Root() offer: Offer, @Ctx() ctx: Context) {
    return ctx.loaders.currentCapacityPeriodByOffer.get(offer.id);
  }

  @FieldResolver(() => AvailabilityBand, {
    description: 'Free places in the current period, as a band, for everyone.',
  })
  async availability(@Root() offer: Offer, @Ctx() ctx: Context) {
    const period = await ctx.loaders.currentCapacityPeriodByOffer.load(offer.id);
    return availabilityBand(period ? availablePlaces(period) : 0);
  }

  @FieldResolver(() => EligibilityRuleType, {
    nullable: true,
    description: 'The eligibility rule in force today.',
  })
  async eligibility(@Root() offer: Offer, @Ctx() ctx: Context) {
    return ctx.loaders.eligibilityRuleInForceByOffer.get(offer.id);
  }

  @FieldResolver(() => [EligibilityRuleType], {
    description: 'Every version of the eligibility rule, newest first.',
  })
  eligibilityRules(@Root() offer: Offer, @Ctx() ctx: Context) {
    return ctx.loaders.eligibilityRulesByOffer.load(offer.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Internal note of the providing organisation.',
  })
  internalNote(@Root() offer: Offer) {
    return offer.internalNotes ?? null;
  }

  @FieldResolver(() => FundingProgrammeType, { nullable: true })
  fundingProgramme(@Root() offer: Offer, @Ctx() ctx: Context) {
    return offer.fundingProgramme ? ctx.loaders.fundingProgramme.load(offer.fundingProgramme.id) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'For editors: send it back with updateOffer.' })
  version(@Root() offer: Offer) {
    return offer.version;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'What one place costs the funder, in euro cents.',
  })
  costPerPlaceCents(@Root() offer: Offer) {
    return offer.costPerPlaceCents ?? null;
  }
}
