import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { SharingGrantType } from './sharing.types.js';

@Resolver(() => OrganisationType)
export class OrganisationSharingResolver {
  @FieldResolver(() => [SharingGrantType], {
    nullable: true,
    description: 'What this organisation shares beyond the default policy; only for its own accounts.',
  })
  sharingGrants(@Root() organisation: ReadRow<Organisation>, @Ctx() ctx: Context) {
    return ctx.loaders.sharingGrantsByOrganisation.load(organisation.id);
  }
}
