import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer.js';
import { rowFromColumns, selectColumns } from '../../db/read-rows.js';
import { today } from '../../domain/calendar.js';
import { badInput } from '../../errors.js';
import { FEW_PLACES_MAX } from '../../graphql/enums.js';
import { fromGlobalIdOf, UUID } from '../../graphql/global-id.js';
import { type ConnectionArgs, checkPageArgs, DEFAULT_PAGE_SIZE } from '../../graphql/relay.js';
import { CapacityPeriod } from '../capacity/capacity-period.entity.js';
import { CURRENT_PERIOD } from '../capacity/current-period.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { EligibilityRule, RULE_IN_FORCE } from './eligibility-rule.entity.js';
import { Offer } from './offer.entity.js';
import { type OfferFilter, type OfferOrder, OfferOrderField, OrderDirection } from './offer-filter.types.js';
import { GENERATION_SQL, type Generation, offerSearchCache, RankedList } from './offer-search-cache.js';
import { chosenRowColumns, lateralChoice } from './per-offer-choice.js';

/**
 * The offer search of the partner dashboards: every filter, the sort keys and keyset pagination in one
 * SQL statement (plus one count), so a page costs the same whatever its size. Sort keys are computed in
 * SQL (current period's free places, next start, full-text rank) and carried in the cursor with the id,
 * which breaks ties: paging while data changes never repeats or skips a row with an unchanged key.
 */

export interface OfferSearchArgs extends ConnectionArgs {
  filter?: OfferFilter;
  orderBy?: OfferOrder;
  /** Internal (not in the schema): restrict to these offers, e.g. to test one offer against a filter. */
  offerIds?: string[];
}

export interface OfferPage {
  ids: string[];
  cursors: string[];
  /** A number, or (searchOffers) a promise made when first read: the count runs only when asked for. */
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
}

type SortKey = string | number;

interface Query {
  text: string;
  params: unknown[];
}

interface Plan {
  base: Query;
  /** The search's "today" (current periods, rules in force): one day for every part of it. */
  day: string;
  field: OfferOrderField;
  descending: boolean;
  limit: number;
  backwards: boolean;
  cursor?: { key: SortKey; id: string };
  hasCursor: boolean;
  /** Set when the result may be reused while the search generation stays (see offer-search-cache.ts). */
  cacheKey?: string;
}

const PLACEHOLDER_LIST = (values: readonly unknown[]) => values.map(() => '?').join(', ');

