import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CapacityPeriod } from '../../src/modules/capacity/capacity-period.entity.js';
import { REFERENCE_DAY, toDay } from './calendar.js';
import { planPeriods } from './capacity-plan.js';
import type { OfferSeed, SeededOffer } from './offers.js';
import { chance } from './random.js';
import { stamp } from './stamps.js';

/** A capacity period with what the seed still needs to settle its counters. */
export interface SeededPeriod {
  entity: CapacityPeriod;
  offer: SeededOffer;
  start: number;
  end: number;
  /** Filled to the last place (available 0) once reservations are known. */
  full: boolean;
  /** Share of places taken by people outside the hub (the provider's own participants). */
  fill: number;
  confirmed: number;
  held: number;
}

export interface CapacitySeed {
  periods: SeededPeriod[];
  byOffer: Map<SeededOffer, SeededPeriod[]>;
}

const OFFERS_CREATED_DAY = toDay('2025-10-01');

const between = (faker: Faker, min: number, max: number) => faker.number.float({ min, max });

/** How full a period is, by where it lies relative to the reference date. */
function fillOf(faker: Faker, start: number, end: number): { fill: number; full: boolean } {
  if (end < REFERENCE_DAY) return { fill: between(faker, 0.7, 1), full: chance(faker, 0.25) };
  if (start <= REFERENCE_DAY) return { fill: between(faker, 0.55, 0.95), full: chance(faker, 0.2) };
  if (start - REFERENCE_DAY <= 180) return { fill: between(faker, 0.1, 0.65), full: chance(faker, 0.15) };
  return { fill: between(faker, 0, 0.3), full: chance(faker, 0.03) };
}

export function seedCapacity(em: EntityManager, faker: Faker, offers: OfferSeed): CapacitySeed {
  const periods: SeededPeriod[] = [];
  const byOffer = new Map<SeededOffer, SeededPeriod[]>();
  offers.offers.forEach((offer, index) => {
    if (!offer.entity.active) return;
    const own = planPeriods(faker, offer.template, offer.year).map((plan, i) => {
      const start = toDay(plan.startsOn);
      const end = toDay(plan.endsOn);
      const entity = em.create(CapacityPeriod, {
        id: faker.string.uuid(),
        offer: offer.entity,
        label: plan.label,
        startsOn: plan.startsOn,
        endsOn: plan.endsOn,
        total: plan.total,
        ...stamp(Math.max(OFFERS_CREATED_DAY, Math.min(start - 60, REFERENCE_DAY - 1)), index * 100 + i),
      });
      return { entity, offer, start, end, ...fillOf(faker, start, end), confirmed: 0, held: 0 };
    });
    periods.push(...own);
    byOffer.set(offer, own);
  });
  return { periods, byOffer };
}

/** The period a case placed on `day` took part in (a run covering the day or starting within a month). */
export function periodCovering(
  capacity: CapacitySeed,
  offer: SeededOffer,
  day: number,
): SeededPeriod | undefined {
  return capacity.byOffer.get(offer)?.find((p) => p.start <= day + 31 && p.end >= day);
}

/** The next run a case referred on `day` could start in (not yet begun, or begun within two weeks). */
export function upcomingPeriod(
  capacity: CapacitySeed,
  offer: SeededOffer,
  day: number,
): SeededPeriod | undefined {
  return capacity.byOffer.get(offer)?.find((p) => p.start >= day - 14 && p.start <= day + 300);
}
