import type { Actor } from './actor.js';
import { ACTIONS, type ActionName, type OwnersOf } from './policy-actions.js';

/**
 * The actions the viewer may take on objects of their own organisation (every owner an action names is
 * that organisation), for pages that show only the forms a person can use. Sorted, so the answer is
 * stable.
 */
export function ownOrganisationActions(actor: Actor, organisationId: string): string[] {
  return (
    (Object.keys(ACTIONS) as ActionName[])
      // Actions on one person's own objects (saved searches) concern no organisation.
      .filter((action) => ACTIONS[action].allow.every((grant) => grant.owner !== 'account'))
      .filter((action) => {
        const owners = Object.fromEntries(
          ACTIONS[action].allow.map((grant) => [grant.owner, organisationId]),
        ) as OwnersOf<typeof action>;
        return actor.may(action, owners);
      })
      .sort()
  );
}
