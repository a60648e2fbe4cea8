import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyLookups } from '../auth/access-control.js';
import type { Loaders } from '../context.js';
import { fieldGroupsSharedWith } from './sharing/shared-field-groups.js';

/**
 * The policy's look-ups through one request's loaders: an owner asked for many fields of a page is
 * read once, batched with the page's other owners.
 */
export function policyLookups(em: EntityManager, loaders: Loaders): PolicyLookups {
  const offerOrganisation = async (offerId: string) =>
    (await loaders.offer.load(offerId))?.organisation.id ?? null;
  return {
    offerOrganisation,
    async capacityPeriodOrganisation(capacityPeriodId) {
      const period = await loaders.capacityPeriod.load(capacityPeriodId);
      return period ? offerOrganisation(period.offer.id) : null;
    },
    async caseOrganisation(caseId) {
      return (await loaders.case.load(caseId))?.managingOrganisation.id ?? null;
    },
    fieldGroupsSharedWith: (organisationId) => fieldGroupsSharedWith(em, organisationId),
  };
}
