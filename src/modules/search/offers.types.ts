import { IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionArgs, connectionTypes } from '../../graphql/relay.js';
import { OfferType } from '../offer/offer.types.js';
import { OfferFilter, OfferOrder } from './offer-filter.types.js';
import { OfferSearchField } from './search-highlights.js';

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

registerEnumType(OfferSearchField, {
  name: 'OfferSearchField',
  description:
    'Where a search matched: the title, the description, the organisation’s name, the location (name and district).',
});

@ObjectType({ description: 'A piece of a text; `matched` marks the words the search found.' })
export class TextFragment {
  @Field(() => String)
  text!: string;

  @Field(() => Boolean)
  matched!: boolean;
}

@ObjectType({
  description: 'Why an offer matched a search: one of its public texts with the matches marked.',
})
export class OfferSearchHighlight {
  @Field(() => OfferSearchField)
  field!: OfferSearchField;

  @Field(() => [TextFragment], {
    description: 'The text in order; a description is cut around its first match.',
  })
  fragments!: TextFragment[];
}