function plan(viewer: Viewer, args: OfferSearchArgs, day = today()): Plan {
  const filter = args.filter ?? {};
  checkPageArgs(args);
  const search = filter.search?.trim();
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

  const params: unknown[] = [];
  // Offers of a deactivated organisation leave the lists together with it.
  const where: string[] = ['o.active', 'org.active'];
  const p = (value: unknown) => {
    params.push(value);
    return '?';
  };

  // The current period: the one running today, else the next to start (as Offer.currentCapacityPeriod).
  const windowed = filter.startsAfter !== undefined || filter.startsBefore !== undefined;
  let select = `select o.id, o.organisation_id,`;
  // The current period is computed per offer: only joined when a filter or ordering needs it (on 100,000
  // offers it dominates the count otherwise).
  const needsCurrent =
    filter.hasFreePlaces != null ||
    field === OfferOrderField.FREE_PLACES ||
    (field === OfferOrderField.START_DATE && !windowed);
  const joins: string[] = [
    'join organisation org on org.id = o.organisation_id',
    'join location l on l.id = o.location_id',
  ];
  // Joins are added before any WHERE parameter is pushed: their parameters come first in the text.
  const joinChoice = (lateral: { join: string; params: string[] }) => {
    lateral.params.forEach(p);
    joins.push(lateral.join);
  };
  if (needsCurrent) {
    const columns = 'cp.total - cp.occupied - cp.reserved as free, cp.starts_on';
    joinChoice(lateralChoice(CURRENT_PERIOD, 'o.id', columns, 'cur', day));
  }

  if (windowed) {
    joins.push(`left join lateral (
       select min(cp.starts_on) as starts_on from capacity_period cp
        where cp.offer_id = o.id and cp.starts_on >= ${p(filter.startsAfter ?? '-infinity')}::date
          and cp.starts_on <= ${p(filter.startsBefore ?? 'infinity')}::date) win on true`);
    where.push('win.starts_on is not null');
  }
  if (filter.eligibleFor) {
    // The rule in force today (latest version valid today) must admit the profile (conditions below).
    // A lateral join rather than an EXISTS in the WHERE: the planner may then apply cheaper filters
    // (districts) first and look up the rule only for the offers left (2.5× faster count on 100,000).
    const columns = 'er.residence_statuses, er.min_age, er.max_age, er.min_german_level';
    joinChoice(lateralChoice(RULE_IN_FORCE, 'o.id', columns, 'el', day, 'join'));
  }
  if (args.offerIds)
    where.push(args.offerIds.length ? `o.id in (${args.offerIds.map(p).join(', ')})` : 'false');
  if (filter.kinds?.length) where.push(`o.kind in (${filter.kinds.map(p).join(', ')})`);
  if (filter.organisationIds?.length) {
    const ids = filter.organisationIds.map((id, i) =>
      fromGlobalIdOf('Organisation', id, `filter.organisationIds[${i}]`),
    );
    where.push(`o.organisation_id in (${ids.map(p).join(', ')})`);
  }
  if (filter.districts?.length) where.push(`l.district in (${filter.districts.map(p).join(', ')})`);
  if (filter.languages?.length) {
    where.push(`o.languages && array[${filter.languages.map((l) => p(l.toLowerCase())).join(', ')}]::text[]`);
  }
  // GER levels compare correctly as text: A0 < A1 < A2 < B1 < B2 < C1 < C2.
  if (filter.maxGermanLevel) where.push(`o.required_german_level <= ${p(filter.maxGermanLevel)}`);
  if (filter.hasFreePlaces === true) where.push('coalesce(cur.free, 0) > 0');
  if (filter.hasFreePlaces === false) where.push('coalesce(cur.free, 0) <= 0');
  if (filter.eligibleFor) {
    const e = filter.eligibleFor;
    where.push(`o.required_german_level <= ${p(e.germanLevel)}`);
    where.push(`${p(e.residenceStatus)} = any(el.residence_statuses)`);
    where.push(`${p(e.age)} between el.min_age and el.max_age`);
    where.push(`(el.min_german_level is null or el.min_german_level <= ${p(e.germanLevel)})`);
  }
  let rank = '';
  if (search) {
    // Bound separately: the rank sits in the select list, before every other placeholder.
    rank = `ts_rank_cd(o.search_vector, websearch_to_tsquery('german', ?))`;
    where.push(`o.search_vector @@ websearch_to_tsquery('german', ${p(search)})`);
  }

  // Sort keys never null (coalesce), so keyset comparisons stay simple and total.
  const freeKey =
    viewer.kind === 'public'
      ? // The public sees bands only: sorting by exact numbers would leak them through the order.
        `(case when coalesce(cur.free, 0) <= 0 then 0 when cur.free <= ${FEW_PLACES_MAX} then 1 else 2 end)`
      : 'greatest(coalesce(cur.free, 0), 0)';
  const sortKey: Record<OfferOrderField, string> = {
    [OfferOrderField.TITLE]: 'o.title',
    [OfferOrderField.FREE_PLACES]: freeKey,
    [OfferOrderField.START_DATE]: `to_char(coalesce(${windowed ? 'win.starts_on' : 'cur.starts_on'}, date '9999-12-31'), 'YYYY-MM-DD')`,
    [OfferOrderField.RELEVANCE]: rank || '0',
  };
  // The rank's bindings come before the WHERE bindings in the final text.
  const rankParams = search ? [search] : [];
  select += ` ${sortKey[field]} as sort_key from offer o`;
  const text = `${select}\n${joins.join('\n')}\nwhere ${where.join('\n  and ')}`;
  const allParams = field === OfferOrderField.RELEVANCE ? [...rankParams, ...params] : params;

  const backwards = args.last != null || args.before != null;
  const limit = args.last ?? args.first ?? DEFAULT_PAGE_SIZE;
  const rawCursor = args.after ?? args.before;
  // Capacity periods change with every reservation and are not behind the generation: not cached.
  const cacheable = !args.offerIds && filter.hasFreePlaces == null && !windowed;
  return {
    base: { text, params: allParams },
    day,
    cacheKey: cacheable ? `${text}\n${JSON.stringify(allParams)}` : undefined,
    field,
    descending,
    limit,
    backwards,
    hasCursor: rawCursor != null,
    cursor:
      rawCursor != null
        ? decodeCursor(rawCursor, field, descending, args.after != null ? 'after' : 'before')
        : undefined,
  };
}

