import { type EntityManager, type EntityName, LockMode } from '@mikro-orm/postgresql';
import { type Actor, ownOrganisation } from '../../auth/actor.js';
import type { AccountViewer } from '../../auth/viewer.js';
import type { Ref } from '../../domain/ref.js';
import { conflict, fieldError, notFound } from '../../errors.js';
import { Organisation } from '../organisation/organisation.entity.js';

/** Actions that create an object for an organisation. */
type CreateAction = 'offer.create' | 'location.create';

/**
 * The organisation a new object is created for: the creator's own, or the one named by
 * `organisationId` when the policy lets them create for it (admins); checked to exist inside the
 * caller's transaction by `assertOrganisation`.
 */
export function creatorFor(actor: Actor, requested: Ref | undefined, action: CreateAction, what: string) {
  const own = ownOrganisation(actor);
  const organisationId = requested ? requested.id : own;
  // Someone who may create for their own organisation but not for the one named: a wrong argument.
  if (
    organisationId !== own &&
    !actor.may(action, { organisation: organisationId }) &&
    actor.may(action, { organisation: own })
  ) {
    throw fieldError('organisationId', `editors create ${what} for their own organisation only`);
  }
  const viewer = actor.assert(action, { organisation: organisationId });
  return { viewer, organisationId: organisationId as string };
}

export async function assertOrganisation(
  em: EntityManager,
  organisationId: string,
  requested?: Ref,
): Promise<void> {
  if (!(await em.findOne(Organisation, { id: organisationId })))
    throw notFound('Organisation', requested?.sent ?? organisationId);
}

/** Actions that change an existing object of one organisation. */
type EditAction =
  | 'offer.update'
  | 'offer.archive'
  | 'offer.setEligibilityRule'
  | 'location.update'
  | 'location.archive'
  | 'capacity.createPeriod'
  | 'capacity.setTotal';

/** The account behind an edit, once the policy lets it do `action` to objects of `organisationId`. */
export function editorFor(actor: Actor, action: EditAction, organisationId: string): AccountViewer {
  return actor.assert(action, { organisation: organisationId });
}

/**
 * Loads an object for change inside the caller's transaction, row-locked so concurrent editors queue.
 * Callers check who may edit it (editorFor) before comparing versions (checkVersion), so strangers learn
 * nothing about the object's state.
 */
export async function lockForEdit<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  typeName: string,
  ref: Ref,
): Promise<T> {
  const row = await em.findOne(entity, { id: ref.id } as never, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw notFound(typeName, ref.sent);
  return row;
}

/** A stale form fails with CONFLICT instead of overwriting someone else's change. */
export function checkVersion(
  row: { version: number; updatedAt?: Date },
  expected: number,
  typeName: string,
): void {
  if (row.version !== expected) {
    throw conflict(
      `This ${typeName} was changed by someone else (version ${row.version}, you edited ${expected}). Reload and try again.`,
      {
        currentVersion: row.version,
        yourVersion: expected,
        // When: so a form can say how stale it is (who: Organisation.auditTrail(object:)).
        ...(row.updatedAt ? { changedAt: row.updatedAt.toISOString() } : {}),
      },
    );
  }
}
