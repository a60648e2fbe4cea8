import { IsInt, IsISO8601, IsOptional, Length, Max, Min } from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';

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
