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

/**
 * `[left] join lateral (select <columns> … limit 1) <alias> on true` for the offers of `offerColumn`, and
 * its parameters (the day, twice): the one way the offer search and the offers page join a choice.
 */
export function lateralChoice<T extends object>(
  choice: PerOfferChoice<T>,
  offerColumn: string,
  columns: string,
  alias: string,
  day: string,
  kind: 'left join' | 'join' = 'left join',
): { join: string; params: string[] } {
  return {
    join: `${kind} lateral (
       select ${columns} from ${choice.table} ${choice.alias}
        where ${choice.where(offerColumn)} order by ${choice.orderBy} limit 1) ${alias} on true`,
    params: [day, day],
  };
}

/** The chosen row's every column, named as read-rows.ts names them (prefix `prefix`). */
export function chosenRowColumns<T extends object>(
  em: EntityManager,
  choice: PerOfferChoice<T>,
  prefix: string,
) {
  return selectColumns(em, choice.entity, choice.alias, prefix);
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
