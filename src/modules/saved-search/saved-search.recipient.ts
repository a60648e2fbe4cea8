import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pLimit from 'p-limit';
import { seesExactPlaces } from '../../auth/access-control.js';
import { PUBLIC_VIEWER, type Viewer } from '../../auth/viewer.js';
import { executeSqlInTransaction, join, sql } from '../../db/sql.js';
import type { Role } from '../../domain/enums.js';
import { PLACES_CHANGED, type PlacesChanged } from '../../events/emit.js';
import type { FannedEvent, FanOutRecipient } from '../../events/fan-out.js';
import { filterKeyOf, offerMatchesFilter, placesRose } from '../live/event-matching.js';
import type { OfferFilter } from '../search/offer-filter.types.js';

/** Match statements at once: the claim's transaction waits for them, the pool serves requests too. */
const MATCHES_AT_ONCE = 4;

interface ListeningSearch {
  id: string;
  filter: OfferFilter;
  account_id: string | null;
  organisation_id: string | null;
  roles: Role[] | null;
  active: boolean | null;
}

/** The search's viewer, as authenticate would make it for the account (the public without one). */
export function viewerOfSearch(row: {
  account_id: string | null;
  organisation_id: string | null;
  roles: Role[] | null;
}): Viewer {
  if (!row.account_id || !row.organisation_id) return PUBLIC_VIEWER;
  return {
    kind: 'account',
    accountId: row.account_id,
    organisationId: row.organisation_id,
    roles: new Set(row.roles ?? []),
  };
}

/**
 * The fan-out's recipient 'saved-searches': for each "places changed" event, the searches whose filter
 * matches the offer and for whose viewer the free places rose (exact numbers for who may read them, the
 * band for the public: policy field CapacityPeriod.available) get a hit. Recorded in the fan-out's own
 * transaction, so an event yields its hits exactly once; the mailer sends them later.
 */
export class SavedSearchRecipient implements FanOutRecipient {
  readonly name = 'saved-searches';
  readonly types = [PLACES_CHANGED];

  constructor(
    private readonly orm: MikroORM,
    /** Called after the hits committed: the mailer looks at once instead of at its next round. */
    private readonly onRecorded: () => void = () => undefined,
  ) {}

  async record(em: EntityManager, events: FannedEvent[]): Promise<void> {
    const rising = events.flatMap((event) => {
      if (event.type !== PLACES_CHANGED) return [];
      const change = event.payload as unknown as PlacesChanged;
      // A band can only rise where the number rose: nothing to do for anyone otherwise.
      return placesRose(change, true) ? [{ event, change }] : [];
    });
    if (rising.length === 0) return;
    const searches = await executeSqlInTransaction<ListeningSearch[]>(
      em,
      sql`select s.id, s.filter, s.account_id, a.organisation_id, a.roles, (a.active and o.active) as active
            from saved_search s
            left join account a on a.id = s.account_id
            left join organisation o on o.id = a.organisation_id
           where not s.paused and s.notify <> 'NONE' and s.confirmed_at is not null`,
    );
    const checks = searches.flatMap((search) => {
      if (search.account_id && !search.active) return [];
      const exact = seesExactPlaces(viewerOfSearch(search));
      const filterKey = filterKeyOf(search.filter);
      return rising
        .filter(({ change }) => placesRose(change, exact))
        .map(({ event, change }) => ({ search, event, change, exact, filterKey }));
    });
    // Searches sharing a filter share one statement per event (offerMatchesFilter); a few run at once.
    const limit = pLimit(MATCHES_AT_ONCE);
    const matched = await Promise.all(
      checks.map((check) =>
        limit(async () => {
          const { search, event, change } = check;
          const ok = await offerMatchesFilter(
            this.orm,
            { id: Number(event.id), offerId: change.offerId },
            search.filter,
            check.filterKey,
            check.exact,
          );
          return ok ? [check] : [];
        }),
      ),
    );
    const hits = matched.flat();
    if (hits.length === 0) return;
    const rows = hits.map(
      ({ search, event, change }) =>
        sql`(${search.id}, ${event.id}, ${change.offerId}, ${change.capacityPeriodId}, ${event.createdAt.toISOString()})`,
    );
    await executeSqlInTransaction(
      em,
      sql`insert into saved_search_hit (saved_search_id, event_id, offer_id, capacity_period_id, occurred_at)
          values ${join(rows)}
          on conflict (saved_search_id, event_id) do nothing`,
    );
  }

  recorded(): void {
    this.onRecorded();
  }
}
