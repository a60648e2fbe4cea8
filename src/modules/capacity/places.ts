import type { EntityManager } from '@mikro-orm/postgresql';
import { emitEvent, PLACES_CHANGED, type PlacesChanged } from '../../events/emit.js';
import type { CapacityPeriod } from './capacity-period.entity.js';

/** Free places: derived, never stored, never below 0. */
export const availablePlaces = (p: Pick<CapacityPeriod, 'total' | 'occupied' | 'reserved'>) =>
  Math.max(0, p.total - p.occupied - p.reserved);

/** The period running on `day`, else the next to start; periods sorted by start date. */
export function currentPeriod<P extends Pick<CapacityPeriod, 'startsOn' | 'endsOn'>>(
  periods: P[],
  day: string,
): P | null {
  return (
    periods.find((p) => p.startsOn <= day && p.endsOn >= day) ?? periods.find((p) => p.startsOn > day) ?? null
  );
}

/**
 * currentPeriod in SQL, for the periods of offer `offerColumn` (a column or placeholder): `where` and
 * `order by` that put the current period first (two `?` for the day each). Same order as currentPeriod:
 * running periods before future ones, then by start date and id.
 */
export const CURRENT_PERIOD_SQL = {
  where: (offerColumn: string) => `cp.offer_id = ${offerColumn} and cp.ends_on >= ?`,
  orderBy: 'cp.starts_on > ?, cp.starts_on, cp.id',
};

/** The "places changed" domain event of one period, added to the caller's transaction. */
export function emitPlacesChanged(
  em: EntityManager,
  period: {
    capacityPeriodId: string;
    offerId: string;
    organisationId: string;
    total: number;
    occupied: number;
    reserved: number;
  },
  previousAvailable: number,
  reason: string,
): void {
  const event: PlacesChanged = { ...period, available: availablePlaces(period), previousAvailable, reason };
  emitEvent(em, PLACES_CHANGED, event);
}
