import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { GermanLevel, OfferKind, ResidenceStatus } from '../../domain/enums.js';
import { ENTITY_KEY } from '../../graphql/federation-directives.js';
import { Node } from '../../graphql/relay.js';

@Directive(ENTITY_KEY)
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

  @Field(() => Boolean, { description: 'False once archived: no longer in lists, kept for history.' })
  active!: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'For editors: a freed place goes to the first case on the waiting list by itself (updateOffer sets it).',
  })
  autoOfferFromWaitingList?: boolean;
}

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

@ObjectType('EligibilityRule', {
  description:
    'Who an offer admits. Versioned: a new version replaces the old from its validFrom; the old stays as history.',
})
export class EligibilityRuleType {
  @Field(() => Int)
  version!: number;

  @Field(() => [ResidenceStatus])
  residenceStatuses!: ResidenceStatus[];

  @Field(() => Int)
  minAge!: number;

  @Field(() => Int)
  maxAge!: number;

  @Field(() => GermanLevel, { nullable: true })
  minGermanLevel?: GermanLevel;

  @Field(() => String, { nullable: true, description: 'Legal basis, e.g. "§ 44 AufenthG".' })
  legalBasisNote?: string;

  @Field(() => LocalDateResolver)
  validFrom!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  validTo?: string;
}
