import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/domain/enums.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

let t: TestHub;
let db: pg.Client;
let partner: string;

beforeAll(async () => {
  t = await startTestHub('offers_search');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const ids = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>, token = partner) => {
  const res = await t.gql<any>(
    'query($f: OfferFilter, $o: OfferOrder) { offers(first: 100, filter: $f, orderBy: $o) { totalCount nodes { id } } }',
    { f: filter, o: orderBy },
    { token },
  );
  expect(res.errors).toBeUndefined();
  return {
    total: res.data.offers.totalCount as number,
    ids: res.data.offers.nodes.map((n: any) => n.id) as string[],
  };
};

const sqlIds = async (where: string, params: unknown[] = []) =>
  (
    await db.query(
      `select o.id from offer o join location l on l.id = o.location_id where o.active and ${where}`,
      params,
    )
  ).rows
    .map((r) => toGlobalId('Offer', r.id))
    .sort();

/** Pages through a whole ordering and returns every id in order. */
async function walk(
  orderBy: Record<string, unknown> | undefined,
  filter: Record<string, unknown> = {},
  pageSize = 17,
  token = partner,
) {
  const seen: string[] = [];
  let after: string | null = null;
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const res: any = await t.gql<any>(
      'query($f: OfferFilter, $o: OfferOrder, $a: String, $n: Int) { offers(first: $n, after: $a, filter: $f, orderBy: $o) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
      { f: filter, o: orderBy, a: after, n: pageSize },
      { token },
    );
    expect(res.errors).toBeUndefined();
    total = res.data.offers.totalCount;
    seen.push(...res.data.offers.edges.map((e: any) => e.node.id));
    if (!res.data.offers.pageInfo.hasNextPage) break;
    after = res.data.offers.pageInfo.endCursor;
  }
  return { seen, total };
}

