import type { PerOfferChoice } from '../offer/per-offer-choice.js';
import { CapacityPeriod } from './capacity-period.entity.js';

/** The current period (per-offer-choice.ts): the one running on the day, else the next to start; ties by start and id. */
export const CURRENT_PERIOD: PerOfferChoice<CapacityPeriod> = {
  entity: CapacityPeriod,
  table: 'capacity_period',
  alias: 'cp',
  where: (offerColumn) => `cp.offer_id = ${offerColumn} and cp.ends_on >= ?`,
  orderBy: 'cp.starts_on > ?, cp.starts_on, cp.id',
};
