import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { WaitingListStatus } from '../../domain/enums.js';
import { batchScheduleFn, byId, manyBy } from '../../graphql/loader-kit.js';
import { choiceLoader } from '../offer/per-offer-choice.js';
import { CapacityPeriod } from './capacity-period.entity.js';
import { CURRENT_PERIOD } from './current-period.js';
import { Reservation } from './reservation.entity.js';
import { WaitingListEntry } from './waiting-list-entry.entity.js';

export function capacityLoaders(em: EntityManager) {
  return {
    capacityPeriod: byId(em, CapacityPeriod),
    reservation: byId(em, Reservation),
    waitingListEntry: byId(em, WaitingListEntry),
    capacityPeriodsByOffer: manyBy(em, CapacityPeriod, 'offer', (p) => p.offer.id, {
      startsOn: 'asc',
      id: 'asc',
    }),
    /** Offer.currentCapacityPeriod (and availability), chosen by PostgreSQL. */
    currentCapacityPeriodByOffer: choiceLoader(em, CURRENT_PERIOD, batchScheduleFn),
    activeReservationsByPeriod: manyBy(
      em,
      Reservation,
      'capacityPeriod',
      (r) => r.capacityPeriod.id,
      { createdAt: 'asc', id: 'asc' },
      { status: { $in: ['HELD', 'CONFIRMED'] } },
    ),
    /** Case.reservations: every status, newest first (a case holds few). */
    reservationsByCase: manyBy(em, Reservation, 'case', (r) => r.case.id, { createdAt: 'desc', id: 'desc' }),
    waitingListEntriesByCase: manyBy(em, WaitingListEntry, 'case', (w) => w.case!.id, {
      createdAt: 'desc',
      id: 'desc',
    }),
    waitingEntriesByPeriod: manyBy(
      em,
      WaitingListEntry,
      'capacityPeriod',
      (e) => e.capacityPeriod.id,
      { createdAt: 'asc', id: 'asc' },
      { status: { $in: [WaitingListStatus.WAITING, WaitingListStatus.OFFERED] } },
    ),
    waitingCountByPeriod: new DataLoader<string, number>(
      async (ids) => {
        const query = em
          .getKnex()
          .select('capacity_period_id')
          .count({ n: '*' })
          .from('waiting_list_entry')
          .where('status', WaitingListStatus.WAITING)
          .whereIn('capacity_period_id', [...ids])
          .groupBy('capacity_period_id');
        const rows = await em
          .getConnection()
          .execute<{ capacity_period_id: string; n: string | number }[]>(query);
        const counts = new Map(rows.map((r) => [r.capacity_period_id, Number(r.n)]));
        return ids.map((id) => counts.get(id) ?? 0);
      },
      { batchScheduleFn },
    ),
  };
}

type CapacityLoaders = ReturnType<typeof capacityLoaders>;
declare module '../../context.js' {
  interface Loaders extends CapacityLoaders {}
}
