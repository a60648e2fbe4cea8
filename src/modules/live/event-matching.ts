import type { MikroORM } from '@mikro-orm/postgresql';
import type { PlacesChanged } from '../../events/emit.js';
import { AvailabilityBand, availabilityBand } from '../../graphql/enums.js';
import { searchOffers } from '../search/execute.js';
import type { OfferFilter } from '../search/offer-filter.types.js';

const BAND_ORDER: Record<AvailabilityBand, number> = {
  [AvailabilityBand.NONE]: 0,
  [AvailabilityBand.FEW]: 1,
  [AvailabilityBand.SOME]: 2,
};

/**
 * Did a place become free, as this viewer may see it? Who may not read exact places (the policy's
 * CapacityPeriod.available) sees bands only: they learn of a freed place when the band rises, not of
 * every count.
 */
export function placesRose(change: PlacesChanged, exactPlaces: boolean): boolean {
  return exactPlaces
    ? change.available > change.previousAvailable
    : BAND_ORDER[availabilityBand(change.available)] > BAND_ORDER[availabilityBand(change.previousAvailable)];
}

/**
 * Does the offer of this event match a filter? One SQL statement per (event, filter, search options):
 * the offer search itself, restricted to the event's offer. `filterKey` is the filter serialised once by
 * whoever holds it (undefined: no filter, everything matches). Rejects when the statement failed.
 */
const matches = new Map<string, Promise<boolean>>();
export function offerMatchesFilter(
  orm: MikroORM,
  event: { id: number; offerId: string },
  filter: OfferFilter | undefined,
  filterKey: string | undefined,
  exactPlaces: boolean,
): boolean | Promise<boolean> {
  if (!filter || filterKey === undefined) return true;
  // Many dashboards (and saved searches) share filters: each distinct filter is checked once per event,
  // for all of them. Of the viewer the search reads only its options, so that is all the key needs.
  const key = `${event.id}:${exactPlaces ? 'exact' : 'bands'}:${filterKey}`;
  let result = matches.get(key);
  if (!result) {
    const args = { filter, offerIds: [event.offerId], first: 1 };
    result = searchOffers(orm.em.fork(), args, { exactFreePlaces: exactPlaces }).then(
      (page) => page.ids.length > 0,
    );
    // A failed check is not remembered: whoever asks again (a retried fan-out claim) checks again.
    result.catch(() => matches.delete(key));
    matches.set(key, result);
    if (matches.size > 5_000) matches.delete(matches.keys().next().value!);
  }
  return result;
}

/** A filter's key for offerMatchesFilter: undefined when it filters nothing. */
export const filterKeyOf = (filter: OfferFilter | undefined) =>
  filter && Object.keys(filter).length > 0 ? JSON.stringify(filter) : undefined;
