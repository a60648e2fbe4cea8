import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { today } from '../../domain/calendar.js';
import { refOf, toGlobalId } from '../../graphql/global-id.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { grantSharing, revokeSharing } from './sharing.service.js';
import { GrantSharingInput, SharingGrantType } from './sharing.types.js';
import type { SharingGrant } from './sharing-grant.entity.js';

@Resolver(() => SharingGrantType)
export class SharingGrantResolver {
  @Mutation(() => SharingGrantType, {
    description:
      'Share a field group of your organisation’s data with a partner or the alliance (PARTNER_EDITOR).',
  })
  grantSharing(@Arg('input', () => GrantSharingInput) input: GrantSharingInput, @Ctx() ctx: Context) {
    const { organisationId, ...grant } = input;
    return grantSharing(ctx.em, ctx.access, {
      ...grant,
      organisation: organisationId ? refOf('Organisation', organisationId, 'organisationId') : undefined,
    });
  }

  @Mutation(() => SharingGrantType, {
    description: 'End a sharing grant of your organisation now (PARTNER_EDITOR).',
  })
  revokeSharing(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return revokeSharing(ctx.em, ctx.access, { grant: refOf('SharingGrant', id) });
  }

  @FieldResolver(() => ID)
  id(@Root() grant: SharingGrant) {
    return toGlobalId('SharingGrant', grant.id);
  }

  @FieldResolver(() => Boolean, { description: 'In force today: not revoked and within its dates.' })
  active(@Root() grant: SharingGrant) {
    const now = today();
    return !grant.revokedAt && grant.validFrom <= now && (!grant.validTo || grant.validTo >= now);
  }

  @FieldResolver(() => OrganisationType, { nullable: true })
  audienceOrganisation(@Root() grant: SharingGrant, @Ctx() ctx: Context) {
    return grant.audienceOrganisation ? ctx.loaders.organisation.load(grant.audienceOrganisation.id) : null;
  }
}
