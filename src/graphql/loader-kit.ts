import type { EntityClass, EntityManager, ObjectQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { readRows } from '../db/read-rows.js';
import { PrimedLoader } from './primed-loader.js';

/**
 * The pieces every feature's loaders are made of. Loaders are per request, never global: they cache,
 * and what a viewer may see must never leak into another viewer's request. They answer read rows
 * (db/read-rows.ts): for reading fields, never for writing through an EntityManager.
 */

/**
 * Batch on the next macrotask, not the next microtask: the policy check awaits owners and grants before
 * a field resolves, so loads of one list level arrive over several microtask hops and would otherwise be
 * split into several statements.
 */
export const batchScheduleFn = (callback: () => void) => setImmediate(callback);

/** Rows by id, one statement per batch; null for an unknown id. */
export function byId<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>) {
  return new PrimedLoader<string, T | null>(
    async (ids) => {
      const rows = await readRows(em, entity, { id: { $in: [...ids] } } as unknown as ObjectQuery<T>);
      const byKey = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byKey.get(id) ?? null);
    },
    { batchScheduleFn },
  );
}

/** The rows of many parents at once (by a foreign key), each parent's in `orderBy` order. */
export function manyBy<T extends object>(
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
