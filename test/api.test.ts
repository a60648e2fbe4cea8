import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/domain/enums.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

let t: TestHub;
let partner: string;

beforeAll(async () => {
  t = await startTestHub('api');
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
});

afterAll(async () => {
  await t?.stop();
});

const OFFER_FIELDS = `id title kind organisation { id name } location { district }
  capacityPeriods { id startsOn endsOn total available availability }`;

type Page = {
  totalCount: number;
  edges: { cursor: string; node: { id: string; title?: string; name?: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    endCursor: string | null;
    startCursor: string | null;
  };
};

describe('read API over HTTP', () => {
  it('lists organisations as a Relay connection and pages through all of them without gaps or duplicates', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const res: { data?: { organisations: Page } | null; errors?: unknown[] } = await t.gql<{
        organisations: Page;
      }>(
        'query($after: String) { organisations(first: 7, after: $after) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }',
        { after },
      );
      expect(res.errors).toBeUndefined();
      const page: Page = res.data!.organisations;
      total = page.totalCount;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(20);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('pages backwards with last/before', async () => {
    const first = await t.gql<{ offers: Page }>('{ offers(first: 10) { edges { cursor node { id } } } }');
    const tenth = first.data!.offers.edges[9]!;
    const back = await t.gql<{ offers: Page }>(
      'query($before: String) { offers(last: 3, before: $before) { edges { node { id } } pageInfo { hasPreviousPage hasNextPage } } }',
      { before: tenth.cursor },
    );
    expect(back.errors).toBeUndefined();
    expect(back.data!.offers.edges.map((e) => e.node.id)).toEqual(
      first.data!.offers.edges.slice(6, 9).map((e) => e.node.id),
    );
    expect(back.data!.offers.pageInfo.hasPreviousPage).toBe(true);
  });

  it('serves offers with organisation, location and capacity periods', async () => {
    const res = await t.gql<{ offers: Page & { edges: { node: Record<string, any> }[] } }>(
      `{ offers(first: 50) { totalCount edges { node { ${OFFER_FIELDS} } } } }`,
      {},
      { token: partner },
    );
    expect(res.errors).toBeUndefined();
    const { totalCount, edges } = res.data!.offers;
    expect(totalCount).toBeGreaterThanOrEqual(100);
    expect(edges).toHaveLength(50);
    for (const { node } of edges) {
      expect(node.title).toEqual(expect.any(String));
      expect(node.organisation.name).toEqual(expect.any(String));
      expect(node.location.district).toEqual(expect.any(String));
      for (const period of node.capacityPeriods) {
        expect(period.startsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(period.endsOn >= period.startsOn).toBe(true);
        expect(period.available).toBeGreaterThanOrEqual(0);
        expect(period.available).toBeLessThanOrEqual(period.total);
        expect(['NONE', 'FEW', 'SOME']).toContain(period.availability);
      }
    }
  });

  it('finds every kind of object by global id through node(id), offer(id) and organisation(id)', async () => {
    const res = await t.gql<{ offers: { nodes: Record<string, any>[] } }>(
      '{ offers(first: 1) { nodes { id title organisation { id name } location { id district } capacityPeriods { id total } } } }',
      {},
      { token: partner },
    );
    expect(res.data!.offers.nodes[0]!.capacityPeriods[0].total).toEqual(expect.any(Number));
    const offer = res.data!.offers.nodes[0]!;
    const byNode = await t.gql<Record<string, any>>(
      `query($o: ID!, $org: ID!, $loc: ID!, $cp: ID!) {
        o: node(id: $o) { __typename id ... on Offer { title } }
        org: node(id: $org) { __typename ... on Organisation { name } }
        loc: node(id: $loc) { __typename ... on Location { district } }
        cp: node(id: $cp) { __typename ... on CapacityPeriod { total offer { id } } }
        offer(id: $o) { title }
        organisation(id: $org) { name }
      }`,
      { o: offer.id, org: offer.organisation.id, loc: offer.location.id, cp: offer.capacityPeriods[0].id },
      { token: partner },
    );
    expect(byNode.errors).toBeUndefined();
    expect(byNode.data).toEqual({
      o: { __typename: 'Offer', id: offer.id, title: offer.title },
      org: { __typename: 'Organisation', name: offer.organisation.name },
      loc: { __typename: 'Location', district: offer.location.district },
      cp: { __typename: 'CapacityPeriod', total: offer.capacityPeriods[0].total, offer: { id: offer.id } },
      offer: { title: offer.title },
      organisation: { name: offer.organisation.name },
    });
  });

  it('runs a constant number of SQL statements whatever the page size', async () => {
    const countFor = async (first: number) => {
      t.statements.length = 0;
      const res = await t.gql(
        `query($first: Int) { offers(first: $first) { totalCount nodes { ${OFFER_FIELDS} } } }`,
        {
          first,
        },
      );
      expect(res.errors).toBeUndefined();
      return t.statements.length;
    };
    const small = await countFor(10);
    const large = await countFor(100);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(6);
  });

  it('answers the graphql-response+json media type', async () => {
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ offers(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/graphql-response\+json/);
  });
});

describe('bad input gets clear errors with a code, never a stack trace or a 500', () => {
  const expectError = (
    res: { errors?: { extensions?: Record<string, unknown>; message: string }[] },
    code: string,
  ) => {
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/stacktrace|\bat .*\.js:\d+|select |insert into/i);
  };

  it('caps first and last', async () => {
    const res = await t.gql('{ offers(first: 101) { totalCount } }');
    expectError(res, 'BAD_USER_INPUT');
    expect(res.errors![0]!.message).toContain('100');
    expect(res.errors![0]!.extensions!.maximum).toBe(100);
    expectError(await t.gql('{ organisations(last: -1) { totalCount } }'), 'BAD_USER_INPUT');
    expectError(await t.gql('{ offers(first: 1, last: 1) { totalCount } }'), 'BAD_USER_INPUT');
  });

  it('rejects malformed and forged cursors', async () => {
    expectError(await t.gql('{ offers(after: "not-a-cursor") { totalCount } }'), 'BAD_USER_INPUT');
    const forged = Buffer.from(JSON.stringify([{}, 5])).toString('base64url');
    expectError(await t.gql(`{ offers(after: "${forged}") { totalCount } }`), 'BAD_USER_INPUT');
    const wrongTypes = Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url');
    expectError(await t.gql(`{ offers(after: "${wrongTypes}") { totalCount } }`), 'BAD_USER_INPUT');
  });

  it('rejects malformed global ids and ids of the wrong type, and reports unknown ids as NOT_FOUND', async () => {
    expectError(await t.gql('{ node(id: "nonsense") { id } }'), 'BAD_USER_INPUT');
    expectError(
      await t.gql(
        `{ offer(id: "${Buffer.from('Offer:1; drop table offer').toString('base64url')}") { id } }`,
      ),
      'BAD_USER_INPUT',
    );
    const org = await t.gql<{ organisations: { nodes: { id: string }[] } }>(
      '{ organisations(first: 1) { nodes { id } } }',
    );
    expectError(
      await t.gql(`{ offer(id: "${org.data!.organisations.nodes[0]!.id}") { id } }`),
      'BAD_USER_INPUT',
    );
    const unknown = Buffer.from('Offer:00000000-0000-4000-8000-000000000000').toString('base64url');
    const res = await t.gql<{ offer: null }>(`{ offer(id: "${unknown}") { id } }`);
    expectError(res, 'NOT_FOUND');
    expect(res.data).toEqual({ offer: null });
    expectError(await t.gql(`{ node(id: "${unknown}") { id } }`), 'NOT_FOUND');
  });

  it('reports invalid GraphQL with parse and validation codes', async () => {
    expectError(await t.gql('{ offers { totalCount '), 'GRAPHQL_PARSE_FAILED');
    expectError(await t.gql('{ offers { noSuchField } }'), 'GRAPHQL_VALIDATION_FAILED');
    expectError(
      await t.gql('query($n: Int) { offers(first: $n) { totalCount } }', { n: 'ten' }),
      'BAD_USER_INPUT',
    );
  });

  it('answers malformed and non-GraphQL HTTP requests with JSON errors', async () => {
    const badJson = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{bad',
    });
    expect(badJson.status).toBe(400);
    const body = await badJson.text();
    expect(JSON.parse(body).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body).not.toMatch(/at .*\.js|SyntaxError/);
    const missing = await fetch(`${t.origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('health, readiness and WebSocket', () => {
  it('reports liveness and readiness', async () => {
    const health = await fetch(`${t.origin}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${t.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('answers GraphQL over the graphql-ws protocol on /graphql', async () => {
    const client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const result = await new Promise<Record<string, any>>((resolve, reject) => {
        let value: Record<string, any> = {};
        client.subscribe(
          { query: '{ organisations(first: 3) { totalCount nodes { name } } }' },
          { next: (v) => (value = v as never), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result.errors).toBeUndefined();
      expect(result.data.organisations.nodes).toHaveLength(3);
    } finally {
      await client.dispose();
    }
  });
});
