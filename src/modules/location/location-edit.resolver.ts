import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { refOf } from '../../graphql/global-id.js';
import { LocationType } from '../organisation/organisation.types.js';
import { CreateLocationInput, UpdateLocationInput } from './location-edit.inputs.js';
import { archiveLocation, createLocation, updateLocation } from './location-edit.service.js';

@Resolver()
export class LocationEditResolver {
  @Mutation(() => LocationType, { description: 'A new location of your organisation (admins: of any).' })
  createLocation(@Arg('input', () => CreateLocationInput) input: CreateLocationInput, @Ctx() ctx: Context) {
    const { organisationId, ...location } = input;
    return createLocation(ctx.em, ctx.access, {
      ...location,
      organisation: organisationId ? refOf('Organisation', organisationId, 'organisationId') : undefined,
    });
  }

  @Mutation(() => LocationType, { description: 'Change a location; `version` must be the one you edited.' })
  updateLocation(@Arg('input', () => UpdateLocationInput) input: UpdateLocationInput, @Ctx() ctx: Context) {
    const { id, ...changes } = input;
    return updateLocation(ctx.em, ctx.access, { ...changes, location: refOf('Location', id) });
  }

  @Mutation(() => LocationType, { description: 'Archive a location that no active offer uses any more.' })
  archiveLocation(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: Context,
  ) {
    return archiveLocation(ctx.em, ctx.access, { location: refOf('Location', id), version });
  }
}