export async function searchOffers(
  em: EntityManager,
  viewer: Viewer,
  args: OfferSearchArgs,
): Promise<OfferPage> {
  const pl = plan(viewer, args);
  if (pl.cacheKey && pl.field === OfferOrderField.RELEVANCE) return rankedPage(em, pl, pl.cacheKey);
  // Walking backwards (last/before) is walking forwards in the opposite order, then reversing.
  const desc = pl.descending !== pl.backwards;
  const cmp = desc ? '<' : '>';
  const params = [...pl.base.params];
  let keyset = '';
  if (pl.cursor) {
    keyset = `where (b.sort_key, b.id) ${cmp} (?, ?)`;
    params.push(pl.cursor.key, pl.cursor.id);
  }
  const dir = desc ? 'desc' : 'asc';
  const order = `order by b.sort_key ${dir}, b.id ${dir}`;
  // The keys first (the plan walks an index where it can), then the page's rows joined to them (see
  // withRows): one statement for what the loaders would otherwise fetch in six.
  const pageSql = withRows(
    em,
    `select b.id, b.sort_key from (${pl.base.text}) b ${keyset} ${order} limit ${pl.limit + 1}`,
    pl.day,
  );
  const pageParams = [...params, ...pageSql.params];
  const cacheKey = pl.cacheKey;
  if (!cacheKey) {
    const rows = await em.getConnection().execute<PageRow[]>(`${pageSql.text} ${order}`, pageParams);
    return lazyCount(attachRows(em, toPage(pl, rows, 0), rows), () => countOf(em, pl).then((c) => c.n));
  }
  // The generation comes with the page (one snapshot): a count cached at it is this page's count.
  const result = await em.getConnection().execute<(PageRow & Generation)[]>(
    `select p.*, g.gen, g.changes from (${GENERATION_SQL}) g left join lateral (${pageSql.text}) p on true
        order by p.sort_key ${dir}, p.id ${dir}`,
    pageParams,
  );
  const generation = result[0]!;
  const cache = offerSearchCache(em);
  cache.observe(generation);
  const rows = result.filter((r): r is typeof r & { id: string } => r.id !== null);
  return lazyCount(attachRows(em, toPage(pl, rows, 0), rows), async () => {
    const cached = cache.count(cacheKey, generation.gen);
    if (cached !== undefined) return cached;
    const counted = await countOf(em, pl);
    cache.setCount(cacheKey, counted.gen, counted.n);
    return counted.n;
  });
}

/**
 * RELEVANCE ranks every match before the first row is known. The ranked list is read once per generation
 * (one statement: ids and ranks as 20 bytes a match, with the generation) and pages and counts are cut
 * from it; while it is current, a page costs one tiny statement (the generation).
 */
async function rankedPage(em: EntityManager, pl: Plan, cacheKey: string): Promise<OfferPage> {
  const cache = offerSearchCache(em);
  let list = cache.rankedList(cacheKey);
  if (list) {
    const [generation] = await em.getConnection().execute<Generation[]>(GENERATION_SQL);
    cache.observe(generation!);
    if (generation!.gen !== list.gen) list = undefined;
  }
  if (!list) {
    const [row] = await em.getConnection().execute<({ ranked: Buffer | null } & Generation)[]>(
      `select g.gen, g.changes, r.ranked from (${GENERATION_SQL}) g cross join (
           select string_agg(uuid_send(b.id) || float4send(b.sort_key), ''::bytea order by b.sort_key desc, b.id desc) as ranked
             from (${pl.base.text}) b) r`,
      pl.base.params,
    );
    cache.observe(row!);
    list = new RankedList(row!.gen, row!.ranked ?? Buffer.alloc(0));
    cache.setRankedList(cacheKey, list);
  }
  const desc = pl.descending !== pl.backwards;
  const rows = list.page(pl.limit + 1, desc, pl.cursor as { key: number; id: string } | undefined);
  const page = toPage(pl, rows, list.length);
  if (page.ids.length === 0) return page;
  const keys = `select unnest(array[${PLACEHOLDER_LIST(page.ids)}]::uuid[]) as id, null::int as sort_key`;
  const sql = withRows(em, keys, pl.day);
  return attachRows(
    em,
    page,
    await em.getConnection().execute<PageRow[]>(sql.text, [...page.ids, ...sql.params]),
  );
}

type PageRow = { id: string; sort_key: SortKey } & Record<string, unknown>;

/**
 * The page's offers with their organisations, locations and current capacity periods, joined to a
 * statement `keys` of (id, sort_key): the columns as read-rows.ts names them, prefixed o/g/l/c.
 */
function withRows(em: EntityManager, keys: string, day: string): { text: string; params: unknown[] } {
  const period = lateralChoice(CURRENT_PERIOD, 'po.id', chosenRowColumns(em, CURRENT_PERIOD, 'c'), 'pc', day);
  const rule = lateralChoice(RULE_IN_FORCE, 'po.id', chosenRowColumns(em, RULE_IN_FORCE, 'e'), 'pe', day);
  return {
    text: `select b.id, b.sort_key, ${selectColumns(em, Offer, 'po', 'o')},
       ${selectColumns(em, Organisation, 'pg', 'g')}, ${selectColumns(em, Location, 'pl', 'l')}, pc.*, pe.*
     from (${keys}) b
     join offer po on po.id = b.id
     join organisation pg on pg.id = po.organisation_id
     join location pl on pl.id = po.location_id
     ${period.join}
     ${rule.join}`,
    params: [...period.params, ...rule.params],
  };
}

