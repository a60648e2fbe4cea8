import type { EntityManager } from '@mikro-orm/postgresql';
import { batchScheduleFn, byId, manyBy } from '../../graphql/loader-kit.js';
import { EligibilityRule, RULE_IN_FORCE } from './eligibility-rule.entity.js';
import { Offer } from './offer.entity.js';
import { choiceLoader } from './per-offer-choice.js';

export function offerLoaders(em: EntityManager) {
  return {
    offer: byId(em, Offer),
    archivedOffersByOrganisation: manyBy(
      em,
      Offer,
      'organisation',
      (o) => o.organisation.id,
      { updatedAt: 'desc', id: 'asc' },
      { active: false },
    ),
    eligibilityRulesByOffer: manyBy(em, EligibilityRule, 'offer', (r) => r.offer.id, {
      version: 'desc',
      id: 'asc',
    }),
    /** Offer.eligibility: the rule in force today, chosen by PostgreSQL. */
    eligibilityRuleInForceByOffer: choiceLoader(em, RULE_IN_FORCE, batchScheduleFn),
  };
}

type OfferLoaders = ReturnType<typeof offerLoaders>;
declare module '../../context.js' {
  interface Loaders extends OfferLoaders {}
}
