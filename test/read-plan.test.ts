import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/domain/enums.js';
import { globalIdJsonSql, NODE_TYPES, toGlobalId } from '../src/graphql/global-id.js';
import { availablePlaces, availablePlacesSql } from '../src/modules/capacity/available-places.js';
import { SOURCES } from '../src/modules/read-plan/sources.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { type GraphQLResponse, startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * Read plans (src/modules/read-plan/) answer the queries they cover with one statement per root field;
 * everything else goes to the executor. Here both paths answer the same queries on the same database —
 * one hub with plans, one with READ_PLANS=false — for every kind of viewer, and must agree byte for byte
 * (redactions compared as a set), including errors and what plans do not cover.
 */

const PERIOD = 'id label startsOn endsOn total available occupied reserved version availability __typename';
const ALL_FIELDS = `
  __typename id title kind description languages requiredGermanLevel schedule costCents active version
  internalNote costPerPlaceCents availability
  organisation { __typename id name kind description website isCoordinator }
  location { __typename id name street postalCode city district wheelchairAccessible accessibilityNote active version
             organisation { id name } }
  capacityPeriods { ${PERIOD} }
  currentCapacityPeriod { ${PERIOD} }`;

const DASHBOARD = `query($n: Int!) { offers(first: $n, orderBy: { field: TITLE, direction: ASC }) {
  nodes { id title organisation { name } location { district } capacityPeriods { id startsOn endsOn total available } } } }`;

const CASES: {
  name: string;
  query: string;
  variables?: (f: PartnerFixture) => Record<string, unknown>;
  /** Left to the executor (the plans do not cover it, or it is invalid). */
  executor?: true;
}[] = [
  { name: 'dashboard page of 50', query: DASHBOARD, variables: () => ({ n: 50 }) },
  { name: 'dashboard page of 10', query: DASHBOARD, variables: () => ({ n: 10 }) },
  {
    name: 'every planned field, the fixture’s organisation',
    query: `query($f: OfferFilter) { offers(filter: $f) { __typename totalCount
      pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
      edges { __typename cursor node { ${ALL_FIELDS} } } nodes { ${ALL_FIELDS} } } }`,
    variables: (f) => ({ f: { organisationIds: [f.gid.ownerOrg] } }),
  },
  {
    name: 'every planned field, first page of all',
    query: `{ offers(first: 30) { totalCount edges { cursor node { ${ALL_FIELDS} } } } }`,
  },
  {
    name: 'aliases, fragments, merged selections',
    query: `query { a: offers(first: 5, orderBy: { field: TITLE, direction: DESC }) { nodes { ...O t: title organisation { id } organisation { name } } }
      b: offers(last: 3) { pageInfo { hasPreviousPage startCursor } nodes { ... on Offer { id } ... on Node { id } } } }
      fragment O on Offer { id kind currentCapacityPeriod { total } }`,
  },
  {
    name: 'search ranked, kinds',
    query: `{ offers(first: 20, filter: { search: "Ausbildung", kinds: [AUSBILDUNG, ASSISTED_TRAINING] }) {
      totalCount nodes { id title availability currentCapacityPeriod { available } } } }`,
  },
  {
    name: 'eligibility profile, districts, paging on',
    query: `query($a: String) { offers(first: 7, after: $a, filter: { eligibleFor: { age: 22, residenceStatus: DULDUNG, germanLevel: B1 } }) {
      edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`,
  },
  { name: 'empty page', query: '{ offers(first: 0) { totalCount nodes { id } pageInfo { hasNextPage } } }' },
  // Left to the executor (not planned) and invalid input: the same answers and errors all the same.
  {
    name: 'a field without a source',
    query: '{ offers(first: 3) { nodes { id eligibility { minAge } } } }',
    executor: true,
  },
  {
    name: 'a directive',
    query: 'query($x: Boolean!) { offers(first: 3) { nodes { id title @include(if: $x) } } }',
    variables: () => ({ x: true }),
    executor: true,
  },
  { name: 'page too large', query: '{ offers(first: 500) { nodes { id } } }', executor: true },
  { name: 'bad cursor', query: '{ offers(first: 5, after: "nope") { nodes { id } } }', executor: true },
  {
    name: 'search too long',
    query: `{ offers(filter: { search: "${'a'.repeat(201)}" }) { nodes { id } } }`,
    executor: true,
  },
  {
    name: 'bad age',
    query: '{ offers(filter: { eligibleFor: { age: 7 } }) { nodes { id } } }',
    executor: true,
  },
  {
    name: 'organisations with their offers (the nested page)',
    query: `{ organisations(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
      __typename id name kind description website isCoordinator
      offers(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { id title capacityPeriods { ${PERIOD} } } } } } } }`,
  },
  {
    name: 'organisations filtered, paged, two nested searches',
    query: `{ organisations(first: 5, filter: { kinds: [EDUCATION_PROVIDER, WELFARE] }) { nodes { name
      a: offers(first: 2, orderBy: { field: TITLE, direction: DESC }) { nodes { title internalNote costPerPlaceCents } }
      b: offers(filter: { search: "Kurs" }) { totalCount edges { cursor node { id availability } } } } } }`,
  },
  {
    name: 'the fixture’s organisation with its offers, per-owner fields',
    query: `{ organisations(first: 100) { nodes { id name offers { nodes { ${ALL_FIELDS} } } } } }`,
  },
  {
    name: 'two roots',
    query: '{ offers(first: 2) { nodes { id } } organisations(first: 2) { nodes { name } } }',
  },
  {
    name: 'an organisation’s offers below an offer',
    query: '{ offers(first: 2) { nodes { organisation { offers(first: 1) { nodes { id } } } } } }',
    executor: true,
  },
  {
    name: 'a root not planned beside',
    query: '{ offers(first: 2) { nodes { id } } me { roles } }',
    executor: true,
  },
];