/** The page's rows (for the loaders: OfferPage.rows), in the page's order. */
function attachRows(em: EntityManager, page: OfferPage, raw: PageRow[]): OfferPage {
  const byId = new Map(raw.map((r) => [r.id, r]));
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
  const [row] = await em
    .getConnection()
    .execute<{ n: number; gen: string }[]>(
      `select count(*)::int as n, (select g.gen from (${GENERATION_SQL}) g) as gen from (${pl.base.text}) b`,
      pl.base.params,
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
function toPage(pl: Plan, rows: { id: string; sort_key: SortKey }[], totalCount: number): OfferPage {
  const more = rows.length > pl.limit;
  const page = rows.slice(0, pl.limit);
  if (pl.backwards) page.reverse();
  return {
    ids: page.map((r) => r.id),
    cursors: page.map((r) => encodeCursor(pl.field, pl.descending, r.sort_key, r.id)),
    totalCount,
    hasNextPage: pl.backwards ? pl.hasCursor : more,
    hasPreviousPage: pl.backwards ? more : pl.hasCursor,
  };
}

/**
 * The same search for many organisations at once (Organisation.offers): one statement for the rows of
 * every organisation (window function per organisation) and one for their counts.
 */
export async function searchOffersByOrganisation(
  em: EntityManager,
  viewer: Viewer,
  organisationIds: readonly string[],
  args: OfferSearchArgs,
): Promise<Map<string, OfferPage>> {
  const pl = plan(viewer, args);
  const desc = pl.descending !== pl.backwards;
  const dir = desc ? 'desc' : 'asc';
  const scope = `b.organisation_id in (${PLACEHOLDER_LIST(organisationIds)})`;
  const params: unknown[] = [...pl.base.params, ...organisationIds];
  let keyset = '';
  if (pl.cursor) {
    keyset = ` and (b.sort_key, b.id) ${desc ? '<' : '>'} (?, ?)`;
    params.push(pl.cursor.key, pl.cursor.id);
  }
  const rows = await em.getConnection().execute<{ id: string; organisation_id: string; sort_key: SortKey }[]>(
    `select id, organisation_id, sort_key from (
       select b.*, row_number() over (partition by b.organisation_id order by b.sort_key ${dir}, b.id ${dir}) as rn
         from (${pl.base.text}) b where ${scope}${keyset}) x
      where rn <= ${pl.limit + 1}
      order by organisation_id, rn`,
    params,
  );
  const counts = await em
    .getConnection()
    .execute<{ organisation_id: string; n: number }[]>(
      `select b.organisation_id, count(*)::int as n from (${pl.base.text}) b where ${scope} group by b.organisation_id`,
      [...pl.base.params, ...organisationIds],
    );
  const countOf = new Map(counts.map((c) => [c.organisation_id, c.n]));
  const grouped = new Map<string, typeof rows>(organisationIds.map((id) => [id, []]));
  for (const row of rows) grouped.get(row.organisation_id)?.push(row);
  const result = new Map<string, OfferPage>();
  for (const [organisationId, orgRows] of grouped) {
    result.set(organisationId, toPage(pl, orgRows, countOf.get(organisationId) ?? 0));
  }
  return result;
}

function encodeCursor(field: OfferOrderField, descending: boolean, key: SortKey, id: string): string {
  return Buffer.from(JSON.stringify(['offers', field, descending ? 1 : 0, key, id]), 'utf8').toString(
    'base64url',
  );
}

/** A cursor's sort key must have the type its ordering produces (forged cursors are bad input, not 500s). */
function keyFits(field: OfferOrderField, key: unknown): boolean {
  switch (field) {
    case OfferOrderField.TITLE:
      return typeof key === 'string' && key.length <= 300;
    case OfferOrderField.START_DATE:
      return typeof key === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key);
    case OfferOrderField.FREE_PLACES:
      return Number.isSafeInteger(key);
    case OfferOrderField.RELEVANCE:
      return typeof key === 'number' && Number.isFinite(key);
  }
}

function decodeCursor(
  value: string,
  field: OfferOrderField,
  descending: boolean,
  argument: string,
): { key: SortKey; id: string } {
  try {
    const decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 5 &&
      decoded[0] === 'offers' &&
      decoded[1] === field &&
      decoded[2] === (descending ? 1 : 0) &&
      keyFits(field, decoded[3]) &&
      typeof decoded[4] === 'string' &&
      UUID.test(decoded[4])
    ) {
      return { key: decoded[3], id: decoded[4] };
    }
  } catch {
    // falls through to the error below
  }
  throw badInput('The cursor is malformed or belongs to another list or ordering.', { argument });
}
