import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GermanLevel, OfferKind, ResidenceStatus } from '../../domain/enums.js';

const ISO_LANGUAGE = /^[a-z]{2}$/;

@InputType({ description: 'A new version of an offer’s eligibility rule.' })
export class EligibilityRuleInput {
  @Field(() => [ResidenceStatus])
  @ArrayMinSize(1)
  @ArrayMaxSize(11)
  residenceStatuses!: ResidenceStatus[];

  @Field(() => Int)
  @IsInt()
  @Min(14)
  @Max(99)
  minAge!: number;

  @Field(() => Int)
  @IsInt()
  @Min(14)
  @Max(99)
  maxAge!: number;

  @Field(() => GermanLevel, { nullable: true })
  minGermanLevel?: GermanLevel;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  legalBasisNote?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'First day in force; default today.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validFrom?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day in force; default open-ended.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validTo?: string;
}

@InputType()
export class SetEligibilityRuleInput extends EligibilityRuleInput {
  @Field(() => ID)
  offerId!: string;
}

/** Fields an editor sets on an offer; shared by create (required ones checked there) and update. */
@InputType()
class OfferFields {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(3, 300)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  description?: string;

  @Field(() => OfferKind, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(OfferKind))
  kind?: OfferKind;

  @Field(() => ID, { nullable: true, description: 'A location of the offer’s organisation (global id).' })
  locationId?: string;

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes, e.g. ["de", "ar"].' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(ISO_LANGUAGE, { each: true, message: 'each language must be an ISO 639-1 code such as "de"' })
  languages?: string[];

  @Field(() => GermanLevel, { nullable: true })
  requiredGermanLevel?: GermanLevel;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 500)
  schedule?: string;

  @Field(() => Int, { nullable: true, description: 'Cost to the participant in euro cents.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  costCents?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 5000)
  internalNote?: string;

  @Field(() => String, { nullable: true, description: 'Code of a funding programme, e.g. "KIM".' })
  @IsOptional()
  @Length(1, 50)
  fundingProgrammeCode?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  costPerPlaceCents?: number;

  @Field(() => Boolean, { nullable: true })
  autoOfferFromWaitingList?: boolean;
}

@InputType()
export class CreateOfferInput extends OfferFields {
  @Field(() => ID, {
    nullable: true,
    description: 'Admins only: the organisation; editors create for their own.',
  })
  organisationId?: string;

  @Field(() => EligibilityRuleInput, { nullable: true, description: 'Version 1 of the eligibility rule.' })
  @IsOptional()
  @ValidateNested()
  eligibility?: EligibilityRuleInput;
}

@InputType()
export class UpdateOfferInput extends OfferFields {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, {
    description: 'The version you edited (Offer.version); a newer one fails with CONFLICT.',
  })
  @IsInt()
  version!: number;
}
