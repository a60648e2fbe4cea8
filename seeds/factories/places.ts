import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReservationStatus, WaitingListStatus } from '../../src/domain/enums.js';
import type { Account } from '../../src/modules/account/account.entity.js';
import { Reservation } from '../../src/modules/capacity/reservation.entity.js';
import { WaitingListEntry } from '../../src/modules/capacity/waiting-list-entry.entity.js';
import { REFERENCE_DAY, timestampOf } from './calendar.js';
import { type CapacitySeed, periodCovering, type SeededPeriod } from './capacity.js';
import type { CaseSeed, SeededCase } from './cases.js';
import { chance, int, weighted } from './random.js';
import { stamp } from './stamps.js';

export interface PlacesSeed {
  reservations: Reservation[];
  waitingListEntries: WaitingListEntry[];
}

/** Holds last two weeks after the referral, ending 17:00 local time (16:00 UTC in winter). */
const HOLD_DAYS = 14;
const holdEnd = (day: number) => timestampOf(day, 16 * 3600);

/**
 * Reservations and waiting lists from the cases' referrals, then the period counters settled so
 * that `reserved` = HELD reservations, `occupied` ≥ CONFIRMED ones, and occupied + reserved ≤ total.
 */
export function seedPlaces(
  em: EntityManager,
  faker: Faker,
  capacity: CapacitySeed,
  caseSeed: CaseSeed,
  caseManagers: Map<string, Account[]>,
): PlacesSeed {
  const reservations: Reservation[] = [];
  const waitingListEntries: WaitingListEntry[] = [];
  const active = new Set<string>();
  const waiting = new Set<string>();
  const key = (period: SeededPeriod, c: SeededCase) => `${period.entity.id}/${c.entity.id}`;
  const hasRoom = (p: SeededPeriod) => !p.full && p.confirmed + p.held + 1 < p.entity.total;
  const managerOf = (c: SeededCase) => {
    const managers = caseManagers.get(c.org.spec.slug) ?? [];
    return managers.length > 0 ? faker.helpers.arrayElement(managers) : undefined;
  };
  let seq = 0;

  const reserve = (
    c: SeededCase,
    period: SeededPeriod,
    status: ReservationStatus,
    day: number,
    updatedDay = day,
  ) => {
    const counted = status === ReservationStatus.HELD || status === ReservationStatus.CONFIRMED;
    if (counted) {
      if (active.has(key(period, c))) return undefined;
      active.add(key(period, c));
      if (status === ReservationStatus.HELD) period.held++;
      else period.confirmed++;
    }
    const reservation = em.create(Reservation, {
      id: faker.string.uuid(),
      capacityPeriod: period.entity,
      case: c.entity,
      reservedBy: managerOf(c),
      status,
      holdUntil: holdEnd(
        status === ReservationStatus.HELD ? REFERENCE_DAY + int(faker, 5, 28) : day + HOLD_DAYS,
      ),
      createdAt: stamp(day, seq).createdAt,
      updatedAt: stamp(Math.min(updatedDay, REFERENCE_DAY), seq).updatedAt,
    });
    seq++;
    reservations.push(reservation);
    return reservation;
  };

  const wait = (
    period: SeededPeriod,
    c: SeededCase | undefined,
    day: number,
    status = WaitingListStatus.WAITING,
  ) => {
    if (c && status === WaitingListStatus.WAITING) {
      if (waiting.has(key(period, c))) return;
      waiting.add(key(period, c));
    }
    waitingListEntries.push(
      em.create(WaitingListEntry, {
        id: faker.string.uuid(),
        capacityPeriod: period.entity,
        case: c?.entity,
        status,
        ...stamp(day, seq++),
      }),
    );
  };

  // Places taken in the past: the referral led into the offer (CONFIRMED) or, for side referrals, lapsed.
  for (const c of caseSeed.cases) {
    for (const p of c.placements) {
      const period = periodCovering(capacity, p.offer, p.startDay);
      if (!period || p.referralDay > REFERENCE_DAY) continue;
      const outcome = p.side
        ? weighted(faker, [
            [ReservationStatus.CONFIRMED, 70],
            [ReservationStatus.EXPIRED, 20],
            [ReservationStatus.RELEASED, 10],
          ] as const)
        : ReservationStatus.CONFIRMED;
      if (outcome === ReservationStatus.CONFIRMED && !(period.confirmed + period.held < period.entity.total))
        continue;
      // A lapsed hold must have lapsed before the reference date.
      if (outcome === ReservationStatus.EXPIRED && p.referralDay + HOLD_DAYS >= REFERENCE_DAY) continue;
      reserve(c, period, outcome, p.referralDay, p.startDay);
    }
  }

  // Open referrals on the reference date: hold a place where there is room, else join the waiting list.
  for (const c of caseSeed.cases) {
    const open = c.openReferral;
    if (!open) continue;
    const period = open.period;
    if (hasRoom(period) && !active.has(key(period, c))) {
      const fromWaitingList = chance(faker, 0.12);
      const reservation = reserve(c, period, ReservationStatus.HELD, open.day);
      if (reservation && fromWaitingList) {
        reservation.fromWaitingList = true;
        wait(period, c, open.day - int(faker, 7, 40), WaitingListStatus.OFFERED);
      }
    } else if (!active.has(key(period, c))) {
      period.full = true;
      wait(period, c, open.day);
    }
  }

  // The providers' own waiting people (not in the Teilhabemanagement) on full, current or upcoming runs.
  for (const period of capacity.periods) {
    if (!period.full || period.end < REFERENCE_DAY || period.start > REFERENCE_DAY + 200) continue;
    if (!chance(faker, 0.8)) continue;
    const n = int(faker, 1, 5);
    for (let i = 0; i < n; i++) wait(period, undefined, REFERENCE_DAY - int(faker, 2, 80));
  }

  settleCounters(capacity);
  return { reservations, waitingListEntries };
}

/** reserved = HELD; occupied covers CONFIRMED plus the provider's own participants; never overbooked. */
function settleCounters(capacity: CapacitySeed): void {
  for (const p of capacity.periods) {
    const free = p.entity.total - p.held;
    p.entity.reserved = p.held;
    p.entity.occupied = p.full
      ? free
      : Math.max(p.confirmed, Math.min(Math.round(p.entity.total * p.fill), free));
    if (p.entity.occupied < p.confirmed || p.entity.occupied + p.entity.reserved > p.entity.total)
      throw new Error(`inconsistent capacity period ${p.entity.label} of ${p.offer.entity.title}`);
  }
}
