import { IsEmail, IsInt, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OfferFilter } from '../search/offer-filter.types.js';
import { DIGEST_MINUTES, SavedSearchNotify } from './saved-search.entity.js';

registerEnumType(SavedSearchNotify, {
  name: 'SavedSearchNotify',
  description:
    'EMAIL_NOW: a mail as soon as places rise; EMAIL_DIGEST: at most one mail per digestIntervalMinutes; NONE: saved, never mailed.',
});

@ObjectType('SavedSearch', {
  description: 'An offers filter you are told about when places of a matching offer become free.',
})
export class SavedSearchType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => JSONObjectResolver, {
    description: 'The OfferFilter as saved (the same as `offers(filter)`).',
  })
  filter!: Record<string, unknown>;

  @Field(() => SavedSearchNotify)
  notify!: SavedSearchNotify;

  @Field(() => Int)
  digestIntervalMinutes!: number;

  @Field(() => Boolean, { description: 'Paused (also by the unsubscribe link): nothing is mailed.' })
  paused!: boolean;

  @Field(() => Boolean, { description: 'false while a search saved with an e-mail awaits its confirmation.' })
  confirmed!: boolean;

  @Field(() => DateTimeResolver, { nullable: true })
  lastMailedAt?: Date;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

const DIGEST_DESCRIPTION = `Minutes between digest mails, ${DIGEST_MINUTES.min}–${DIGEST_MINUTES.max} (default ${DIGEST_MINUTES.default}: daily).`;

@InputType()
export class SaveSearchInput {
  @Field(() => String, { description: '1–120 characters.' })
  @Length(1, 120)
  name!: string;

  @Field(() => OfferFilter)
  @ValidateNested()
  filter!: OfferFilter;

  @Field(() => SavedSearchNotify)
  notify!: SavedSearchNotify;

  @Field(() => Int, { nullable: true, description: DIGEST_DESCRIPTION })
  @IsOptional()
  @IsInt()
  @Min(DIGEST_MINUTES.min)
  @Max(DIGEST_MINUTES.max)
  digestIntervalMinutes?: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Only without an account (then required): where to mail; nothing is sent until the address confirms (a link in a first mail).',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

@InputType()
export class UpdateSavedSearchInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => OfferFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: OfferFilter;

  @Field(() => SavedSearchNotify, { nullable: true })
  @IsOptional()
  notify?: SavedSearchNotify;

  @Field(() => Int, { nullable: true, description: DIGEST_DESCRIPTION })
  @IsOptional()
  @IsInt()
  @Min(DIGEST_MINUTES.min)
  @Max(DIGEST_MINUTES.max)
  digestIntervalMinutes?: number;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  paused?: boolean;
}
