import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { CapacityPeriod } from '../modules/capacity/capacity-period.entity.js';
import { Offer } from '../modules/offer/offer.entity.js';
import { Location } from '../modules/organisation/location.entity.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';

/**
 * All loaders of one request, made in one place. Per request, never global: they cache, and what a
 * viewer may see must never leak into another viewer's request.
 */
export function createLoaders(em: EntityManager) {
  return {
    organisation: byId(em, Organisation),
    location: byId(em, Location),
    offer: byId(em, Offer),
    capacityPeriod: byId(em, CapacityPeriod),
    locationsByOrganisation: manyBy(em, Location, 'organisation', (l) => l.organisation.id, {
      name: 'asc',
      id: 'asc',
    }),
    capacityPeriodsByOffer: manyBy(em, CapacityPeriod, 'offer', (p) => p.offer.id, {
      startsOn: 'asc',
      id: 'asc',
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

function byId<T extends { id: string }>(em: EntityManager, entity: EntityName<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
    const byKey = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byKey.get(id) ?? null);
  });
}

function manyBy<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  foreignKey: string,
  keyOf: (row: T) => string,
  orderBy: Record<string, 'asc' | 'desc'>,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await em.find(entity, { [foreignKey]: { $in: [...keys] } } as FilterQuery<T>, {
      orderBy: orderBy as never,
    });
    const grouped = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) grouped.get(keyOf(row))?.push(row);
    return keys.map((k) => grouped.get(k) ?? []);
  });
}
