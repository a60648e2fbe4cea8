import { Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { AvailabilityBand, availabilityBand } from '../../graphql/enums.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { OfferType } from '../offer/offer.types.js';
import { CapacityPeriodType } from './capacity.types.js';
import type { CapacityPeriod } from './capacity-period.entity.js';

/** Free places: derived, never stored, never below 0. */
export const availablePlaces = (p: Pick<CapacityPeriod, 'total' | 'occupied' | 'reserved'>) =>
  Math.max(0, p.total - p.occupied - p.reserved);

@Resolver(() => CapacityPeriodType)
export class CapacityPeriodResolver {
  @FieldResolver(() => ID)
  id(@Root() period: CapacityPeriod) {
    return toGlobalId('CapacityPeriod', period.id);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Places in this period; null for viewers who may only see the availability band.',
  })
  total(@Root() period: CapacityPeriod) {
    return period.total;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Free places now (total − occupied − reserved); null for viewers who may only see the band.',
  })
  available(@Root() period: CapacityPeriod) {
    return availablePlaces(period);
  }

  @FieldResolver(() => AvailabilityBand, { description: 'Free places as a band, visible to everyone.' })
  availability(@Root() period: CapacityPeriod) {
    return availabilityBand(availablePlaces(period));
  }

  @FieldResolver(() => OfferType)
  offer(@Root() period: CapacityPeriod, @Ctx() ctx: Context) {
    return ctx.loaders.offer.load(period.offer.id);
  }
}
