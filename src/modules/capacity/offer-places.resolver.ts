import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { AvailabilityBand, availabilityBand } from '../../graphql/enums.js';
import type { Offer } from '../offer/offer.entity.js';
import { OfferType } from '../offer/offer.types.js';
import { availablePlaces } from './available-places.js';
import { CapacityPeriodType } from './capacity.types.js';

/** An offer's places: its capacity periods and what is free now (the offer itself knows nothing of them). */
@Resolver(() => OfferType)
export class OfferPlacesResolver {
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
}
