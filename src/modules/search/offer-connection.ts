import type { Context } from '../../context.js';
import type { Connection } from '../../graphql/relay.js';
import type { Offer } from '../offer/offer.entity.js';
import type { OfferPage } from '../search/execute.js';
import type { OfferHighlight } from './search-highlights.js';

/** An offer search's edge: the node, its cursor and, for a search text, why it matched. */
export interface OfferEdgeValue {
  node: Offer;
  cursor: string;
  highlights?: () => Promise<OfferHighlight[]>;
}

export interface OfferConnectionValue extends Connection<Offer> {
  edges: OfferEdgeValue[];
  suggestions?: () => Promise<string[]>;
}

/** A page of offer ids → a Relay connection, the offers loaded in one batch through the request's loader. */
export async function offerConnection(ctx: Context, page: OfferPage): Promise<OfferConnectionValue> {
  for (const row of page.rows ?? []) {
    ctx.loaders.offer.prime(row.offer.id, row.offer);
    ctx.loaders.organisation.prime(row.organisation.id, row.organisation);
    ctx.loaders.location.prime(row.location.id, row.location);
    ctx.loaders.currentCapacityPeriodByOffer.prime(row.offer.id, row.currentCapacityPeriod);
    ctx.loaders.eligibilityRuleInForceByOffer.prime(row.offer.id, row.eligibilityRule);
  }
  const loaded = await ctx.loaders.offer.loadMany(page.ids);
  // An offer deleted between the two statements drops out together with its own cursor.
  const highlights = page.highlights;
  const edges = page.ids.flatMap((id, i): OfferEdgeValue[] => {
    const node = loaded[i];
    if (!node || node instanceof Error) return [];
    return [{ node, cursor: page.cursors[i]!, highlights: highlights && (() => highlights(id)) }];
  });
  return {
    suggestions: page.suggestions,
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
