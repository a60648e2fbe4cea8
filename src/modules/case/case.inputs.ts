import { IsInt, IsISO8601, IsOptional, Matches } from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import {
  AgeBand,
  Gender,
  GermanLevel,
  PathwayStage,
  ResidenceStatus,
  SchoolLevel,
} from '../../domain/enums.js';

const NATIONALITY_GROUP = /^([A-Z]{2}|OTHER)$/;
const NATIONALITY_MESSAGE = 'nationalityGroup must be an ISO 3166-1 alpha-2 code such as "SY", or "OTHER"';

/**
 * Exactly the pseudonymous attributes of a case. There is deliberately no field for a name, birth date,
 * address, file number or free text; GraphQL rejects any attribute not declared here.
 */
@InputType()
export class CreateCaseInput {
  @Field(() => LocalDateResolver)
  @IsISO8601({ strict: true })
  intakeDate!: string;

  @Field(() => AgeBand)
  ageBand!: AgeBand;

  @Field(() => Gender)
  gender!: Gender;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 of the top countries, else "OTHER".' })
  @Matches(NATIONALITY_GROUP, { message: NATIONALITY_MESSAGE })
  nationalityGroup!: string;

  @Field(() => ResidenceStatus)
  residenceStatus!: ResidenceStatus;

  @Field(() => SchoolLevel)
  schoolLevel!: SchoolLevel;

  @Field(() => GermanLevel)
  germanLevel!: GermanLevel;

  @Field(() => PathwayStage, { nullable: true, description: 'Default INTAKE.' })
  stage?: PathwayStage;
}

@InputType()
export class UpdateCaseInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you edited (Case.version).' })
  @IsInt()
  version!: number;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description:
      'When a stage or status change happened (default today; back-dating within limits, never future).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredOn?: string;

  @Field(() => PathwayStage, { nullable: true })
  stage?: PathwayStage;

  @Field(() => ResidenceStatus, { nullable: true })
  residenceStatus?: ResidenceStatus;

  @Field(() => AgeBand, { nullable: true })
  ageBand?: AgeBand;

  @Field(() => Gender, { nullable: true })
  gender?: Gender;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(NATIONALITY_GROUP, { message: NATIONALITY_MESSAGE })
  nationalityGroup?: string;

  @Field(() => SchoolLevel, { nullable: true })
  schoolLevel?: SchoolLevel;

  @Field(() => GermanLevel, { nullable: true })
  germanLevel?: GermanLevel;
}

@InputType()
export class CloseCaseInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredOn?: string;

  @Field(() => PathwayStage, {
    nullable: true,
    description: 'The stage the case ends in (e.g. AUSBILDUNG, WORK, ENDED_OTHER); default: unchanged.',
  })
  finalStage?: PathwayStage;
}

@InputType()
export class HandOverCaseInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The receiving organisation; its case managers accept.' })
  toOrganisationId!: string;
}

@InputType()
export class CaseIdInput {
  @Field(() => ID)
  id!: string;
}
