import { join, raw, type Sql, sql } from '../../db/sql.js';
import { today } from '../../domain/calendar.js';
import { badInput } from '../../errors.js';
import { FEW_PLACES_MAX } from '../../graphql/enums.js';
import { fromGlobalIdOf } from '../../graphql/global-id.js';
import { type ConnectionArgs, checkPageArgs, DEFAULT_PAGE_SIZE } from '../../graphql/relay.js';
import { CURRENT_PERIOD } from '../capacity/current-period.js';
import { RULE_IN_FORCE } from '../offer/eligibility-rule.entity.js';
import { lateralChoice } from '../offer/per-offer-choice.js';
import { readOfferCursor, type SortKey } from './offer-cursor.js';
import { type OfferFilter, type OfferOrder, OfferOrderField, OrderDirection } from './offer-filter.types.js';
import { type SearchText, searchText } from './search-text.js';

/**
 * The offer search's planner: the arguments of `offers` / `Organisation.offers` → one statement of the
 * matching offers with their sort keys, and how to cut a page from it. Pure (no I/O), so the executors
 * (execute.ts) can wrap the same statement as a page, a ranked list, a per-organisation page or a count.
 * Sort keys are computed in SQL (current period's free places, next start, full-text rank) and carried in
 * the cursor with the id, which breaks ties: paging while data changes never repeats or skips a row with
 * an unchanged key.
 */

export interface OfferSearchArgs extends ConnectionArgs {
  filter?: OfferFilter;
  orderBy?: OfferOrder;
  /** Internal (not in the schema): restrict to these offers, e.g. to test one offer against a filter. */
  offerIds?: string[];
}

/** What the caller decides about its viewer (not in the schema). */
export interface OfferSearchOptions {
  /**
   * FREE_PLACES sorts by exact numbers; when false, by bands (0 / 1–FEW_PLACES_MAX / more), for viewers
   * who see only bands: sorting by exact numbers would leak them through the order.
   */
  exactFreePlaces: boolean;
}

export interface Plan {
  /** `select o.id, o.organisation_id, <sort key> as sort_key from offer o …`: every match, unordered. */
  matches: Sql;
  /** The search's "today" (current periods, rules in force): one day for every part of it. */
  day: string;
  field: OfferOrderField;
  descending: boolean;
  limit: number;
  backwards: boolean;
  cursor?: { key: SortKey; id: string };
  hasCursor: boolean;
  /** Set when the result may be reused while the search generation stays (see cache.ts). */
  cacheKey?: string;
  /** The search text's queries (search-text.ts), when there is one. */
  text?: SearchText;
  /**
   * `select o.id from offer o … where <every filter but the search> and <condition>`: the same offers
   * for another search condition (suggestions check that a term finds something under these filters).
   */
  filteredBy(condition: Sql): Sql;
}

