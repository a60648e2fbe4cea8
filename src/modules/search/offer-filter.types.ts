import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { GermanLevel, OfferKind, ResidenceStatus } from '../../domain/enums.js';

export enum OfferOrderField {
  START_DATE = 'START_DATE',
  FREE_PLACES = 'FREE_PLACES',
  TITLE = 'TITLE',
  RELEVANCE = 'RELEVANCE',
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OfferOrderField, {
  name: 'OfferOrderField',
  description:
    'START_DATE: next start (in the startsAfter/startsBefore window, else of the current period); FREE_PLACES: free places now (the public sorts by band); TITLE; RELEVANCE: full-text rank (needs `search`).',
});
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType({ description: 'A young person’s situation, asked about and never stored.' })
export class EligibilityProfileInput {
  @Field(() => ResidenceStatus)
  residenceStatus!: ResidenceStatus;

  @Field(() => Int)
  @IsInt()
  @Min(14)
  @Max(99)
  age!: number;

  @Field(() => GermanLevel)
  germanLevel!: GermanLevel;
}

@InputType({ description: 'Filters combine with AND; a list matches any of its values.' })
export class OfferFilter {
  @Field(() => [OfferKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  kinds?: OfferKind[];

  @Field(() => [ID], { nullable: true, description: 'Organisation global ids.' })
  @IsOptional()
  @ArrayMaxSize(100)
  organisationIds?: string[];

  @Field(() => [String], { nullable: true, description: 'Stadtteile (exact names).' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 100, { each: true })
  districts?: string[];

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes; matches offers in any of them.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(2, 3, { each: true })
  languages?: string[];

  @Field(() => GermanLevel, { nullable: true, description: 'Offers needing at most this German level.' })
  maxGermanLevel?: GermanLevel;

  @Field(() => LocalDateResolver, { nullable: true, description: 'A period starts on or after this day.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAfter?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'A period starts on or before this day.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsBefore?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only offers whose current period has a free place now.',
  })
  hasFreePlaces?: boolean;

  @Field(() => EligibilityProfileInput, {
    nullable: true,
    description: 'Only offers whose rule in force admits this profile.',
  })
  @IsOptional()
  @ValidateNested()
  eligibleFor?: EligibilityProfileInput;

  @Field(() => String, {
    nullable: true,
    description:
      'German search over title, description, organisation, location and district, kind and languages: word forms, compound parts, the field’s synonyms and typos ("…" for phrases, -word to exclude, `or`).',
  })
  @IsOptional()
  @Length(1, 200)
  search?: string;
}

@InputType()
export class OfferOrder {
  @Field(() => OfferOrderField)
  @IsIn(Object.values(OfferOrderField))
  field!: OfferOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction: OrderDirection = OrderDirection.ASC;
}
