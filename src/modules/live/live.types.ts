import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { CapacityPeriodType } from '../capacity/capacity.types.js';
import { OfferType } from '../offer/offer.types.js';

@ObjectType('PlacesEvent', {
  description:
    'Places of a capacity period changed; offer and period are resolved with your own permissions.',
})
export class PlacesEventType {
  @Field(() => OfferType)
  offer!: unknown;

  @Field(() => CapacityPeriodType)
  capacityPeriod!: unknown;

  @Field(() => DateTimeResolver)
  changedAt!: Date;

  @Field(() => String, {
    description: 'reserved, confirmed, released, expired, offered_from_waiting_list, total_set',
  })
  reason!: string;
}

@ObjectType('StatisticsUpdate', { description: 'Case statistics changed: refresh the figures you show.' })
export class StatisticsUpdateType {
  @Field(() => DateTimeResolver)
  changedAt!: Date;

  @Field(() => [String], { description: 'Which statistics changed (e.g. "cases").' })
  statistics!: string[];
}
