import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { seesExactPlaces } from '../../auth/access-control.js';
import type { Context } from '../../context.js';
import { isDatabaseUnavailable } from '../../db/availability.js';
import { notFound } from '../../errors.js';
import { PLACES_CHANGED, type PlacesChanged, STATISTICS_CHANGED } from '../../events/emit.js';
import type { HubEvent } from '../../events/event-bus.js';
import { eventStream } from '../../events/event-stream.js';
import { availabilityBand } from '../../graphql/enums.js';
import { fromGlobalIdOf } from '../../graphql/global-id.js';
import { CapacityPeriod } from '../capacity/capacity-period.entity.js';
import { Offer } from '../offer/offer.entity.js';
import { OfferFilter } from '../search/offer-filter.types.js';
import { filterKeyOf, offerMatchesFilter, placesRose } from './event-matching.js';
import { PlacesEventType, StatisticsUpdateType } from './live.types.js';

/** Does the offer of this event match the subscriber's filter (as the subscriber may see places)? */
function offerMatches(
  ctx: Context,
  event: HubEvent,
  filter: OfferFilter | undefined,
  filterKey: string | undefined,
): boolean | Promise<boolean> {
  const offerId = (event.payload as unknown as PlacesChanged).offerId;
  const matched = offerMatchesFilter(
    ctx.deps.orm,
    { id: event.id, offerId },
    filter,
    filterKey,
    seesExactPlaces(ctx.viewer),
  );
  // A live list misses one event rather than ending the subscription.
  return typeof matched === 'boolean' ? matched : matched.catch(() => false);
}

/**
 * The rows an event is about, read once per event for all subscribers (cached by event id); the loaders of
 * each execution of the event (one per operation and visibility class) are primed with them, so field
 * rules still run per viewer class.
 */
const eventRows = new Map<number, Promise<[Offer | null, CapacityPeriod | null]>>();
function rowsOf(ctx: Context, event: HubEvent, change: PlacesChanged) {
  let rows = eventRows.get(event.id);
  if (!rows) {
    const em = ctx.deps.orm.em.fork();
    rows = Promise.all([
      em.findOne(Offer, { id: change.offerId }),
      em.findOne(CapacityPeriod, { id: change.capacityPeriodId }),
    ]);
    // Read ahead while the filter is checked: a failure is met (and retried) by the payload's reader.
    rows.catch(() => undefined);
    eventRows.set(event.id, rows);
    if (eventRows.size > 100) eventRows.delete(eventRows.keys().next().value!);
  }
  return rows;
}

/**
 * A subscriber's payload for one event. The event itself is safe in the outbox; reading its rows can meet
 * a dropped database connection, so that read is retried a few times (about 5 s in all) before the
 * subscriber gets SERVICE_UNAVAILABLE for this event instead of its data.
 */
const placesPayload = async (event: HubEvent, ctx: Context) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readPlacesPayload(event, ctx);
    } catch (error) {
      if (attempt >= 5 || !isDatabaseUnavailable(error)) throw error;
      eventRows.delete(event.id);
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
};

/** `ctx` is this event's own context (contextForEvent): fresh loaders, nothing cached from earlier events. */
const readPlacesPayload = async (event: HubEvent, ctx: Context) => {
  const change = event.payload as unknown as PlacesChanged;
  const [offer, capacityPeriod] = await rowsOf(ctx, event, change);
  if (offer) ctx.loaders.offer.prime(change.offerId, offer);
  if (capacityPeriod) ctx.loaders.capacityPeriod.prime(change.capacityPeriodId, capacityPeriod);
  return {
    offer: await ctx.loaders.offer.load(change.offerId),
    capacityPeriod: await ctx.loaders.capacityPeriod.load(change.capacityPeriodId),
    changedAt: event.occurredAt,
    reason: change.reason,
  };
};

@Resolver()
export class LiveResolver {
  @Subscription(() => PlacesEventType, {
    description:
      'A place became free (available rose, e.g. 0 → 1) in a period of an offer matching the filter (as in `offers`).',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const filter = (args as { filter?: OfferFilter }).filter;
      const filterKey = filterKeyOf(filter);
      const exact = seesExactPlaces(ctx.viewer);
      // Not async: most events are decided without a query (no rise), and then synchronously.
      return eventStream(ctx.deps.bus, (event) => {
        if (event.type !== PLACES_CHANGED) return false;
        const change = event.payload as unknown as PlacesChanged;
        if (!placesRose(change, exact)) return false;
        // The payload's rows are read while the filter is checked, not after: one round trip less.
        rowsOf(ctx, event, change);
        return offerMatches(ctx, event, filter, filterKey);
      });
    },
  })
  placesAvailable(
    @Root() event: HubEvent,
    @Arg('filter', () => OfferFilter, { nullable: true }) _filter: OfferFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return placesPayload(event, ctx);
  }

  @Subscription(() => PlacesEventType, {
    description:
      'Places of a period changed, up or down (a reservation, a release, a new total), in an offer matching the filter (as in `offers`): for live lists. Who may read exact places sees every change of the free places; who sees bands only (the public) is told only when the band changes.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const filter = (args as { filter?: OfferFilter }).filter;
      const filterKey = filterKeyOf(filter);
      const exact = seesExactPlaces(ctx.viewer);
      return eventStream(ctx.deps.bus, (event) => {
        if (event.type !== PLACES_CHANGED) return false;
        const change = event.payload as unknown as PlacesChanged;
        // Bands-only viewers learn nothing from an event that leaves the band as it was (not even that
        // something was booked): the same rule as for placesAvailable, in both directions.
        const changed = exact
          ? change.available !== change.previousAvailable
          : availabilityBand(change.available) !== availabilityBand(change.previousAvailable);
        if (!changed) return false;
        rowsOf(ctx, event, change);
        return offerMatches(ctx, event, filter, filterKey);
      });
    },
  })
  placesChanged(
    @Root() event: HubEvent,
    @Arg('filter', () => OfferFilter, { nullable: true }) _filter: OfferFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return placesPayload(event, ctx);
  }

  @Subscription(() => PlacesEventType, {
    description:
      'Every change of one offer’s places, for the provider’s own dashboard (its accounts, the coordinator).',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const globalId = (args as { offerId: string }).offerId;
      const offerId = fromGlobalIdOf('Offer', globalId, 'offerId');
      const offer = await ctx.deps.orm.em.fork().findOne(Offer, { id: offerId });
      if (!offer) throw notFound('Offer', globalId);
      ctx.access.assert('capacity.follow', { provider: offer.organisation.id });
      return eventStream(
        ctx.deps.bus,
        (event) =>
          event.type === PLACES_CHANGED && (event.payload as unknown as PlacesChanged).offerId === offerId,
      );
    },
  })
  capacityChanged(@Root() event: HubEvent, @Arg('offerId', () => ID) _offerId: string, @Ctx() ctx: Context) {
    return placesPayload(event, ctx);
  }

  @Subscription(() => StatisticsUpdateType, {
    description:
      'A signal for meeting screens: case statistics changed — at most once per STATISTICS_UPDATE_INTERVAL_MS (5 s), however many cases change; fetch caseStatistics again.',
    subscribe: ({ context }) =>
      eventStream((context as Context).deps.statistics, (event) => event.type === STATISTICS_CHANGED),
  })
  statisticsUpdated(@Root() event: HubEvent) {
    return {
      changedAt: event.occurredAt,
      statistics: (event.payload.statistics as string[] | undefined) ?? ['cases'],
    };
  }
}
