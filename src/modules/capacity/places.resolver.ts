import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { refOf, toGlobalId } from '../../graphql/global-id.js';
import { CaseType } from '../case/case.types.js';
import { CapacityPeriodType, ReservationType, WaitingListEntryType } from './capacity.types.js';
import {
  confirmReservation,
  joinWaitingList,
  releasePlace,
  reservePlace,
  waitingPosition,
} from './places.service.js';
import type { WaitingListEntry } from './waiting-list-entry.entity.js';

@InputType()
export class ReservePlaceInput {
  @Field(() => ID)
  capacityPeriodId!: string;

  @Field(() => ID)
  caseId!: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Hold until (default: 7 days from now).' })
  holdUntil?: Date;
}

@InputType()
export class ReservationInput {
  @Field(() => ID)
  reservationId!: string;
}

@InputType()
export class JoinWaitingListInput {
  @Field(() => ID)
  capacityPeriodId!: string;

  @Field(() => ID)
  caseId!: string;
}

const reservationRef = (input: ReservationInput) =>
  refOf('Reservation', input.reservationId, 'reservationId');

@Resolver()
export class PlacesResolver {
  @Mutation(() => ReservationType, {
    description:
      'Hold a place for your own case until confirmed or expired; NO_PLACES_LEFT when none is free.',
  })
  reservePlace(@Arg('input', () => ReservePlaceInput) input: ReservePlaceInput, @Ctx() ctx: Context) {
    return reservePlace(
      ctx.em,
      ctx.access,
      {
        case: refOf('Case', input.caseId, 'caseId'),
        period: refOf('CapacityPeriod', input.capacityPeriodId, 'capacityPeriodId'),
        holdUntil: input.holdUntil,
      },
      ctx.deps.places,
    );
  }

  @Mutation(() => ReservationType, { description: 'The provider turns a held place into an occupied one.' })
  confirmReservation(@Arg('input', () => ReservationInput) input: ReservationInput, @Ctx() ctx: Context) {
    return confirmReservation(ctx.em, ctx.access, { reservation: reservationRef(input) });
  }

  @Mutation(() => ReservationType, {
    description:
      'Free a held or confirmed place (provider or the case’s case manager); the first waiting case may get it.',
  })
  releasePlace(@Arg('input', () => ReservationInput) input: ReservationInput, @Ctx() ctx: Context) {
    return releasePlace(ctx.em, ctx.access, { reservation: reservationRef(input) }, ctx.deps.places);
  }

  @Mutation(() => WaitingListEntryType, {
    description: 'Put your case on the waiting list of a full period.',
  })
  joinWaitingList(
    @Arg('input', () => JoinWaitingListInput) input: JoinWaitingListInput,
    @Ctx() ctx: Context,
  ) {
    return joinWaitingList(ctx.em, ctx.access, {
      case: refOf('Case', input.caseId, 'caseId'),
      period: refOf('CapacityPeriod', input.capacityPeriodId, 'capacityPeriodId'),
    });
  }
}

@Resolver(() => WaitingListEntryType)
export class WaitingListEntryResolver {
  @FieldResolver(() => ID)
  id(@Root() entry: WaitingListEntry) {
    return toGlobalId('WaitingListEntry', entry.id);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      '1-based position while WAITING. Tells how long the queue is, so it is visible like CapacityPeriod.waitingList: to the providing organisation, the coordinator and whom the provider shares its places detail with; others get null and a redaction.',
  })
  position(@Root() entry: WaitingListEntry, @Ctx() ctx: Context) {
    return waitingPosition(ctx.em, entry);
  }

  @FieldResolver(() => CapacityPeriodType)
  capacityPeriod(@Root() entry: WaitingListEntry, @Ctx() ctx: Context) {
    return ctx.loaders.capacityPeriod.load(entry.capacityPeriod.id);
  }

  @FieldResolver(() => CaseType, { nullable: true, description: 'The waiting case; its case managers only.' })
  case(@Root() entry: WaitingListEntry, @Ctx() ctx: Context) {
    return entry.case ? ctx.loaders.case.load(entry.case.id) : null;
  }
}
