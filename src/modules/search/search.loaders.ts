import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Viewer } from '../../auth/viewer.js';
import { batchScheduleFn } from '../../graphql/loader-kit.js';
import { type OfferPage, searchOffersByOrganisation } from './execute.js';
import type { OfferSearchArgs } from './plan.js';
import { offerSearchOptions } from './search-options.js';

export function searchLoaders(em: EntityManager, viewer: Viewer) {
  const offerPages = new Map<string, DataLoader<string, OfferPage>>();
  return {
    /** Organisation.offers: one loader per distinct arguments, batching all organisations of a page. */
    offersOfOrganisation(args: OfferSearchArgs): DataLoader<string, OfferPage> {
      const key = JSON.stringify(args);
      let loader = offerPages.get(key);
      if (!loader) {
        loader = new DataLoader(
          async (ids) => {
            const pages = await searchOffersByOrganisation(em, ids, args, offerSearchOptions(viewer));
            return ids.map((id) => pages.get(id)!);
          },
          { batchScheduleFn },
        );
        offerPages.set(key, loader);
      }
      return loader;
    },
  };
}

type SearchLoaders = ReturnType<typeof searchLoaders>;
declare module '../../context.js' {
  interface Loaders extends SearchLoaders {}
}
