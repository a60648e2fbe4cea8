import type { EntityManager } from '@mikro-orm/postgresql';
import { rowFromColumns, selectColumns } from '../../db/read-rows.js';
import { empty, executePreparedSql, executeSql, join, raw, type Sql, sql } from '../../db/sql.js';
import { CapacityPeriod } from '../capacity/capacity-period.entity.js';
import { CURRENT_PERIOD } from '../capacity/current-period.js';
import { EligibilityRule, RULE_IN_FORCE } from '../offer/eligibility-rule.entity.js';
import { Offer } from '../offer/offer.entity.js';
import { chosenRowColumns, lateralChoice } from '../offer/per-offer-choice.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { GENERATION_SQL, type Generation, offerSearchCache, RankedList } from './cache.js';
import { offerCursor, type SortKey } from './offer-cursor.js';
import { OfferOrderField } from './offer-filter.types.js';
import { type OfferSearchArgs, type OfferSearchOptions, type Plan, plan } from './plan.js';
import { highlightLoader, type OfferHighlight } from './search-highlights.js';
import { suggestTerms } from './search-suggestions.js';

/**
 * The offer search's statements, around the planner's statement of matches (plan.ts): a page is one
 * statement whatever its size (keys, then the page's rows joined to them), and its count is one more,
 * run only when totalCount is read.
 */

export interface OfferPage {
  ids: string[];
  cursors: string[];
  /** A number known with the page, or a promise made when first read: a count runs only when asked for. */
  totalCount: number | Promise<number>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /**
   * The page's offers with their organisations, locations and current periods, read together with the
   * page (searchOffers): the connection primes the request's loaders with them instead of asking again.
   */
  rows?: {
    offer: Offer;
    organisation: Organisation;
    location: Location;
    currentCapacityPeriod: CapacityPeriod | null;
    /** The eligibility rule in force today. */
    eligibilityRule: EligibilityRule | null;
  }[];
  /**
   * Instead of `rows`, when the caller named the columns it needs (`select`, read plans): each offer's
   * value of that expression (built by PostgreSQL, e.g. one JSON array per offer), by offer id.
   */
  selected?: Map<string, unknown>;
  /** With a search text: why an offer of the page matched (one statement for the page, when first asked). */
  highlights?: (offerId: string) => Promise<OfferHighlight[]>;
  /** With a search text: for an empty first page, known terms that would find something (one statement). */
  suggestions?: () => Promise<string[]>;
}

type PageRow = { id: string; sort_key: SortKey } & Record<string, unknown>;

const GENERATION = raw(GENERATION_SQL);

/**
 * A page of the offer search. `select`: an expression over the page's offer (alias `po`) to read for
 * each offer instead of the rows the loaders are primed with (OfferPage.selected).
 */
export async function searchOffers(
  em: EntityManager,
  args: OfferSearchArgs,
  options: OfferSearchOptions,
  select?: Sql,
): Promise<OfferPage> {
  const pl = plan(args, options);
  return withSearchExtras(em, pl, await pageOf(em, pl, select));
}

/**
 * A page's statement: a read plan's (with `select`) is prepared, as its text is the same for every
 * request of that plan and page size (db/sql.ts, executePreparedSql).
 */
const run = <T extends PageRow[] | (PageRow & Generation)[]>(em: EntityManager, query: Sql, select?: Sql) =>
  select ? executePreparedSql<T>(em, query) : executeSql<T>(em, query);

async function pageOf(em: EntityManager, pl: Plan, select?: Sql): Promise<OfferPage> {
  if (pl.cacheKey && pl.field === OfferOrderField.RELEVANCE) return rankedPage(em, pl, pl.cacheKey, select);
  // Walking backwards (last/before) is walking forwards in the opposite order, then reversing.
  const desc = pl.descending !== pl.backwards;
  const dir = raw(desc ? 'desc' : 'asc');
  const keyset = pl.cursor
    ? sql`where (b.sort_key, b.id) ${raw(desc ? '<' : '>')} (${pl.cursor.key}, ${pl.cursor.id})`
    : empty;
  const order = sql`order by b.sort_key ${dir}, b.id ${dir}`;
  // The keys first (the plan walks an index where it can), then the page's rows joined to them (see
  // withRows): one statement for what the loaders would otherwise fetch in six.
  const page = withRows(
    em,
    sql`select b.id, b.sort_key from (${pl.matches}) b ${keyset} ${order} limit ${pl.limit + 1}`,
    pl.day,
    select,
  );
  const cacheKey = pl.cacheKey;
  if (!cacheKey) {
    const rows = await run<PageRow[]>(em, sql`${page} ${order}`, select);
    return lazyCount(attachRows(em, toPage(pl, rows), rows, select), () => countOf(em, pl).then((c) => c.n));
  }
  // The generation comes with the page (one snapshot): a count cached at it is this page's count.
  const result = await run<(PageRow & Generation)[]>(
    em,
    sql`select p.*, g.gen, g.changes from (${GENERATION}) g left join lateral (${page}) p on true
        order by p.sort_key ${dir}, p.id ${dir}`,
    select,
  );
  const generation = result[0]!;
  const cache = offerSearchCache(em);
  cache.observe(generation);
  const rows = result.filter((r): r is typeof r & { id: string } => r.id !== null);
  return lazyCount(attachRows(em, toPage(pl, rows), rows, select), async () => {
    const cached = cache.count(cacheKey, generation.gen);
    if (cached !== undefined) return cached;
    const counted = await countOf(em, pl);
    cache.setCount(cacheKey, counted.gen, counted.n);
    return counted.n;
  });
}

