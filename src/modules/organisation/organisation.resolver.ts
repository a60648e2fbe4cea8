import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import { notFound } from '../../errors.js';
import { fromGlobalIdOf, toGlobalId } from '../../graphql/global-id.js';
import { IdArgs, paginate } from '../../graphql/relay.js';
import { Location } from './location.entity.js';
import { Organisation } from './organisation.entity.js';
import {
  ContactPersonType,
  LocationType,
  OrganisationConnection,
  OrganisationsArgs,
  OrganisationType,
} from './organisation.types.js';

/** Query.organisations: the active organisations by name, filtered (also read by read plans). */
export function organisationsPage(em: EntityManager, args: OrganisationsArgs) {
  // Deactivated organisations keep their history (organisation(id) still answers) but leave the list.
  const where: FilterQuery<Organisation> = { active: true };
  if (args.filter?.kinds?.length) where.kind = { $in: args.filter.kinds };
  if (args.filter?.districts?.length) {
    where.id = {
      $in: em
        .createQueryBuilder(Location, 'l')
        .select('l.organisation_id')
        .where({ district: { $in: args.filter.districts } })
        .getKnexQuery() as never,
    };
  }
  return paginate(em, Organisation, where, args, { name: 'asc', id: 'asc' });
}

@Resolver(() => OrganisationType)
export class OrganisationResolver {
  @Query(() => OrganisationConnection, { description: 'Active partner organisations, by name.' })
  async organisations(@Args(() => OrganisationsArgs) args: OrganisationsArgs, @Ctx() ctx: Context) {
    return organisationsPage(ctx.em, args);
  }

  @Query(() => OrganisationType, {
    nullable: true,
    description: 'One organisation by global id; NOT_FOUND when unknown.',
  })
  async organisation(@Args(() => IdArgs) { id }: IdArgs, @Ctx() ctx: Context) {
    const organisation = await ctx.loaders.organisation.load(fromGlobalIdOf('Organisation', id));
    if (!organisation) throw notFound('Organisation', id);
    return organisation;
  }

  @FieldResolver(() => ID)
  id(@Root() organisation: ReadRow<Organisation>) {
    return toGlobalId('Organisation', organisation.id);
  }

  @FieldResolver(() => [LocationType])
  locations(@Root() organisation: ReadRow<Organisation>, @Ctx() ctx: Context) {
    return ctx.loaders.locationsByOrganisation.load(organisation.id);
  }

  @FieldResolver(() => [ContactPersonType], { nullable: true, description: 'Null for the public.' })
  contactPersons(@Root() organisation: ReadRow<Organisation>, @Ctx() ctx: Context) {
    return ctx.loaders.contactPersonsByOrganisation.load(organisation.id);
  }
}

@Resolver(() => LocationType)
export class LocationResolver {
  @FieldResolver(() => ID)
  id(@Root() location: ReadRow<Location>) {
    return toGlobalId('Location', location.id);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'For editors: send it back with updateLocation.' })
  version(@Root() location: ReadRow<Location>) {
    return location.version;
  }

  @FieldResolver(() => OrganisationType)
  organisation(@Root() location: ReadRow<Location>, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.load(location.organisation.id);
  }
}
