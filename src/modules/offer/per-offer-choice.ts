import type { EntityClass, EntityManager } from '@mikro-orm/postgresql';
import { rowFromColumns, selectColumns } from '../../db/read-rows.js';
import { executeSql, join, raw, type Sql, sql } from '../../db/sql.js';
import { today } from '../../domain/calendar.js';
import { PrimedLoader } from '../../graphql/primed-loader.js';

/**
 * One row per offer chosen by PostgreSQL as of a day (the current capacity period, the eligibility rule
 * in force): `where` narrows the offer's rows, `orderBy` puts the chosen one first — the same choice the
 * resolvers once made in JavaScript. Read as a lateral join with the offers page, or through a loader
 * anywhere else.
 */
export interface PerOfferChoice<T> {
  entity: EntityClass<T>;
  table: string;
  alias: string;
  where(offer: Sql, day: string): Sql;
  orderBy(day: string): Sql;
}

/**
 * `[left] join lateral (select <columns> … limit 1) <alias> on true` for the offers of `offer`: the one
 * way the offer search and the offers page join a choice.
 */
export function lateralChoice<T extends object>(
  choice: PerOfferChoice<T>,
  offer: Sql,
  columns: Sql,
  alias: string,
  day: string,
  kind: 'left join' | 'join' = 'left join',
): Sql {
  return sql`${raw(kind)} lateral (
       select ${columns} from ${raw(`${choice.table} ${choice.alias}`)}
        where ${choice.where(offer, day)} order by ${choice.orderBy(day)} limit 1) ${raw(alias)} on true`;
}

/** The chosen row's every column, named as read-rows.ts names them (prefix `prefix`). */
export function chosenRowColumns<T extends object>(
  em: EntityManager,
  choice: PerOfferChoice<T>,
  prefix: string,
): Sql {
  return raw(selectColumns(em, choice.entity, choice.alias, prefix));
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
      const found = await executeSql<Record<string, unknown>[]>(
        em,
        sql`select distinct on (${raw(`${a}.offer_id`)}) ${raw(selectColumns(em, choice.entity, a, 'x'))}
           from ${raw(`${choice.table} ${a}`)}
          where ${choice.where(sql`any(array[${join(offerIds, ', ')}]::uuid[])`, day)}
          order by ${raw(`${a}.offer_id`)}, ${choice.orderBy(day)}`,
      );
      const byOffer = new Map(
        found.map((r) => rowFromColumns(em, choice.entity, r, 'x')).map((row) => [row.offer.id, row]),
      );
      return offerIds.map((id) => byOffer.get(id) ?? null);
    },
    { batchScheduleFn },
  );
}
