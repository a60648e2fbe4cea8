import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { OfferType } from './offer.types.js';

@Resolver(() => OrganisationType)
export class OrganisationArchivedOffersResolver {
  // Archived offers leave every list (`offers` searches active ones only); their editors still need to
  // find them, to look back or to see what was taken out and when.
  @FieldResolver(() => [OfferType], {
    nullable: true,
    description: 'This organisation’s archived offers, last changed first; for its own accounts and admins.',
  })
  archivedOffers(@Root() organisation: ReadRow<Organisation>, @Ctx() ctx: Context) {
    return ctx.loaders.archivedOffersByOrganisation.load(organisation.id);
  }
}
