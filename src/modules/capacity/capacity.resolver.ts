import { Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { AvailabilityBand, availabilityBand } from '../../graphql/enums.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { CaseType } from '../case/case.types.js';
import { OfferType } from '../offer/offer.types.js';
import { availablePlaces } from './available-places.js';
import { CapacityPeriodType, ReservationType, WaitingListEntryType } from './capacity.types.js';
import type { CapacityPeriod } from './capacity-period.entity.js';
import type { Reservation } from './reservation.entity.js';

@Resolver(() => CapacityPeriodType)
export class CapacityPeriodResolver {
  @FieldResolver(() => ID)
  id(@Root() period: CapacityPeriod) {
    return toGlobalId('CapacityPeriod', period.id);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Places in this period; partners only (the public sees `availability`).',
  })
  total(@Root() period: CapacityPeriod) {
    return period.total;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Free places now (total − occupied − reserved); partners only (the public sees `availability`).',
  })
  available(@Root() period: CapacityPeriod) {
    return availablePlaces(period);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'For editors: send it back with setCapacityTotal.',
  })
  version(@Root() period: CapacityPeriod) {
    return period.version;
  }

  @FieldResolver(() => AvailabilityBand, { description: 'Free places as a band, visible to everyone.' })
  availability(@Root() period: CapacityPeriod) {
    return availabilityBand(availablePlaces(period));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Places taken; the provider, the coordinator and partners it shares with.',
  })
  occupied(@Root() period: CapacityPeriod) {
    return period.occupied;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Places held for referred cases; as `occupied`.' })
  reserved(@Root() period: CapacityPeriod) {
    return period.reserved;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'People waiting for a place; as `occupied`.' })
  waitingList(@Root() period: CapacityPeriod, @Ctx() ctx: Context) {
    return ctx.loaders.waitingCountByPeriod.load(period.id);
  }

  @FieldResolver(() => [ReservationType], {
    nullable: true,
    description: 'Held and confirmed places: the provider sees all, a case manager those of their own cases.',
  })
  reservations(@Root() period: CapacityPeriod, @Ctx() ctx: Context) {
    return ctx.loaders.activeReservationsByPeriod.load(period.id);
  }

  @FieldResolver(() => [WaitingListEntryType], {
    nullable: true,
    description:
      'Cases waiting (or offered a freed place), first come first: the provider sees all, a case manager those of their own cases.',
  })
  waitingListEntries(@Root() period: CapacityPeriod, @Ctx() ctx: Context) {
    return ctx.loaders.waitingEntriesByPeriod.load(period.id);
  }

  @FieldResolver(() => OfferType)
  offer(@Root() period: CapacityPeriod, @Ctx() ctx: Context) {
    return ctx.loaders.offer.load(period.offer.id);
  }
}

@Resolver(() => ReservationType)
export class ReservationResolver {
  @FieldResolver(() => ID)
  id(@Root() reservation: Reservation) {
    return toGlobalId('Reservation', reservation.id);
  }

  @FieldResolver(() => CapacityPeriodType)
  capacityPeriod(@Root() reservation: Reservation, @Ctx() ctx: Context) {
    return ctx.loaders.capacityPeriod.load(reservation.capacityPeriod.id);
  }

  @FieldResolver(() => CaseType, {
    nullable: true,
    description: 'The case holding the place; its case managers only.',
  })
  case(@Root() reservation: Reservation, @Ctx() ctx: Context) {
    return ctx.loaders.case.load(reservation.case.id);
  }
}
