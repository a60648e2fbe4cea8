import { IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { ConnectionArgs, connectionTypes } from '../../graphql/relay.js';
import { OfferType } from '../offer/offer.types.js';
import { OfferFilter, OfferOrder } from './offer-filter.types.js';

export const OfferConnection = connectionTypes('Offer', OfferType);

@ArgsType()
export class OffersArgs extends ConnectionArgs {
  @Field(() => OfferFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: OfferFilter;

  @Field(() => OfferOrder, {
    nullable: true,
    description: 'Default: RELEVANCE (descending) with a search text, else TITLE.',
  })
  @IsOptional()
  @ValidateNested()
  orderBy?: OfferOrder;
}
