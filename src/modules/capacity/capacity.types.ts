import { LocalDateResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/relay.js';

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
