import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql.js';
import { emitEvent, PLACES_CHANGED, type PlacesChanged } from '../../events/emit.js';
import type { PerOfferChoice } from '../offer/per-offer-choice.js';
import { CapacityPeriod } from './capacity-period.entity.js';

/** Free places: derived, never stored, never below 0. */
export const availablePlaces = (p: Pick<CapacityPeriod, 'total' | 'occupied' | 'reserved'>) =>
  Math.max(0, p.total - p.occupied - p.reserved);

/** The current period (per-offer-choice.ts): the one running on the day, else the next to start; ties by start and id. */
export const CURRENT_PERIOD: PerOfferChoice<CapacityPeriod> = {
  entity: CapacityPeriod,
  table: 'capacity_period',
  alias: 'cp',
  where: (offer, day) => sql`cp.offer_id = ${offer} and cp.ends_on >= ${day}`,
  orderBy: (day) => sql`cp.starts_on > ${day}, cp.starts_on, cp.id`,
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
