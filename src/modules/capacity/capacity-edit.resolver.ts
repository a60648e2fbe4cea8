import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { refOf } from '../../graphql/global-id.js';
import { CapacityPeriodType } from './capacity.types.js';
import { CreateCapacityPeriodInput, SetCapacityTotalInput } from './capacity-edit.inputs.js';
import { createCapacityPeriod, setCapacityTotal } from './capacity-edit.service.js';

@Resolver()
export class CapacityEditResolver {
  @Mutation(() => CapacityPeriodType, {
    description: 'A new run of an offer (course run, Ausbildung year, month).',
  })
  createCapacityPeriod(
    @Arg('input', () => CreateCapacityPeriodInput) input: CreateCapacityPeriodInput,
    @Ctx() ctx: Context,
  ) {
    const { offerId, ...period } = input;
    return createCapacityPeriod(ctx.em, ctx.access, { ...period, offer: refOf('Offer', offerId, 'offerId') });
  }

  @Mutation(() => CapacityPeriodType, {
    description: 'Set the places of a period; never below occupied + reserved (CONFLICT names the numbers).',
  })
  setCapacityTotal(
    @Arg('input', () => SetCapacityTotalInput) input: SetCapacityTotalInput,
    @Ctx() ctx: Context,
  ) {
    const { capacityPeriodId, ...total } = input;
    return setCapacityTotal(ctx.em, ctx.access, {
      ...total,
      period: refOf('CapacityPeriod', capacityPeriodId, 'capacityPeriodId'),
    });
  }
}
