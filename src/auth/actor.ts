import type { ActionName, OwnersOf } from './policy-actions.js';
import type { AccountViewer, Viewer } from './viewer.js';

/**
 * Who acts, as services see them: the viewer and the policy's answers about them, nothing of the
 * transport (no request, no GraphQL context, no global ids). Every check a service makes is one of
 * these questions, so the policy (policy.ts, policy-actions.ts) stays the only judge. AccessControl is
 * the implementation; API resolvers, the import route and the CLI all hand one to the same services.
 */
export interface Actor {
  readonly viewer: Viewer;
  /** May the viewer do `action` to objects of these organisations? */
  may<A extends ActionName>(action: A, owners: OwnersOf<A>): boolean;
  /** As `may`, failing with FORBIDDEN; the acting account when allowed. */
  assert<A extends ActionName>(action: A, owners: OwnersOf<A>): AccountViewer;
  /** The row rule of `typeName` (hidden rows must answer exactly like unknown ones). */
  canSeeRow(typeName: string, row: object): Promise<boolean>;
  /** The field rule of `typeName.fieldName` for an object owned by `ownerId`, sharing grants included. */
  canReadFieldOfOwner(typeName: string, fieldName: string, ownerId: string): Promise<boolean>;
  /** The field rule of `typeName.fieldName` where it does not depend on the owner. */
  canReadFieldOfEveryOwner(typeName: string, fieldName: string): boolean;
}

/** The organisation the actor belongs to; null for the public. */
export const ownOrganisation = (actor: Actor): string | null =>
  actor.viewer.kind === 'account' ? actor.viewer.organisationId : null;