const plannedLogs: string[] = [];
let planned: TestHub;
let executor: TestHub;
let fixture: PartnerFixture;
const viewers: Record<string, string | undefined> = { public: undefined };

beforeAll(async () => {
  planned = await startTestHub('read_plan', { seed: true, logs: plannedLogs });
  executor = await startTestHub('read_plan_exec', {
    database: planned.database,
    env: { READ_PLANS: 'false' },
  });
  fixture = await createPartnerFixture(planned.database.url, 'readplan');
  for (const key of ['ownerStaff', 'ownerEditor', 'otherStaff', 'otherEditor', 'granteeStaff'] as const) {
    viewers[key] = await fixture.token(fixture.accounts[key]);
  }
  viewers.coordinator = (await tokenFor(planned.hub.database.orm, [Role.COORDINATOR])).token;
  viewers.admin = (await tokenFor(planned.hub.database.orm, [Role.ADMIN])).token;
}, 120_000);

afterAll(async () => {
  await executor?.stop();
  await planned?.stop();
});

/** The answer as a client reads it; redactions as a set (their order is the order fields were met). */
function normalised(response: GraphQLResponse): string {
  const redactions = response.extensions?.redactions as { field: string }[] | undefined;
  const extensions = redactions
    ? { ...response.extensions, redactions: [...redactions].sort((a, b) => a.field.localeCompare(b.field)) }
    : response.extensions;
  return JSON.stringify({ ...response, extensions });
}

describe('read plans answer as the executor does', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      for (const [viewer, token] of Object.entries(viewers)) {
        const variables = c.variables?.(fixture) ?? {};
        const [a, b] = await Promise.all([
          planned.gql(c.query, variables, { token }),
          executor.gql(c.query, variables, { token }),
        ]);
        expect(normalised(a), `${c.name} as ${viewer}`).toBe(normalised(b));
      }
      // The request log says which path answered: the comparison above compared the two paths.
      const answeredBy = plannedLogs
        .splice(0)
        .map((line) => JSON.parse(line) as { msg?: string; readPlan?: boolean })
        .filter((line) => line.msg === 'request')
        .map((line) => line.readPlan === true);
      expect(answeredBy.length).toBe(Object.keys(viewers).length);
      expect(new Set(answeredBy)).toEqual(new Set([!c.executor]));
    });
  }

  it('the fixture page shows what the policy decides per owner (sanity of the comparison)', async () => {
    const query = `query($f: OfferFilter) { offers(filter: $f) { nodes { internalNote costPerPlaceCents capacityPeriods { occupied } } } }`;
    const f = { f: { organisationIds: [fixture.gid.ownerOrg] } };
    const own = await planned.gql<{ offers: { nodes: Record<string, unknown>[] } }>(query, f, {
      token: viewers.ownerStaff,
    });
    const other = await planned.gql<{ offers: { nodes: Record<string, unknown>[] } }>(query, f, {
      token: viewers.otherStaff,
    });
    expect(own.data!.offers.nodes[0]!.internalNote).toBeTruthy();
    expect(other.data!.offers.nodes[0]!.internalNote).toBeNull();
    expect((other.extensions!.redactions as { field: string }[]).map((r) => r.field)).toContain(
      'Offer.internalNote',
    );
  });
});

describe('a planned page costs one statement whatever its size', () => {
  it('dashboard pages of 10, 50 and 100 offers: the page in one statement (plus the sign-in check)', async () => {
    const token = viewers.ownerStaff;
    const counts: number[] = [];
    for (const n of [10, 50, 100]) {
      await planned.gql(DASHBOARD, { n }, { token });
      await planned.rememberAccount(token!);
      planned.statements.length = 0;
      const res = await planned.gql<{ offers: { nodes: unknown[] } }>(DASHBOARD, { n }, { token });
      expect(res.data!.offers.nodes.length).toBe(Math.min(n, 122 + 1));
      counts.push(planned.statements.filter((s) => !/rate_limit/.test(s)).length);
    }
    expect(new Set(counts).size).toBe(1);
    // The executor reads the periods in a statement of their own.
    executor.statements.length = 0;
    await executor.gql(DASHBOARD, { n: 50 }, { token });
    expect(counts[0]).toBeLessThan(executor.statements.filter((s) => !/rate_limit/.test(s)).length);
  });
});

