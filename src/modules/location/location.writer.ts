import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountViewer } from '../../auth/viewer.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit, snapshot } from '../audit/audit.service.js';
import { Offer } from '../offer/offer.entity.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

/**
 * Every write of a location, for the API and the import alike, so each audit action has one shape:
 *   location.created   after: LOCATION_AUDITED
 *   location.updated   before, after: LOCATION_AUDITED
 *   location.archived  before, after: { active }
 * (recordAudit keeps only the keys whose values changed.) Callers lock and authorise; `details` adds
 * the caller's own facts (the import's source) beside before/after.
 */
export const LOCATION_AUDITED = [
  'name',
  'street',
  'postalCode',
  'city',
  'district',
  'wheelchairAccessible',
  'accessibilityNote',
  'active',
] as const;

const REQUIRED = ['name', 'street', 'postalCode', 'city', 'district'] as const;

export interface LocationFields {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  district: string;
  wheelchairAccessible?: boolean;
  accessibilityNote?: string;
}

/** A change: undefined or null leaves an address field as it is; null clears the accessibility note. */
export type LocationChanges = {
  [K in keyof LocationFields]?: LocationFields[K] | null;
};

/** The fields of a new location, each present (a form may leave any out). */
export function requireLocationFields(input: LocationChanges): LocationFields {
  for (const field of REQUIRED) if (!input[field]) throw fieldError(field, 'is required');
  return {
    name: input.name!,
    street: input.street!,
    postalCode: input.postalCode!,
    city: input.city!,
    district: input.district!,
    wheelchairAccessible: input.wheelchairAccessible ?? undefined,
    accessibilityNote: input.accessibilityNote ?? undefined,
  };
}

/** A new location of `organisationId`, in the caller's transaction. */
export function createLocationRecord(
  em: EntityManager,
  viewer: AccountViewer,
  organisationId: string,
  fields: LocationFields,
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
    after: snapshot(location, LOCATION_AUDITED),
    details,
  });
  return location;
}

export function updateLocationRecord(
  em: EntityManager,
  viewer: AccountViewer,
  location: Location,
  changes: LocationChanges,
): void {
  const before = snapshot(location, LOCATION_AUDITED);
  for (const key of REQUIRED) {
    const value = changes[key];
    if (value != null) location[key] = value.trim();
  }
  if (changes.wheelchairAccessible != null) location.wheelchairAccessible = changes.wheelchairAccessible;
  if (changes.accessibilityNote !== undefined)
    location.accessibilityNote = changes.accessibilityNote ?? undefined;
  recordAudit(em, viewer, {
    action: 'location.updated',
    entityType: 'Location',
    entityId: location.id,
    organisationId: location.organisation.id,
    before,
    after: snapshot(location, LOCATION_AUDITED),
  });
}

/** Archives a location no active offer takes place at (CONFLICT otherwise). */
export async function archiveLocationRecord(
  em: EntityManager,
  viewer: AccountViewer,
  location: Location,
): Promise<void> {
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
}