export function plan(args: OfferSearchArgs, options: OfferSearchOptions, day = today()): Plan {
  const filter = args.filter ?? {};
  checkPageArgs(args);
  const search = filter.search?.trim();
  const text = search ? searchText(search) : undefined;
  const field = args.orderBy?.field ?? (search ? OfferOrderField.RELEVANCE : OfferOrderField.TITLE);
  if (field === OfferOrderField.RELEVANCE && !search) {
    throw badInput('Ordering by RELEVANCE needs a search text (filter.search).', {
      argument: 'orderBy.field',
    });
  }
  const descending =
    (args.orderBy?.direction ??
      (field === OfferOrderField.RELEVANCE ? OrderDirection.DESC : OrderDirection.ASC)) ===
    OrderDirection.DESC;
  if (filter.startsAfter && filter.startsBefore && filter.startsBefore < filter.startsAfter) {
    throw badInput('filter.startsBefore lies before filter.startsAfter.', {
      argument: 'filter.startsBefore',
    });
  }

  // Offers of a deactivated organisation leave the lists together with it.
  const where: Sql[] = [sql`o.active`, sql`org.active`];
  const joins: Sql[] = [
    sql`join organisation org on org.id = o.organisation_id`,
    sql`join location l on l.id = o.location_id`,
  ];

  // The current period: the one running today, else the next to start (as Offer.currentCapacityPeriod).
  const windowed = filter.startsAfter !== undefined || filter.startsBefore !== undefined;
  // The current period is computed per offer: only joined when a filter or ordering needs it (on 100,000
  // offers it dominates the count otherwise).
  const needsCurrent =
    filter.hasFreePlaces != null ||
    field === OfferOrderField.FREE_PLACES ||
    (field === OfferOrderField.START_DATE && !windowed);
  if (needsCurrent) {
    const columns = raw('cp.total - cp.occupied - cp.reserved as free, cp.starts_on');
    joins.push(lateralChoice(CURRENT_PERIOD, raw('o.id'), columns, 'cur', day));
  }
  if (windowed) {
    joins.push(sql`left join lateral (
       select min(cp.starts_on) as starts_on from capacity_period cp
        where cp.offer_id = o.id and cp.starts_on >= ${filter.startsAfter ?? '-infinity'}::date
          and cp.starts_on <= ${filter.startsBefore ?? 'infinity'}::date) win on true`);
    where.push(sql`win.starts_on is not null`);
  }
  if (filter.eligibleFor) {
    // The rule in force today (latest version valid today) must admit the profile (conditions below).
    // A lateral join rather than an EXISTS in the WHERE: the planner may then apply cheaper filters
    // (districts) first and look up the rule only for the offers left (2.5× faster count on 100,000).
    const columns = raw('er.residence_statuses, er.min_age, er.max_age, er.min_german_level');
    joins.push(lateralChoice(RULE_IN_FORCE, raw('o.id'), columns, 'el', day, 'join'));
  }

  if (args.offerIds)
    where.push(args.offerIds.length ? sql`o.id in (${join(args.offerIds, ', ')})` : sql`false`);
  if (filter.kinds?.length) where.push(sql`o.kind in (${join(filter.kinds, ', ')})`);
  if (filter.organisationIds?.length) {
    const ids = filter.organisationIds.map((id, i) =>
      fromGlobalIdOf('Organisation', id, `filter.organisationIds[${i}]`),
    );
    where.push(sql`o.organisation_id in (${join(ids, ', ')})`);
  }
  if (filter.districts?.length) where.push(sql`l.district in (${join(filter.districts, ', ')})`);
  if (filter.languages?.length) {
    const languages = filter.languages.map((l) => l.toLowerCase());
    where.push(sql`o.languages && array[${join(languages, ', ')}]::text[]`);
  }
  // GER levels compare correctly as text: A0 < A1 < A2 < B1 < B2 < C1 < C2.
  if (filter.maxGermanLevel) where.push(sql`o.required_german_level <= ${filter.maxGermanLevel}`);
  if (filter.hasFreePlaces === true) where.push(sql`coalesce(cur.free, 0) > 0`);
  if (filter.hasFreePlaces === false) where.push(sql`coalesce(cur.free, 0) <= 0`);
  if (filter.eligibleFor) {
    const e = filter.eligibleFor;
    where.push(
      sql`o.required_german_level <= ${e.germanLevel}`,
      sql`${e.residenceStatus} = any(el.residence_statuses)`,
      sql`${e.age} between el.min_age and el.max_age`,
      sql`(el.min_german_level is null or el.min_german_level <= ${e.germanLevel})`,
    );
  }
  const filters = [...where];
  const filteredBy = (condition: Sql) => sql`select o.id from offer o
${join(joins, '\n')}
where ${join([...filters, condition], '\n  and ')}`;
  // The query in a scalar subquery: evaluated once per statement (an InitPlan), not once per row.
  if (text) where.push(sql`o.search_vector @@ (select ${text.loose})`);

  const matches = sql`select o.id, o.organisation_id, ${sortKey(field, windowed, text, options)} as sort_key from offer o
${join(joins, '\n')}
where ${join(where, '\n  and ')}`;

  const backwards = args.last != null || args.before != null;
  const limit = args.last ?? args.first ?? DEFAULT_PAGE_SIZE;
  const rawCursor = args.after ?? args.before;
  // Capacity periods change with every reservation and are not behind the generation: not cached.
  const cacheable = !args.offerIds && filter.hasFreePlaces == null && !windowed;
  return {
    matches,
    day,
    cacheKey: cacheable ? `${matches.sql}\n${JSON.stringify(matches.values)}` : undefined,
    text,
    filteredBy,
    field,
    descending,
    limit,
    backwards,
    hasCursor: rawCursor != null,
    cursor:
      rawCursor != null
        ? readOfferCursor(rawCursor, field, descending, args.after != null ? 'after' : 'before')
        : undefined,
  };
}

/** The ordering's key, never null (coalesce), so keyset comparisons stay simple and total. */
function sortKey(
  field: OfferOrderField,
  windowed: boolean,
  text: SearchText | undefined,
  options: OfferSearchOptions,
): Sql {
  switch (field) {
    case OfferOrderField.TITLE:
      return sql`o.title`;
    case OfferOrderField.FREE_PLACES:
      return options.exactFreePlaces
        ? sql`greatest(coalesce(cur.free, 0), 0)`
        : sql`(case when coalesce(cur.free, 0) <= 0 then 0 when cur.free <= ${FEW_PLACES_MAX} then 1 else 2 end)`;
    case OfferOrderField.START_DATE:
      return sql`to_char(coalesce(${raw(windowed ? 'win.starts_on' : 'cur.starts_on')}, date '9999-12-31'), 'YYYY-MM-DD')`;
    case OfferOrderField.RELEVANCE:
      // Offers found by the exact words (or their synonyms) rank above those found only through compound
      // parts or typo correction: 1 + rank against 0 + rank, each rank scaled into [0, 1) (flag 32).
      return text
        ? sql`(case when o.search_vector @@ (select ${text.exact}) then 1 + ts_rank_cd(o.search_vector, (select ${text.exact}), 32)
            else ts_rank_cd(o.search_vector, (select ${text.loose}), 32) end)::float4`
        : sql`0`;
  }
}
