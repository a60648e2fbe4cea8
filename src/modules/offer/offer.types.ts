import { LocalDateResolver } from 'graphql-scalars';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { GermanLevel, OfferKind } from '../../domain/enums.js';
import { ConnectionArgs, connectionTypes, Node } from '../../graphql/relay.js';

@ObjectType('Offer', {
  implements: Node,
  description: 'A course, Ausbildung slot, EQ place, counselling or other offer.',
})
export class OfferType extends Node {
  @Field(() => String)
  title!: string;

  @Field(() => OfferKind)
  kind!: OfferKind;

  @Field(() => String)
  description!: string;

  @Field(() => [String], { description: 'ISO 639-1 codes of the languages of instruction or counselling.' })
  languages!: string[];

  @Field(() => GermanLevel, { description: 'German level a participant needs (A0: none).' })
  requiredGermanLevel!: GermanLevel;

  @Field(() => String, { nullable: true })
  schedule?: string;

  @Field(() => Int, { description: 'Cost to the participant in euro cents (0: free).' })
  costCents!: number;
}

export const OfferConnection = connectionTypes('Offer', OfferType);

@ArgsType()
export class OffersArgs extends ConnectionArgs {}

@ObjectType('FundingProgramme', {
  description: 'A funding programme with its validity (programmes come and go).',
})
export class FundingProgrammeType {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  funder?: string;

  @Field(() => LocalDateResolver)
  validFrom!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  validTo?: string;
}
