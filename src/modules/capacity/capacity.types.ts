import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ObjectType } from 'type-graphql';
import { ReservationStatus, WaitingListStatus } from '../../domain/enums.js';
import { ENTITY_KEY } from '../../graphql/federation-directives.js';
import { Node } from '../../graphql/relay.js';

@Directive(ENTITY_KEY)
@ObjectType('CapacityPeriod', {
  implements: Node,
  description: 'Places of one run of an offer (a course run, an Ausbildung year, a counselling month).',
})
export class CapacityPeriodType extends Node {
  @Field(() => String, { nullable: true })
  label?: string;

  @Field(() => LocalDateResolver)
  startsOn!: string;

  @Field(() => LocalDateResolver)
  endsOn!: string;
}

@ObjectType('Reservation', {
  implements: Node,
  description: 'A place held (HELD, until holdUntil) or taken (CONFIRMED) for a case.',
})
export class ReservationType extends Node {
  @Field(() => ReservationStatus)
  status!: ReservationStatus;

  @Field(() => DateTimeResolver, { nullable: true })
  holdUntil?: Date;

  @Field(() => Boolean, { description: 'Offered automatically to the first case on the waiting list.' })
  fromWaitingList!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType('WaitingListEntry', { implements: Node, description: 'A case waiting for a place in a period.' })
export class WaitingListEntryType extends Node {
  @Field(() => WaitingListStatus)
  status!: WaitingListStatus;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}
