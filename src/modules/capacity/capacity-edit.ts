import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { IsInt, IsISO8601, IsOptional, Length, Max, Min } from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { Offer } from '../offer/offer.entity.js';
import { checkVersion, editorFor, lockForEdit } from '../shared/editing.js';
import { CapacityPeriodType } from './capacity.types.js';
import { CapacityPeriod } from './capacity-period.entity.js';
import { availablePlaces, emitPlacesChanged } from './places.js';

@InputType()
export class CreateCapacityPeriodInput {
  @Field(() => ID)
  offerId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'e.g. "Kurs Frühjahr 2027" or "Ausbildungsjahr 2027/28".',
  })
  @IsOptional()
  @Length(1, 200)
  label?: string;

  @Field(() => LocalDateResolver)
  @IsISO8601({ strict: true })
  startsOn!: string;

  @Field(() => LocalDateResolver)
  @IsISO8601({ strict: true })
  endsOn!: string;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(10_000)
  total!: number;
}

@InputType()
export class SetCapacityTotalInput {
  @Field(() => ID)
  capacityPeriodId!: string;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(10_000)
  total!: number;

  @Field(() => Int, { description: 'The version you edited (CapacityPeriod.version).' })
  @IsInt()
  version!: number;
}

@Resolver()
export class CapacityEditResolver {
  @Mutation(() => CapacityPeriodType, {
    description: 'A new run of an offer (course run, Ausbildung year, month).',
  })
  createCapacityPeriod(
    @Arg('input', () => CreateCapacityPeriodInput) input: CreateCapacityPeriodInput,
    @Ctx() ctx: Context,
  ) {
    if (input.endsOn < input.startsOn) throw fieldError('endsOn', 'must not lie before startsOn');
    return ctx.em.transactional(async (em) => {
      const offer = await lockForEdit(em, Offer, 'Offer', input.offerId, 'offerId');
      const viewer = editorFor(ctx.access, 'capacity.createPeriod', offer.organisation.id);
      if (!offer.active) throw conflict('This offer is archived.');
      const period = em.create(CapacityPeriod, {
        offer,
        label: input.label,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        total: input.total,
      } as never);
      recordAudit(em, viewer, {
        action: 'capacity_period.created',
        entityType: 'CapacityPeriod',
        entityId: period.id,
        organisationId: offer.organisation.id,
        after: { offerId: offer.id, startsOn: input.startsOn, endsOn: input.endsOn, total: input.total },
      });
      try {
        await em.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) {
          throw conflict(`This offer already has a period starting on ${input.startsOn}.`);
        }
        throw error;
      }
      return period;
    });
  }

  @Mutation(() => CapacityPeriodType, {
    description: 'Set the places of a period; never below occupied + reserved (CONFLICT names the numbers).',
  })
  setCapacityTotal(
    @Arg('input', () => SetCapacityTotalInput) input: SetCapacityTotalInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.em.transactional(async (em) => {
      // The row lock also orders this against concurrent reservations of the same period.
      const period = await lockForEdit(
        em,
        CapacityPeriod,
        'CapacityPeriod',
        input.capacityPeriodId,
        'capacityPeriodId',
      );
      const offer = await em.findOneOrFail(Offer, { id: period.offer.id });
      const viewer = editorFor(ctx.access, 'capacity.setTotal', offer.organisation.id);
      checkVersion(period, input.version, 'CapacityPeriod');
      const minimum = period.occupied + period.reserved;
      if (input.total < minimum) {
        // The split into occupied and reserved is itself restricted: admins of other organisations get the floor only.
        const mayReadSplit = await ctx.access.canReadFieldOfOwner(
          'CapacityPeriod',
          'occupied',
          offer.organisation.id,
        );
        throw conflict(
          mayReadSplit
            ? `${period.occupied} places are occupied and ${period.reserved} reserved: the total cannot go below ${minimum}.`
            : `Places are taken: the total cannot go below ${minimum}.`,
          mayReadSplit ? { occupied: period.occupied, reserved: period.reserved, minimum } : { minimum },
        );
      }
      const before = { total: period.total, available: availablePlaces(period) };
      period.total = input.total;
      emitPlacesChanged(
        em,
        {
          capacityPeriodId: period.id,
          offerId: offer.id,
          organisationId: offer.organisation.id,
          total: period.total,
          occupied: period.occupied,
          reserved: period.reserved,
        },
        before.available,
        'total_set',
      );
      recordAudit(em, viewer, {
        action: 'capacity_period.total_set',
        entityType: 'CapacityPeriod',
        entityId: period.id,
        organisationId: offer.organisation.id,
        before,
        after: { total: period.total, available: availablePlaces(period) },
      });
      return period;
    });
  }
}
