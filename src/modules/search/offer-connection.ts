import type { Context } from '../../context.js';
import type { Connection } from '../../graphql/relay.js';
import type { Offer } from '../offer/offer.entity.js';
import type { OfferPage } from '../search/execute.js';

/** A page of offer ids → a Relay connection, the offers loaded in one batch through the request's loader. */
export async function offerConnection(ctx: Context, page: OfferPage): Promise<Connection<Offer>> {
  for (const row of page.rows ?? []) {
    ctx.loaders.offer.prime(row.offer.id, row.offer);
    ctx.loaders.organisation.prime(row.organisation.id, row.organisation);
    ctx.loaders.location.prime(row.location.id, row.location);
    ctx.loaders.currentCapacityPeriodByOffer.prime(row.offer.id, row.currentCapacityPeriod);
    ctx.loaders.eligibilityRuleInForceByOffer.prime(row.offer.id, row.eligibilityRule);
  }
  const loaded = await ctx.loaders.offer.loadMany(page.ids);
  // An offer deleted between the two statements drops out together with its own cursor.
  const edges = page.ids.flatMap((_, i) => {
    const node = loaded[i];
    return node && !(node instanceof Error) ? [{ node, cursor: page.cursors[i]! }] : [];
  });
  return {
    nodes: edges.map((e) => e.node),
    edges,
    // Read lazily (see searchOffers): a page without totalCount runs no count.
    get totalCount() {
      return page.totalCount;
    },
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors.at(-1) ?? null,
    },
  };
}
