import { type EntityManager, type EntityName, LockMode } from '@mikro-orm/postgresql';
import { EDITORS } from '../../auth/policy.js';
import { type AccountViewer, requireAccount } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { Role } from '../../domain/enums.js';
import { conflict, fieldError, forbidden, notFound } from '../../errors.js';
import { fromGlobalIdOf, type NodeTypeName } from '../../graphql/global-id.js';
import { Organisation } from '../organisation/organisation.entity.js';

/**
 * The organisation a new object is created for: the editor's own, or — for admins only — the one named
 * by `organisationId`; checked to exist inside the caller's transaction by `assertOrganisation`.
 */
export function creatorFor(ctx: Context, requested: string | undefined, what: string) {
  const viewer = requireAccount(ctx.viewer);
  const organisationId = requested
    ? fromGlobalIdOf('Organisation', requested, 'organisationId')
    : viewer.organisationId;
  if (organisationId !== viewer.organisationId && !viewer.roles.has(Role.ADMIN)) {
    throw fieldError('organisationId', `editors create ${what} for their own organisation only`);
  }
  editorFor(ctx, organisationId);
  return { viewer, organisationId };
}

export async function assertOrganisation(
  em: EntityManager,
  organisationId: string,
  requested?: string,
): Promise<void> {
  if (!(await em.findOne(Organisation, { id: organisationId })))
    throw notFound('Organisation', requested ?? organisationId);
}

/** The viewer behind an edit, and the check that they may edit objects of `organisationId`. */
export function editorFor(ctx: Context, organisationId: string): AccountViewer {
  const viewer = requireAccount(ctx.viewer);
  if (!ctx.access.may(EDITORS, organisationId)) {
    throw forbidden('Only editors of the owning organisation (or admins) may change this.');
  }
  return viewer;
}

/**
 * Loads an object for change inside the caller's transaction, row-locked so concurrent editors queue.
 * Callers check who may edit it (editorFor) before comparing versions (checkVersion), so strangers learn
 * nothing about the object's state.
 */
export async function lockForEdit<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  typeName: NodeTypeName,
  globalId: string,
  argument = 'id',
): Promise<T> {
  const id = fromGlobalIdOf(typeName, globalId, argument);
  const row = await em.findOne(entity, { id } as never, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw notFound(typeName, globalId);
  return row;
}

/** A stale form fails with CONFLICT instead of overwriting someone else's change. */
export function checkVersion(row: { version: number }, expected: number, typeName: string): void {
  if (row.version !== expected) {
    throw conflict(
      `This ${typeName} was changed by someone else (version ${row.version}, you edited ${expected}). Reload and try again.`,
      {
        currentVersion: row.version,
        yourVersion: expected,
      },
    );
  }
}
