import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { seesExactPlaces } from '../../auth/access-control.js';
import type { Viewer } from '../../auth/viewer.js';
import { batchScheduleFn, byId, manyBy } from '../../graphql/loader-kit.js';
import { EligibilityRule, RULE_IN_FORCE } from './eligibility-rule.entity.js';
import { Offer } from './offer.entity.js';
import { choiceLoader } from './per-offer-choice.js';
import { type OfferPage, searchOffersByOrganisation } from './search/execute.js';
import type { OfferSearchArgs } from './search/plan.js';

export function offerLoaders(em: EntityManager, viewer: Viewer) {
  const offerPages = new Map<string, DataLoader<string, OfferPage>>();
  return {
    offer: byId(em, Offer),
    /** Organisation.offers: one loader per distinct arguments, batching all organisations of a page. */
    offersOfOrganisation(args: OfferSearchArgs): DataLoader<string, OfferPage> {
      const key = JSON.stringify(args);
      let loader = offerPages.get(key);
      if (!loader) {
        loader = new DataLoader(
          async (ids) => {
            // Who sees free places as bands only is not sorted by exact numbers either.
            const options = { exactFreePlaces: seesExactPlaces(viewer) };
            const pages = await searchOffersByOrganisation(em, ids, args, options);
            return ids.map((id) => pages.get(id)!);
          },
          { batchScheduleFn },
        );
        offerPages.set(key, loader);
      }
      return loader;
    },
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
