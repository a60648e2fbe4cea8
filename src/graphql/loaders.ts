import type { EntityClass, EntityManager, ObjectQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import { readRows } from '../db/read-rows.js';
import { WaitingListStatus } from '../domain/enums.js';
import { CapacityPeriod } from '../modules/capacity/capacity-period.entity.js';
import { CURRENT_PERIOD } from '../modules/capacity/current-period.js';
import { Reservation } from '../modules/capacity/reservation.entity.js';
import { WaitingListEntry } from '../modules/capacity/waiting-list-entry.entity.js';
import { Case } from '../modules/case/case.entity.js';
import { CaseEvent } from '../modules/case/case-event.entity.js';
import { FundingProgramme } from '../modules/funding/funding-programme.entity.js';
import { EligibilityRule, RULE_IN_FORCE } from '../modules/offer/eligibility-rule.entity.js';
import { Offer } from '../modules/offer/offer.entity.js';
import {
  type OfferPage,
  type OfferSearchArgs,
  searchOffersByOrganisation,
} from '../modules/offer/offer-search.js';
import { choiceLoader } from '../modules/offer/per-offer-choice.js';
import { ContactPerson } from '../modules/organisation/contact-person.entity.js';
import { Location } from '../modules/organisation/location.entity.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { SharingGrant } from '../modules/sharing/sharing-grant.entity.js';
import { PrimedLoader } from './primed-loader.js';

/**
 * All loaders of one request, made in one place. Per request, never global: they cache, and what a
 * viewer may see must never leak into another viewer's request. They answer read rows (db/read-rows.ts):
 * for reading fields, never for writing through an EntityManager.
 */
/**
 * Batch on the next macrotask, not the next microtask: the policy check awaits owners and grants before
 * a field resolves, so loads of one list level arrive over several microtask hops and would otherwise be
 * split into several statements.
 */
const batchScheduleFn = (callback: () => void) => setImmediate(callback);

export function createLoaders(em: EntityManager, viewer: Viewer) {
  const offerPages = new Map<string, DataLoader<string, OfferPage>>();
  return {
    /** Organisation.offers: one loader per distinct arguments, batching all organisations of a page. */
    offersOfOrganisation(args: OfferSearchArgs): DataLoader<string, OfferPage> {
      const key = JSON.stringify(args);
      let loader = offerPages.get(key);
      if (!loader) {
        loader = new DataLoader(
          async (ids) => {
            const pages = await searchOffersByOrganisation(em, viewer, ids, args);
            return ids.map((id) => pages.get(id)!);
          },
          { batchScheduleFn },
        );
        offerPages.set(key, loader);
      }
      return loader;
    },
    organisation: byId(em, Organisation),
    location: byId(em, Location),
    offer: byId(em, Offer),
    capacityPeriod: byId(em, CapacityPeriod),
    case: byId(em, Case),
    reservation: byId(em, Reservation),
    waitingListEntry: byId(em, WaitingListEntry),
    sharingGrant: byId(em, SharingGrant),
    fundingProgramme: byId(em, FundingProgramme),
    locationsByOrganisation: manyBy(em, Location, 'organisation', (l) => l.organisation.id, {
      name: 'asc',
      id: 'asc',
    }),
    contactPersonsByOrganisation: manyBy(em, ContactPerson, 'organisation', (c) => c.organisation.id, {
      name: 'asc',
      id: 'asc',
    }),
    sharingGrantsByOrganisation: manyBy(em, SharingGrant, 'organisation', (g) => g.organisation.id, {
      createdAt: 'desc',
      id: 'asc',
    }),
    eventsByCase: manyBy(em, CaseEvent, 'case', (e) => e.case.id, {
      occurredOn: 'asc',
      seq: 'asc',
    }),
    eligibilityRulesByOffer: manyBy(em, EligibilityRule, 'offer', (r) => r.offer.id, {
      version: 'desc',
      id: 'asc',
    }),
    capacityPeriodsByOffer: manyBy(em, CapacityPeriod, 'offer', (p) => p.offer.id, {
      startsOn: 'asc',
      id: 'asc',
    }),
    /** Offer.currentCapacityPeriod (and availability), chosen by PostgreSQL. */
    currentCapacityPeriodByOffer: choiceLoader(em, CURRENT_PERIOD, batchScheduleFn),
    /** Offer.eligibility: the rule in force today, chosen by PostgreSQL. */
    eligibilityRuleInForceByOffer: choiceLoader(em, RULE_IN_FORCE, batchScheduleFn),
    activeReservationsByPeriod: manyBy(
      em,
      Reservation,
      'capacityPeriod',
      (r) => r.capacityPeriod.id,
      { createdAt: 'asc', id: 'asc' },
      { status: { $in: ['HELD', 'CONFIRMED'] } },
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

export type Loaders = ReturnType<typeof createLoaders>;

function byId<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>) {
  return new PrimedLoader<string, T | null>(
    async (ids) => {
      const rows = await readRows(em, entity, { id: { $in: [...ids] } } as unknown as ObjectQuery<T>);
      const byKey = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byKey.get(id) ?? null);
    },
    { batchScheduleFn },
  );
}

function manyBy<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  foreignKey: string,
  keyOf: (row: T) => string,
  orderBy: Record<string, 'asc' | 'desc'>,
  where: Record<string, unknown> = {},
) {
  return new DataLoader<string, T[]>(
    async (keys) => {
      const rows = await readRows(
        em,
        entity,
        { ...where, [foreignKey]: { $in: [...keys] } } as ObjectQuery<T>,
        orderBy,
      );
      const grouped = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) grouped.get(keyOf(row))?.push(row);
      return keys.map((k) => grouped.get(k) ?? []);
    },
    { batchScheduleFn },
  );
}