/** Highlights and suggestions for a search's page, each read only when the client asks for it. */
function withSearchExtras(em: EntityManager, pl: Plan, page: OfferPage, loader = highlightsFor(em, pl)) {
  if (!pl.text || !loader) return page;
  page.highlights = (id) => loader.load(id);
  let suggested: Promise<string[]> | undefined;
  page.suggestions = () =>
    (suggested ??= page.ids.length === 0 && !pl.hasCursor ? suggestTerms(em, pl) : Promise.resolve([]));
  return page;
}

function highlightsFor(em: EntityManager, pl: Plan) {
  return pl.text ? highlightLoader(em, pl.text) : undefined;
}

/**
 * RELEVANCE ranks every match before the first row is known. The ranked list is read once per generation
 * (one statement: ids and ranks as 20 bytes a match, with the generation) and pages and counts are cut
 * from it; while it is current, a page costs one tiny statement (the generation).
 */
async function rankedPage(em: EntityManager, pl: Plan, cacheKey: string, select?: Sql): Promise<OfferPage> {
  const cache = offerSearchCache(em);
  let list = cache.rankedList(cacheKey);
  if (list) {
    const [generation] = await executeSql<Generation[]>(em, GENERATION);
    cache.observe(generation!);
    if (generation!.gen !== list.gen) list = undefined;
  }
  if (!list) {
    const [row] = await executeSql<({ ranked: Buffer | null } & Generation)[]>(
      em,
      sql`select g.gen, g.changes, r.ranked from (${GENERATION}) g cross join (
           select string_agg(uuid_send(b.id) || float4send(b.sort_key), ''::bytea order by b.sort_key desc, b.id desc) as ranked
             from (${pl.matches}) b) r`,
    );
    cache.observe(row!);
    list = new RankedList(row!.gen, row!.ranked ?? Buffer.alloc(0));
    cache.setRankedList(cacheKey, list);
  }
  const desc = pl.descending !== pl.backwards;
  const rows = list.page(pl.limit + 1, desc, pl.cursor as { key: number; id: string } | undefined);
  const page = toPage(pl, rows, list.length);
  if (page.ids.length === 0) return page;
  const keys = sql`select unnest(array[${join(page.ids, ', ')}]::uuid[]) as id, null::int as sort_key`;
  return attachRows(em, page, await run<PageRow[]>(em, withRows(em, keys, pl.day, select), select), select);
}

/**
 * The page's offers with their organisations, locations and current capacity periods, joined to a
 * statement `keys` of (id, sort_key): the columns as read-rows.ts names them, prefixed o/g/l/c/e.
 */
function withRows(em: EntityManager, keys: Sql, day: string, select?: Sql): Sql {
  if (select) {
    return sql`select b.id, b.sort_key, ${select} as selected from (${keys}) b join offer po on po.id = b.id`;
  }
  const period = lateralChoice(
    CURRENT_PERIOD,
    raw('po.id'),
    chosenRowColumns(em, CURRENT_PERIOD, 'c'),
    'pc',
    day,
  );
  const rule = lateralChoice(
    RULE_IN_FORCE,
    raw('po.id'),
    chosenRowColumns(em, RULE_IN_FORCE, 'e'),
    'pe',
    day,
  );
  return sql`select b.id, b.sort_key, ${raw(selectColumns(em, Offer, 'po', 'o'))},
       ${raw(selectColumns(em, Organisation, 'pg', 'g'))}, ${raw(selectColumns(em, Location, 'pl', 'l'))}, pc.*, pe.*
     from (${keys}) b
     join offer po on po.id = b.id
     join organisation pg on pg.id = po.organisation_id
     join location pl on pl.id = po.location_id
     ${period}
     ${rule}`;
}

/** The page's rows (for the loaders: OfferPage.rows), in the page's order. */
function attachRows(em: EntityManager, page: OfferPage, read: PageRow[], select?: Sql): OfferPage {
  if (select) {
    page.selected = new Map(read.map((r) => [r.id, r.selected]));
    return page;
  }
  const byId = new Map(read.map((r) => [r.id, r]));
  page.rows = page.ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [
          {
            offer: rowFromColumns(em, Offer, r, 'o'),
            organisation: rowFromColumns(em, Organisation, r, 'g'),
            location: rowFromColumns(em, Location, r, 'l'),
            currentCapacityPeriod: r.c__id == null ? null : rowFromColumns(em, CapacityPeriod, r, 'c'),
            eligibilityRule: r.e__id == null ? null : rowFromColumns(em, EligibilityRule, r, 'e'),
          },
        ]
      : [];
  });
  return page;
}