describe('offer filters', () => {
  it('filters by kinds, districts, languages and German level exactly as SQL says', async () => {
    const got = await ids({ kinds: ['AUSBILDUNG', 'EQ'], districts: ['Opladen', 'Wiesdorf', 'Manfort'] });
    expect([...got.ids].sort()).toEqual(
      await sqlIds(`o.kind in ('AUSBILDUNG', 'EQ') and l.district in ('Opladen', 'Wiesdorf', 'Manfort')`),
    );
    const languages = await ids({ languages: ['ar', 'fa'] });
    expect([...languages.ids].sort()).toEqual(await sqlIds(`o.languages && '{ar,fa}'::text[]`));
    expect(languages.total).toBeGreaterThan(0);
    const level = await ids({ maxGermanLevel: 'A2' });
    expect([...level.ids].sort()).toEqual(await sqlIds(`o.required_german_level in ('A0', 'A1', 'A2')`));
  });

  it('filters by organisation (global ids) and rejects ids of other types', async () => {
    const org = (await db.query(`select id from organisation where name like 'Volkshochschule%'`)).rows[0].id;
    const got = await ids({ organisationIds: [toGlobalId('Organisation', org)] });
    expect([...got.ids].sort()).toEqual(await sqlIds('o.organisation_id = $1', [org]));
    const bad = await t.gql<any>('{ offers(filter: { organisationIds: ["nonsense"] }) { totalCount } }');
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('finds offers starting in a window, and only with free places now', async () => {
    const window = await ids({ startsAfter: '2027-08-01', startsBefore: '2027-08-31' });
    expect([...window.ids].sort()).toEqual(
      await sqlIds(
        `exists (select 1 from capacity_period p where p.offer_id = o.id and p.starts_on between '2027-08-01' and '2027-08-31')`,
      ),
    );
    const free = await walk(undefined, { hasFreePlaces: true }, 100);
    const expected = await sqlIds(`(select p.total - p.occupied - p.reserved from capacity_period p
        where p.offer_id = o.id and p.ends_on >= (now() at time zone 'Europe/Berlin')::date order by p.starts_on > (now() at time zone 'Europe/Berlin')::date, p.starts_on, p.id limit 1) > 0`);
    expect([...free.seen].sort()).toEqual(expected);
    const bad = await t.gql<any>(
      '{ offers(filter: { startsAfter: "2027-09-01", startsBefore: "2027-08-01" }) { totalCount } }',
    );
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('matches an eligibility profile against the rule in force, never storing it', async () => {
    const profile = { residenceStatus: 'DULDUNG', age: 26, germanLevel: 'A2' };
    const got = await walk(undefined, { eligibleFor: profile }, 100);
    const expected = await sqlIds(`o.required_german_level <= 'A2' and exists (
      select 1 from (select * from eligibility_rule r where r.offer_id = o.id and r.valid_from <= (now() at time zone 'Europe/Berlin')::date
        and (r.valid_to is null or r.valid_to >= (now() at time zone 'Europe/Berlin')::date) order by r.version desc limit 1) e
      where 'DULDUNG' = any(e.residence_statuses) and 26 between e.min_age and e.max_age
        and (e.min_german_level is null or e.min_german_level <= 'A2'))`);
    expect([...got.seen].sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    const elsewhere = await ids({ eligibleFor: { ...profile, residenceStatus: 'NIEDERLASSUNG', age: 17 } });
    expect(elsewhere.total).toBeLessThan(got.total);
    const bad = await t.gql<any>(
      '{ offers(filter: { eligibleFor: { residenceStatus: DULDUNG, age: 120, germanLevel: A1 } }) { totalCount } }',
    );
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.extensions!.fields).toEqual([
      { field: 'filter.eligibleFor.age', problems: [expect.any(String)] },
    ]);
  });

  it('searches German text with stemming and ranks title matches first', async () => {
    const plural = await ids({ search: 'Ausbildungsplätze' });
    const singular = await ids({ search: 'Ausbildungsplatz' });
    expect(plural.total).toBeGreaterThan(0);
    expect(plural.ids).toEqual(singular.ids);
    const course = await t.gql<any>(
      '{ offers(first: 5, filter: { search: "Integrationskurs" }) { nodes { title } } }',
    );
    expect(course.data.offers.nodes[0].title).toMatch(/integrationskurs/i);
    const nothing = await ids({ search: 'Quantenchromodynamik' });
    expect(nothing.total).toBe(0);
    const relevanceWithoutSearch = await t.gql<any>(
      '{ offers(orderBy: { field: RELEVANCE }) { totalCount } }',
    );
    expect(relevanceWithoutSearch.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('orderings and cursors', () => {
  it.each([
    [{ field: 'TITLE', direction: 'ASC' }],
    [{ field: 'TITLE', direction: 'DESC' }],
    [{ field: 'START_DATE', direction: 'ASC' }],
    [{ field: 'FREE_PLACES', direction: 'DESC' }],
  ])('pages through %j without gaps or duplicates', async (orderBy) => {
    const { seen, total } = await walk(orderBy);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('orders by free places and start date correctly', async () => {
    const res = await t.gql<any>(
      '{ offers(first: 100, orderBy: { field: FREE_PLACES, direction: DESC }) { nodes { currentCapacityPeriod { available } } } }',
      {},
      { token: partner },
    );
    const free = res.data.offers.nodes.map((n: any) => n.currentCapacityPeriod?.available ?? 0);
    expect(free).toEqual([...free].sort((a: number, b: number) => b - a));
    const byStart = await t.gql<any>(
      '{ offers(first: 100, filter: { startsAfter: "2026-01-01" }, orderBy: { field: START_DATE }) { nodes { capacityPeriods { startsOn } } } }',
    );
    const starts = byStart.data.offers.nodes.map(
      (n: any) =>
        n.capacityPeriods
          .map((p: any) => p.startsOn)
          .filter((d: string) => d >= '2026-01-01')
          .sort()[0],
    );
    expect(starts).toEqual([...starts].sort());
  });

  it('orders the public by availability band only, never by exact numbers', async () => {
    const res = await t.gql<any>(
      '{ offers(first: 100, orderBy: { field: FREE_PLACES, direction: DESC }) { nodes { availability } } }',
    );
    const rank = { SOME: 2, FEW: 1, NONE: 0 } as Record<string, number>;
    const bands = res.data.offers.nodes.map((n: any) => rank[n.availability]);
    expect(bands).toEqual([...bands].sort((a: number, b: number) => b - a));
    // Within a band the order is by id, not by the hidden count.
    const cursor = JSON.parse(
      Buffer.from(
        (await t.gql<any>('{ offers(first: 1, orderBy: { field: FREE_PLACES }) { edges { cursor } } }')).data
          .offers.edges[0].cursor,
        'base64url',
      ).toString(),
    );
    expect([0, 1, 2]).toContain(cursor[3]);
  });

  it('pages backwards with last/before to the same items', async () => {
    const forward = await walk({ field: 'START_DATE' }, {}, 100);
    const tenth = await t.gql<any>(
      '{ offers(first: 10, orderBy: { field: START_DATE }) { edges { cursor node { id } } } }',
      {},
      { token: partner },
    );
    const before = tenth.data.offers.edges[9].cursor;
    const back = await t.gql<any>(
      'query($b: String) { offers(last: 4, before: $b, orderBy: { field: START_DATE }) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } }',
      { b: before },
      { token: partner },
    );
    expect(back.data.offers.nodes.map((n: any) => n.id)).toEqual(forward.seen.slice(5, 9));
    expect(back.data.offers.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true });
  });

  it('keeps paging stable while offers are added and removed between pages', async () => {
    const first = await t.gql<any>(
      '{ offers(first: 30) { totalCount edges { cursor node { id title } } } }',
      {},
      { token: partner },
    );
    const cursor = first.data.offers.edges.at(-1).cursor;
    const lastTitle = first.data.offers.edges.at(-1).node.title;
    // An offer sorting before the cursor and one after it appear; one already seen disappears.
    const template = (await db.query('select organisation_id, location_id from offer limit 1')).rows[0];
    await db.query(
      `insert into offer (organisation_id, location_id, kind, title, description) values ($1, $2, 'EQ', 'AAA neu vorne', 'x'), ($1, $2, 'EQ', 'ZZZ neu hinten', 'x')`,
      [template.organisation_id, template.location_id],
    );
    const seenFirst = first.data.offers.edges.map((e: any) => e.node.id);
    const [removed] = seenFirst.slice(0, 1);
    await db.query('update offer set active = false where id = $1', [
      Buffer.from(removed, 'base64url').toString().split(':')[1],
    ]);
    const rest = await t.gql<any>(
      'query($a: String) { offers(first: 100, after: $a) { nodes { id title } } }',
      { a: cursor },
      { token: partner },
    );
    const restIds = rest.data.offers.nodes.map((n: any) => n.id);
    expect(restIds.some((id: string) => seenFirst.includes(id))).toBe(false);
    expect(rest.data.offers.nodes[0].title >= lastTitle).toBe(true);
    expect(rest.data.offers.nodes.map((n: any) => n.title)).toContain('ZZZ neu hinten');
  });

  it('rejects a cursor of another ordering', async () => {
    const byTitle = await t.gql<any>('{ offers(first: 1) { pageInfo { endCursor } } }');
    const res = await t.gql<any>(
      'query($a: String) { offers(after: $a, orderBy: { field: START_DATE }) { totalCount } }',
      {
        a: byTitle.data.offers.pageInfo.endCursor,
      },
    );
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('organisations', () => {
  it('filters by kind and district and nests each organisation’s offers as a connection', async () => {
    const res = await t.gql<any>(
      `{ organisations(first: 50, filter: { kinds: [EDUCATION_PROVIDER, WELFARE], districts: ["Opladen", "Wiesdorf"] }) {
          totalCount nodes { id kind locations { district } offers(first: 3, orderBy: { field: TITLE }) { totalCount nodes { title organisation { id } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const expected = (
      await db.query(`select count(*)::int as n from organisation o where o.kind in ('EDUCATION_PROVIDER', 'WELFARE')
        and exists (select 1 from location l where l.organisation_id = o.id and l.district in ('Opladen', 'Wiesdorf'))`)
    ).rows[0].n;
    expect(res.data.organisations.totalCount).toBe(expected);
    for (const org of res.data.organisations.nodes) {
      expect(['EDUCATION_PROVIDER', 'WELFARE']).toContain(org.kind);
      expect(org.locations.some((l: any) => ['Opladen', 'Wiesdorf'].includes(l.district))).toBe(true);
      expect(org.offers.nodes.length).toBeLessThanOrEqual(3);
      for (const offer of org.offers.nodes) expect(offer.organisation.id).toBe(org.id);
      const own = (
        await db.query('select count(*)::int as n from offer where active and organisation_id = $1', [
          Buffer.from(org.id, 'base64url').toString().split(':')[1],
        ])
      ).rows[0].n;
      expect(org.offers.totalCount).toBe(own);
    }
  });
});

describe('constant query cost', () => {
  const PAGE = `query($n: Int, $f: OfferFilter) { offers(first: $n, filter: $f) { totalCount nodes {
      id title organisation { name contactPersons { email } } location { district }
      currentCapacityPeriod { startsOn total available waitingList } eligibility { residenceStatuses minAge maxAge } } } }`;
  const statementsFor = async (query: string, variables: Record<string, unknown>) => {
    // The coordinator sees waiting lists everywhere, so every page asks for the same fields.
    const coordinator = (await tokenFor(t.hub.database.orm, [Role.COORDINATOR])).token;
    // The account check is remembered after the first request: count only the page's own statements.
    await t.rememberAccount(coordinator);
    t.statements.length = 0;
    const res = await t.gql<any>(query, variables, { token: coordinator });
    expect(res.errors).toBeUndefined();
    return t.statements.length;
  };

  it('runs the same small number of statements for pages of 10 and 100 offers', async () => {
    const small = await statementsFor(PAGE, { n: 10, f: { hasFreePlaces: true } });
    const large = await statementsFor(PAGE, { n: 100, f: { hasFreePlaces: true } });
    console.info(`statements per offers page: ${small} (10 offers), ${large} (100 offers)`);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(11);
  });

  it('runs the same number for 5 and 50 organisations with their nested offers', async () => {
    const query =
      'query($n: Int) { organisations(first: $n) { nodes { name offers(first: 5) { totalCount nodes { title location { district } } } } } }';
    expect(await statementsFor(query, { n: 50 })).toBe(await statementsFor(query, { n: 5 }));
  });

  it('counts nested offers only when totalCount is selected, in one statement for all organisations', async () => {
    const query = (fields: string) =>
      `query($n: Int) { organisations(first: $n) { nodes { name offers(first: 5) { ${fields} nodes { title } } } } }`;
    const counts = () => t.statements.filter((s) => s.includes('group by b.organisation_id')).length;
    await statementsFor(query(''), { n: 50 });
    expect(counts()).toBe(0);
    await statementsFor(query('totalCount'), { n: 50 });
    expect(counts()).toBe(1);
  });
});
