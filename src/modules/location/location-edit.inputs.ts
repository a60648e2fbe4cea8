import { IsBoolean, IsInt, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

const POSTAL_CODE = /^\d{5}$/;

@InputType()
class LocationFields {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 200)
  street?: string;

  @Field(() => String, { nullable: true, description: 'German postal code (5 digits).' })
  @IsOptional()
  @Matches(POSTAL_CODE, { message: 'postalCode must be a German postal code of 5 digits' })
  postalCode?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 100)
  city?: string;

  @Field(() => String, { nullable: true, description: 'Stadtteil.' })
  @IsOptional()
  @Length(2, 100)
  district?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  wheelchairAccessible?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 1000)
  accessibilityNote?: string;
}

@InputType()
export class CreateLocationInput extends LocationFields {
  @Field(() => ID, { nullable: true, description: 'Admins only; editors create for their own organisation.' })
  organisationId?: string;
}

@InputType()
export class UpdateLocationInput extends LocationFields {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;
}