/** The count and the generation it was taken at (one statement, one snapshot). */
async function countOf(em: EntityManager, pl: Plan): Promise<{ n: number; gen: string }> {
  const [row] = await executeSql<{ n: number; gen: string }[]>(
    em,
    sql`select count(*)::int as n, (select g.gen from (${GENERATION}) g) as gen from (${pl.matches}) b`,
  );
  return row!;
}

/**
 * The count costs as much as the page again (every matching row): run only when totalCount is read, once
 * per page (a getter: GraphQL reads it only when the client selected the field).
 */
function lazyCount(page: OfferPage, count: () => Promise<number>): OfferPage {
  let counted: Promise<number> | undefined;
  return Object.defineProperty(page, 'totalCount', { get: () => (counted ??= count()), enumerable: true });
}

/** Rows fetched with one extra (limit + 1) → a page in the caller's order, with cursors and page info. */
function toPage(pl: Plan, rows: { id: string; sort_key: SortKey }[], totalCount = 0): OfferPage {
  const more = rows.length > pl.limit;
  const page = rows.slice(0, pl.limit);
  if (pl.backwards) page.reverse();
  let cursors: string[] | undefined;
  return {
    ids: page.map((r) => r.id),
    // Made when first read: a page whose cursors nobody selected encodes none.
    get cursors() {
      cursors ??= page.map((r) => offerCursor(pl.field, pl.descending, r.sort_key, r.id));
      return cursors;
    },
    totalCount,
    hasNextPage: pl.backwards ? pl.hasCursor : more,
    hasPreviousPage: pl.backwards ? more : pl.hasCursor,
  };
}

/**
 * The same search for many organisations at once (Organisation.offers): one statement for the rows of
 * every organisation (window function per organisation), and — only when some page's totalCount is read —
 * one grouped count for all of them.
 */
export async function searchOffersByOrganisation(
  em: EntityManager,
  organisationIds: readonly string[],
  args: OfferSearchArgs,
  options: OfferSearchOptions,
  /** Read along for each offer of the pages (OfferPage.selected), in the same statement. */
  select?: Sql,
): Promise<Map<string, OfferPage>> {
  const pl = plan(args, options);
  const desc = pl.descending !== pl.backwards;
  const dir = raw(desc ? 'desc' : 'asc');
  const scope = sql`b.organisation_id in (${join(organisationIds, ', ')})`;
  const keyset = pl.cursor
    ? sql` and (b.sort_key, b.id) ${raw(desc ? '<' : '>')} (${pl.cursor.key}, ${pl.cursor.id})`
    : empty;
  const ranked = sql`select id, organisation_id, sort_key, rn from (
       select b.*, row_number() over (partition by b.organisation_id order by b.sort_key ${dir}, b.id ${dir}) as rn
         from (${pl.matches}) b where ${scope}${keyset}) x
      where rn <= ${pl.limit + 1}`;
  const rows = await (select ? executePreparedSql : executeSql)<
    { id: string; organisation_id: string; sort_key: SortKey; selected?: unknown }[]
  >(
    em,
    select
      ? // The row past the page only tells that there is a next page: nothing is read along for it.
        sql`select x.id, x.organisation_id, x.sort_key, case when x.rn <= ${pl.limit} then ${select} end as selected
            from (${ranked}) x join offer po on po.id = x.id
           order by x.organisation_id, x.rn`
      : sql`select id, organisation_id, sort_key from (${ranked}) x order by organisation_id, rn`,
  );
  let counts: Promise<Map<string, number>> | undefined;
  const countsOfBatch = () =>
    (counts ??= executeSql<{ organisation_id: string; n: number }[]>(
      em,
      sql`select b.organisation_id, count(*)::int as n from (${pl.matches}) b where ${scope} group by b.organisation_id`,
    ).then((found) => new Map(found.map((c) => [c.organisation_id, c.n]))));
  const grouped = new Map<string, typeof rows>(organisationIds.map((id) => [id, []]));
  // One highlight statement for the offers of every organisation's page; suggestions only for `offers`.
  const highlights = highlightsFor(em, pl);
  for (const row of rows) grouped.get(row.organisation_id)?.push(row);
  const result = new Map<string, OfferPage>();
  const selected = select ? new Map(rows.map((r) => [r.id, r.selected])) : undefined;
  for (const [organisationId, orgRows] of grouped) {
    const page = toPage(pl, orgRows);
    if (selected) page.selected = selected;
    if (highlights) page.highlights = (id) => highlights.load(id);
    result.set(
      organisationId,
      lazyCount(page, () => countsOfBatch().then((n) => n.get(organisationId) ?? 0)),
    );
  }
  return result;
}
