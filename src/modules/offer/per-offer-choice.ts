import type { EntityClass, EntityManager } from '@mikro-orm/postgresql';
import { rowFromColumns, selectColumns } from '../../db/read-rows.js';
import { today } from '../../domain/calendar.js';
import { PrimedLoader } from '../../graphql/primed-loader.js';

/**
 * One row per offer chosen by PostgreSQL as of today (the current capacity period, the eligibility rule
 * in force): `where` narrows the offer's rows (two `?` for the day), `orderBy` puts the chosen one first —
 * the same choice the resolvers once made in JavaScript. Read as a lateral join with the offers page, or
 * through a loader anywhere else.
 */
export interface PerOfferChoice<T> {
  entity: EntityClass<T>;
  table: string;
  alias: string;
  where(offerColumn: string): string;
  orderBy: string;
}

/** `left join lateral (…) <prefix> on true`: the chosen row's columns, named as read-rows.ts names them. */
export function lateralChoice<T extends object>(
  em: EntityManager,
  choice: PerOfferChoice<T>,
  offerColumn: string,
  prefix: string,
): { join: string; params: string[] } {
  const day = today();
  return {
    join: `left join lateral (
       select ${selectColumns(em, choice.entity, choice.alias, prefix)} from ${choice.table} ${choice.alias}
        where ${choice.where(offerColumn)} order by ${choice.orderBy} limit 1) ${prefix}_chosen on true`,
    params: [day, day],
  };
}

/** The chosen row of each offer (null when none), a batch of offers in one statement. */
export function choiceLoader<T extends { offer: { id: string } }>(
  em: EntityManager,
  choice: PerOfferChoice<T>,
  batchScheduleFn: (callback: () => void) => void,
) {
  return new PrimedLoader<string, T | null>(
    async (offerIds) => {
      const day = today();
      const a = choice.alias;
      const raw = await em.getConnection().execute<Record<string, unknown>[]>(
        `select distinct on (${a}.offer_id) ${selectColumns(em, choice.entity, a, 'x')}
           from ${choice.table} ${a}
          where ${choice.where(`any(array[${offerIds.map(() => '?').join(', ')}]::uuid[])`)}
          order by ${a}.offer_id, ${choice.orderBy}`,
        [...offerIds, day, day],
      );
      const byOffer = new Map(
        raw.map((r) => rowFromColumns(em, choice.entity, r, 'x')).map((row) => [row.offer.id, row]),
      );
      return offerIds.map((id) => byOffer.get(id) ?? null);
    },
    { batchScheduleFn },
  );
}