describe('objects PostgreSQL writes as JSON text (raw read plans)', () => {
  /** The response body as the client receives it, byte for byte. */
  const text = async (hub: TestHub, query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(hub.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return response.text();
  };
  const FULL = `query($f: OfferFilter) { offers(first: 100, filter: $f) { nodes {
    __typename id title description schedule costCents active version requiredGermanLevel
    organisation { __typename id name description website isCoordinator }
    location { id name street postalCode city district wheelchairAccessible accessibilityNote active version organisation { id name } }
    capacityPeriods { __typename id label startsOn endsOn total available version }
    currentCapacityPeriod { id startsOn endsOn total available } } } }`;

  it('the SQL twins answer as the functions they mirror', async () => {
    const em = planned.hub.database.orm.em.fork();
    const ids = Array.from({ length: 500 }, () => randomUUID());
    for (const type of NODE_TYPES) {
      const rows = await em
        .getConnection()
        .execute<{ id: string; json: string }[]>(
          `select id::text, ${globalIdJsonSql(type, 'id')} as json from unnest(array[?]::uuid[]) as t(id)`,
          [ids],
        );
      for (const row of rows) expect(JSON.parse(row.json), type).toBe(toGlobalId(type, row.id));
    }
    const triples = [
      [10, 3, 2],
      [5, 5, 1],
      [0, 0, 0],
      [3, 7, 0],
      [2, 0, 9],
    ];
    for (const [t, o, r] of triples) {
      const [row] = await em
        .getConnection()
        .execute<{ v: number }[]>(`select ${availablePlacesSql(String(t), String(o), String(r))} as v`);
      expect(row!.v).toBe(availablePlaces({ total: t!, occupied: o!, reserved: r! }));
    }
  });

  it('the columns the plans read may hold null exactly where the entities say (what raw plans rely on)', async () => {
    const em = planned.hub.database.orm.em.fork();
    const columns = await em
      .getConnection()
      .execute<{ table_name: string; column_name: string; is_nullable: string }[]>(
        'select table_name, column_name, is_nullable from information_schema.columns where table_schema = current_schema()',
      );
    const nullableInDb = new Map(
      columns.map((c) => [`${c.table_name}.${c.column_name}`, c.is_nullable === 'YES']),
    );
    let checked = 0;
    for (const source of Object.values(SOURCES)) {
      const meta = em.getMetadata().find(source.entity.name)!;
      for (const prop of Object.values(meta.properties) as {
        fieldNames?: string[];
        nullable?: boolean;
        persist?: boolean;
      }[]) {
        for (const column of prop.fieldNames ?? []) {
          const inDb = nullableInDb.get(`${meta.tableName}.${column}`);
          if (inDb === undefined) continue;
          expect(inDb, `${meta.tableName}.${column}`).toBe(prop.nullable === true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('the offer nodes of a partner’s dashboard are written by PostgreSQL, the public’s are not', async () => {
    planned.statements.length = 0;
    await planned.gql(DASHBOARD, { n: 10 }, { token: viewers.ownerStaff });
    expect(planned.statements.some((s) => s.includes('string_agg('))).toBe(true);
    planned.statements.length = 0;
    await planned.gql(DASHBOARD, { n: 10 });
    // The public's places are redacted: no offer is written whole, nor its organisation (text in an array).
    expect(planned.statements.some((s) => s.includes('string_agg('))).toBe(false);
    expect(planned.statements.some((s) => s.includes(`'{"name":'`))).toBe(false);
  });

  it('answer byte for byte as the executor, also for text JSON must escape', async () => {
    const em = planned.hub.database.orm.em.fork();
    // Quotes, backslashes, line breaks, control characters, non-ASCII, astral plane and U+2028.
    const nasty = 'Kurs "A\\B"\n\tZeile\u0001\u001f ü ß 😀 \u2028 </script> ?';
    await em
      .getConnection()
      .execute(
        'update offer set title = ?, schedule = ? where id = (select id from offer order by id limit 1)',
        [nasty, `${nasty}\r\f\b`],
      );
    await em
      .getConnection()
      .execute(
        'update location set accessibility_note = ? where id = (select id from location order by id limit 1)',
        [nasty],
      );
    for (const [viewer, token] of Object.entries(viewers)) {
      for (const [query, variables] of [
        [DASHBOARD, { n: 100 }],
        [FULL, {}],
        [FULL, { f: { search: 'Kurs' } }],
      ] as const) {
        const [a, b] = await Promise.all([
          text(planned, query, variables, token),
          text(executor, query, variables, token),
        ]);
        expect(a, `as ${viewer}`).toBe(b);
      }
    }
    const both = await text(planned, FULL, {}, viewers.ownerStaff);
    expect(both).toContain(JSON.stringify(nasty));
  });
});
