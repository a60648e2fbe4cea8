import type { EntityManager } from '@mikro-orm/postgresql';
import { IsBoolean, IsInt, IsOptional, Length, Matches } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import type { AccountViewer } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit, snapshot } from '../audit/audit.service.js';
import { Offer } from '../offer/offer.entity.js';
import { assertOrganisation, checkVersion, creatorFor, editorFor, lockForEdit } from '../shared/editing.js';
import { Location } from './location.entity.js';
import { Organisation } from './organisation.entity.js';
import { LocationType } from './organisation.types.js';

const POSTAL_CODE = /^\d{5}$/;
const AUDITED = [
  'name',
  'street',
  'postalCode',
  'city',
  'district',
  'wheelchairAccessible',
  'accessibilityNote',
  'active',
] as const;

/** A new location with its audit entry, in the caller's transaction (the API and the import). */
export function createLocationRecord(
  em: EntityManager,
  viewer: AccountViewer,
  organisationId: string,
  fields: {
    name: string;
    street: string;
    postalCode: string;
    city: string;
    district: string;
    wheelchairAccessible?: boolean;
    accessibilityNote?: string;
  },
  details?: Record<string, unknown>,
): Location {
  const location = em.create(Location, {
    organisation: em.getReference(Organisation, organisationId),
    name: fields.name.trim(),
    street: fields.street.trim(),
    postalCode: fields.postalCode,
    city: fields.city.trim(),
    district: fields.district.trim(),
    wheelchairAccessible: fields.wheelchairAccessible ?? false,
    accessibilityNote: fields.accessibilityNote,
  } as never);
  recordAudit(em, viewer, {
    action: 'location.created',
    entityType: 'Location',
    entityId: location.id,
    organisationId,
    after: snapshot(location, AUDITED),
    details,
  });
  return location;
}

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

@Resolver()
export class LocationEditResolver {
  @Mutation(() => LocationType, { description: 'A new location of your organisation (admins: of any).' })
  async createLocation(
    @Arg('input', () => CreateLocationInput) input: CreateLocationInput,
    @Ctx() ctx: Context,
  ) {
    const { viewer, organisationId } = creatorFor(ctx, input.organisationId, 'location.create', 'locations');
    for (const required of ['name', 'street', 'postalCode', 'city', 'district'] as const) {
      if (!input[required]) throw fieldError(required, 'is required');
    }
    return ctx.em.transactional(async (em) => {
      await assertOrganisation(em, organisationId, input.organisationId);
      return createLocationRecord(em, viewer, organisationId, {
        name: input.name!,
        street: input.street!,
        postalCode: input.postalCode!,
        city: input.city!,
        district: input.district!,
        wheelchairAccessible: input.wheelchairAccessible ?? false,
        accessibilityNote: input.accessibilityNote,
      });
    });
  }

  @Mutation(() => LocationType, { description: 'Change a location; `version` must be the one you edited.' })
  updateLocation(@Arg('input', () => UpdateLocationInput) input: UpdateLocationInput, @Ctx() ctx: Context) {
    return ctx.em.transactional(async (em) => {
      const location = await lockForEdit(em, Location, 'Location', input.id);
      const viewer = editorFor(ctx.access, 'location.update', location.organisation.id);
      checkVersion(location, input.version, 'Location');
      const before = snapshot(location, AUDITED);
      for (const key of ['name', 'street', 'postalCode', 'city', 'district'] as const) {
        if (input[key] != null) location[key] = input[key]!.trim();
      }
      if (input.wheelchairAccessible != null) location.wheelchairAccessible = input.wheelchairAccessible;
      if (input.accessibilityNote !== undefined)
        location.accessibilityNote = input.accessibilityNote ?? undefined;
      recordAudit(em, viewer, {
        action: 'location.updated',
        entityType: 'Location',
        entityId: location.id,
        organisationId: location.organisation.id,
        before,
        after: snapshot(location, AUDITED),
      });
      return location;
    });
  }

  @Mutation(() => LocationType, { description: 'Archive a location that no active offer uses any more.' })
  archiveLocation(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.em.transactional(async (em) => {
      const location = await lockForEdit(em, Location, 'Location', id);
      const viewer = editorFor(ctx.access, 'location.archive', location.organisation.id);
      checkVersion(location, version, 'Location');
      if (!location.active) throw conflict('This location is already archived.');
      const inUse = await em.count(Offer, { location, active: true });
      if (inUse > 0)
        throw conflict(`${inUse} active offer(s) still take place here; move or archive them first.`, {
          activeOffers: inUse,
        });
      location.active = false;
      recordAudit(em, viewer, {
        action: 'location.archived',
        entityType: 'Location',
        entityId: location.id,
        organisationId: location.organisation.id,
        before: { active: true },
        after: { active: false },
      });
      return location;
    });
  }
}
