import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import type { Ref } from '../../domain/ref.js';
import { Location } from '../organisation/location.entity.js';
import { assertOrganisation, checkVersion, creatorFor, editorFor, lockForEdit } from '../shared/editing.js';
import {
  archiveLocationRecord,
  createLocationRecord,
  type LocationChanges,
  requireLocationFields,
  updateLocationRecord,
} from './location.writer.js';

export type CreateLocation = LocationChanges & { organisation?: Ref };
export type UpdateLocation = LocationChanges & { location: Ref; version: number };

export async function createLocation(
  em: EntityManager,
  actor: Actor,
  input: CreateLocation,
): Promise<Location> {
  const { viewer, organisationId } = creatorFor(actor, input.organisation, 'location.create', 'locations');
  const fields = requireLocationFields(input);
  return em.transactional(async (em) => {
    await assertOrganisation(em, organisationId, input.organisation);
    return createLocationRecord(em, viewer, organisationId, fields);
  });
}

export async function updateLocation(
  em: EntityManager,
  actor: Actor,
  input: UpdateLocation,
): Promise<Location> {
  return em.transactional(async (em) => {
    const location = await lockForEdit(em, Location, 'Location', input.location);
    const viewer = editorFor(actor, 'location.update', location.organisation.id);
    checkVersion(location, input.version, 'Location');
    updateLocationRecord(em, viewer, location, input);
    return location;
  });
}

export async function archiveLocation(
  em: EntityManager,
  actor: Actor,
  input: { location: Ref; version: number },
): Promise<Location> {
  return em.transactional(async (em) => {
    const location = await lockForEdit(em, Location, 'Location', input.location);
    const viewer = editorFor(actor, 'location.archive', location.organisation.id);
    checkVersion(location, input.version, 'Location');
    await archiveLocationRecord(em, viewer, location);
    return location;
  });
}
