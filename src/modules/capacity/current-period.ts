import { sql } from '../../db/sql.js';
import type { PerOfferChoice } from '../offer/per-offer-choice.js';
import { CapacityPeriod } from './capacity-period.entity.js';

/** The current period (per-offer-choice.ts): the one running on the day, else the next to start; ties by start and id. */
export const CURRENT_PERIOD: PerOfferChoice<CapacityPeriod> = {
  entity: CapacityPeriod,
  table: 'capacity_period',
  alias: 'cp',
  where: (offer, day) => sql`cp.offer_id = ${offer} and cp.ends_on >= ${day}`,
  orderBy: (day) => sql`cp.starts_on > ${day}, cp.starts_on, cp.id`,
};
