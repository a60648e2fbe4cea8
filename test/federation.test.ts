import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLSchema, isUnionType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access, policy, type TypeRule } from '../src/auth/policy.js';
import { buildHubSchema } from '../src/schema.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import type { GraphQLResponse } from './helpers/hub.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * The hub as an Apollo Federation 2 subgraph: composed with a partner's subgraph written here (an
 * Ausbildungsbörse that adds `applicationUrl` to the hub's offers and points at organisations), run through
 * @apollo/gateway in this process, with the viewer's token forwarded to the hub. What a viewer sees across
 * the gateway must be exactly what the hub alone shows them.
 */

const SECRET_NOTE = 'nur intern: Dozentin fällt aus';
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

/** The partner's subgraph: its own apprenticeship places, extending the hub's Offer and citing Organisation. */
const BOERSE_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "An Ausbildung place on the chamber's exchange."
  type Apprenticeship @key(fields: "id") {
    id: ID!
    trade: String!
    "The hub's offer for this place (its global id)."
    offer: Offer
    "The training company, as the hub knows it."
    organisation: Organisation
  }

  type Offer @key(fields: "id") {
    id: ID!
    "Where to apply, on the exchange."
    applicationUrl: String
  }

  type Organisation @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Query {
    apprenticeships: [Apprenticeship!]!
  }
`);

interface Place {
  id: string;
  trade: string;
  offerId: string;
  organisationId: string;
}

async function startAusbildungsboerse(places: Place[]) {
  const applicationUrl = (offerId: string) => `https://ausbildung.example/bewerben/${offerId}`;
  const schema = buildSubgraphSchema([
    {
      typeDefs: BOERSE_SDL,
      resolvers: {
        Query: { apprenticeships: () => places },
        Apprenticeship: {
          offer: (place: Place) => ({ id: place.offerId }),
          organisation: (place: Place) => ({ id: place.organisationId }),
        },
        Offer: {
          __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
          applicationUrl: (offer: { id: string }) => applicationUrl(offer.id),
        },
      } as never,
    },
  ]);
  const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  /** The Authorization headers this subgraph received (none: the hub's tokens go to the hub only). */
  const authorizations: (string | undefined)[] = [];
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      authorizations.push(req.headers.authorization);
      return {};
    },
  });
  return { url, server, applicationUrl, authorizations };
}

interface GatewayContext {
  authorization?: string;
  /** What the hub reported in `extensions.redactions` on its fetches for this request. */
  hubRedactions: { field: string }[];
}

let t: TestHub;
let f: PartnerFixture;
let schema: GraphQLSchema;
let boerse: Awaited<ReturnType<typeof startAusbildungsboerse>>;
let gatewayServer: ApolloServer<GatewayContext>;
let gatewayUrl: string;
let supergraphSdl: string;
let tokens: { owner: string; other: string };
const lastRedactions: { field: string }[][] = [];

beforeAll(async () => {
  t = await startTestHub('federation');
  f = await createPartnerFixture(t.database.url, 'federation');
  schema = await buildHubSchema();
  tokens = { owner: await f.token(f.accounts.ownerStaff), other: await f.token(f.accounts.otherStaff) };
  boerse = await startAusbildungsboerse([
    {
      id: 'maler-1',
      trade: 'Maler/in und Lackierer/in',
      offerId: f.gid.offer,
      organisationId: f.gid.ownerOrg,
    },
  ]);

  // The hub's SDL as a gateway reads it (`_service { sdl }`, no token), composed with the partner's.
  const sdl = await t.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
  expect(sdl.errors).toBeUndefined();
  const composition = composeServices([
    { name: 'hub', typeDefs: parse(sdl.data!._service.sdl), url: t.graphqlUrl },
    { name: 'ausbildungsboerse', typeDefs: BOERSE_SDL, url: boerse.url },
  ]);
  expect(composition.errors?.map((e) => e.message)).toBeUndefined();
  supergraphSdl = composition.supergraphSdl!;

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        // The viewer travels: the gateway forwards the client's Authorization header to the hub (only: a
        // hub token is a credential for the hub, not for the partners' services).
        willSendRequest({ request, context }) {
          if (name === 'hub' && context.authorization)
            request.http?.headers.set('authorization', context.authorization);
        },
        didReceiveResponse({ response, context }) {
          const redactions = (response.extensions?.redactions ?? []) as { field: string }[];
          context.hubRedactions?.push(...redactions);
          return response;
        },
      }),
  });
  gatewayServer = new ApolloServer<GatewayContext>({ gateway });
  ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const context: GatewayContext = { authorization: req.headers.authorization, hubRedactions: [] };
      lastRedactions.push(context.hubRedactions);
      return context;
    },
  }));
});

afterAll(async () => {
  await gatewayServer?.stop();
  await boerse?.server.stop();
  await t?.stop();
});

async function viaGateway<T = any>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T> & { hubRedactions: string[] }> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  const hubRedactions = [...new Set(lastRedactions.at(-1)!.map((r) => r.field))].sort();
  return { ...body, hubRedactions };
}

const redactedFields = (res: GraphQLResponse) =>
  [...new Set(((res.extensions?.redactions ?? []) as { field: string }[]).map((r) => r.field))].sort();

const ACROSS = `{
  apprenticeships {
    trade
    organisation { id name contactPersons { email } }
    offer {
      id title applicationUrl internalNote costPerPlaceCents
      currentCapacityPeriod { availability total occupied }
    }
  }
}`;

/** The same offer fields from the hub alone, for comparison. */
const ALONE = `query($offer: ID!, $org: ID!) {
  organisation(id: $org) { id name contactPersons { email } }
  offer(id: $offer) {
    id title internalNote costPerPlaceCents
    currentCapacityPeriod { availability total occupied }
  }
}`;

describe('the hub as a Federation 2 subgraph', () => {
  it('declares Organisation, Location, Offer and CapacityPeriod as entities keyed by id', async () => {
    const entity = schema.getType('_Entity');
    expect(entity && isUnionType(entity) ? entity.getTypes().map((x) => x.name) : []).toEqual([
      'CapacityPeriod',
      'Location',
      'Offer',
      'Organisation',
    ]);
    const { data } = await t.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = data!._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3"');
    for (const type of ['Organisation', 'Location', 'Offer', 'CapacityPeriod']) {
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)`));
    }
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    // Subscriptions stay in the subgraph SDL (served over the hub's own WebSocket, not by the gateway).
    expect(sdl).toContain('type Subscription');
  });

  it('composes with the partner subgraph and queries across both with the partner’s own permissions', async () => {
    expect(supergraphSdl).toContain('join__graph(name: "ausbildungsboerse"');
    const res = await viaGateway(ACROSS, {}, tokens.owner);
    expect(res.errors).toBeUndefined();
    expect(res.data.apprenticeships).toEqual([
      {
        trade: 'Maler/in und Lackierer/in',
        organisation: {
          id: f.gid.ownerOrg,
          name: 'Träger federation',
          contactPersons: [{ email: 'leitung@traeger.example' }],
        },
        offer: {
          id: f.gid.offer,
          title: 'Berufssprachkurs B2 Test',
          applicationUrl: boerse.applicationUrl(f.gid.offer),
          internalNote: SECRET_NOTE,
          costPerPlaceCents: 123400,
          currentCapacityPeriod: { availability: 'SOME', total: 10, occupied: 3 },
        },
      },
    ]);
    expect(res.hubRedactions).toEqual([]);
    expect(boerse.authorizations.length).toBeGreaterThan(0);
    expect(boerse.authorizations.filter(Boolean)).toEqual([]);
  });

  it('redacts another organisation’s restricted fields across the gateway exactly as the hub alone does', async () => {
    const across = await viaGateway(ACROSS, {}, tokens.other);
    const alone = await t.gql<any>(
      ALONE,
      { offer: f.gid.offer, org: f.gid.ownerOrg },
      { token: tokens.other },
    );
    expect(across.errors).toBeUndefined();
    expect(alone.errors).toBeUndefined();
    const { applicationUrl, ...hubFields } = across.data.apprenticeships[0].offer;
    expect(applicationUrl).toBe(boerse.applicationUrl(f.gid.offer));
    expect(hubFields).toEqual(alone.data.offer);
    expect(across.data.apprenticeships[0].organisation).toEqual(alone.data.organisation);
    expect(hubFields).toMatchObject({
      internalNote: null,
      costPerPlaceCents: null,
      currentCapacityPeriod: { availability: 'SOME', total: 10, occupied: null },
    });
    // The hub reported the same redactions to the gateway as to a client asking it directly.
    expect(across.hubRedactions).toEqual(redactedFields(alone));
    expect(across.hubRedactions).toEqual([
      'CapacityPeriod.occupied',
      'Offer.costPerPlaceCents',
      'Offer.internalNote',
    ]);
    expect(JSON.stringify(across)).not.toContain(SECRET_NOTE);
  });

  it('gives the public the public fields only, across the gateway as alone', async () => {
    const across = await viaGateway(ACROSS);
    const alone = await t.gql<any>(ALONE, { offer: f.gid.offer, org: f.gid.ownerOrg });
    expect(across.errors).toBeUndefined();
    const { applicationUrl: _url, ...hubFields } = across.data.apprenticeships[0].offer;
    expect(hubFields).toEqual(alone.data.offer);
    expect(across.data.apprenticeships[0].organisation).toEqual({
      id: f.gid.ownerOrg,
      name: 'Träger federation',
      contactPersons: null,
    });
    expect(hubFields.currentCapacityPeriod).toEqual({ availability: 'SOME', total: null, occupied: null });
    expect(across.hubRedactions).toEqual(redactedFields(alone));
    expect(across.hubRedactions).toContain('Organisation.contactPersons');
    expect(across.hubRedactions).toContain('CapacityPeriod.total');
  });

  it('starts at the hub and fetches the partner’s field for the hub’s offer', async () => {
    const query = 'query($id: ID!) { offer(id: $id) { title applicationUrl internalNote } }';
    const own = await viaGateway(query, { id: f.gid.offer }, tokens.owner);
    expect(own.data.offer).toEqual({
      title: 'Berufssprachkurs B2 Test',
      applicationUrl: boerse.applicationUrl(f.gid.offer),
      internalNote: SECRET_NOTE,
    });
    const other = await viaGateway(query, { id: f.gid.offer }, tokens.other);
    expect(other.data.offer.internalNote).toBeNull();
    // A bad token is refused at the hub, through the gateway too: never answered as the public.
    const bad = await viaGateway(query, { id: f.gid.offer }, `${tokens.other}x`);
    expect(bad.data?.offer ?? null).toBeNull();
    expect(JSON.stringify(bad)).not.toContain('Berufssprachkurs');
  });
});

describe('_entities on the hub', () => {
  const ENTITIES = `query($r: [_Any!]!) {
    _entities(representations: $r) {
      __typename
      ... on Offer { id title internalNote organisation { name } location { name } currentCapacityPeriod { availability } }
      ... on Organisation { id name contactPersons { email } }
      ... on Location { id name }
      ... on CapacityPeriod { id total occupied }
    }
  }`;

  it('resolves references through the policy: same redactions as node(id)', async () => {
    const r = [
      { __typename: 'Offer', id: f.gid.offer },
      { __typename: 'Organisation', id: f.gid.ownerOrg },
      { __typename: 'Location', id: f.gid.location },
      { __typename: 'CapacityPeriod', id: f.gid.period },
    ];
    const other = await t.gql<any>(ENTITIES, { r }, { token: tokens.other });
    expect(other.errors).toBeUndefined();
    expect(other.data._entities).toMatchObject([
      {
        __typename: 'Offer',
        id: f.gid.offer,
        internalNote: null,
        organisation: { name: 'Träger federation' },
      },
      {
        __typename: 'Organisation',
        id: f.gid.ownerOrg,
        contactPersons: [{ email: 'leitung@traeger.example' }],
      },
      { __typename: 'Location', id: f.gid.location, name: 'Haus' },
      { __typename: 'CapacityPeriod', id: f.gid.period, total: 10, occupied: null },
    ]);
    expect(redactedFields(other)).toEqual(['CapacityPeriod.occupied', 'Offer.internalNote']);
    const owner = await t.gql<any>(ENTITIES, { r }, { token: tokens.owner });
    expect(owner.data._entities[0].internalNote).toBe(SECRET_NOTE);
    expect(owner.data._entities[3].occupied).toBe(3);
    const pub = await t.gql<any>(ENTITIES, { r });
    expect(pub.data._entities[1].contactPersons).toBeNull();
    expect(pub.data._entities[3].total).toBeNull();
    expect(JSON.stringify(pub)).not.toContain(SECRET_NOTE);
  });

  it('answers null for unknown, malformed and wrong-type references, without revealing anything', async () => {
    const r = [
      { __typename: 'Offer', id: globalId('Offer', UNKNOWN_UUID) },
      { __typename: 'Offer', id: f.gid.location },
      { __typename: 'Location', id: f.gid.offer },
      { __typename: 'Organisation', id: f.gid.case },
      { __typename: 'Offer', id: 'not-a-global-id' },
      { __typename: 'Offer' },
      { __typename: 'Offer', id: f.gid.offer },
    ];
    for (const token of [undefined, tokens.other, tokens.owner]) {
      const res = await t.gql<any>(ENTITIES, { r }, { token });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities.slice(0, 6)).toEqual([null, null, null, null, null, null]);
      expect(res.data._entities[6].id).toBe(f.gid.offer);
    }
  });

  it('refuses references to other types than the entities, and a case reference tells nothing', async () => {
    const ask = (id: string, token?: string) =>
      t.gql<any>(
        'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        { r: [{ __typename: 'Case', id }] },
        { token },
      );
    const owner = await f.token(f.accounts.ownerCaseManager);
    for (const token of [undefined, tokens.other, owner]) {
      const existing = await ask(f.gid.case, token);
      const unknown = await ask(globalId('Case', UNKNOWN_UUID), token);
      expect(existing.data).toBeNull();
      expect(existing.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT']);
      expect(existing.errors).toEqual(unknown.errors);
      expect(JSON.stringify(existing)).not.toContain(f.ids.case);
    }
  });

  it('hides rows of a row-ruled entity type as null, like node(id) answers NOT_FOUND', async () => {
    // No entity type has a row rule today; give Offer one for this test (the hub runs in this process).
    const offerRule = policy.Offer as TypeRule;
    offerRule.rows = [{ access: Access.OWNER }];
    try {
      const r = [{ __typename: 'Offer', id: f.gid.offer }];
      const other = await t.gql<any>(ENTITIES, { r }, { token: tokens.other });
      expect(other.errors).toBeUndefined();
      expect(other.data._entities).toEqual([null]);
      const node = await t.gql<any>(
        'query($id: ID!) { node(id: $id) { id } }',
        { id: f.gid.offer },
        {
          token: tokens.other,
        },
      );
      expect(node.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      const owner = await t.gql<any>(ENTITIES, { r }, { token: tokens.owner });
      expect(owner.data._entities[0].title).toBe('Berufssprachkurs B2 Test');
    } finally {
      delete offerRule.rows;
    }
  });

  it('runs the same number of SQL statements for 1 and for 20 references', async () => {
    const page = await t.gql<any>(
      '{ offers(first: 20) { nodes { id } } organisations(first: 20) { nodes { id } } }',
    );
    const offers = page.data.offers.nodes.map((n: { id: string }) => n.id);
    const organisations = page.data.organisations.nodes.map((n: { id: string }) => n.id);
    expect(offers).toHaveLength(20);
    expect(organisations).toHaveLength(20);
    const statementsFor = async (n: number) => {
      const r = [
        ...offers.slice(0, n).map((id: string) => ({ __typename: 'Offer', id })),
        ...organisations.slice(0, n).map((id: string) => ({ __typename: 'Organisation', id })),
      ];
      await t.rememberAccount(tokens.other);
      t.statements.length = 0;
      const res = await t.gql<any>(ENTITIES, { r }, { token: tokens.other });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities.filter(Boolean)).toHaveLength(2 * n);
      return t.statements.length;
    };
    const one = await statementsFor(1);
    const twenty = await statementsFor(20);
    console.info(`_entities: ${one} SQL statements for 2 references, ${twenty} for 40`);
    expect(twenty).toBe(one);
    expect(one).toBeLessThanOrEqual(10);
  });

  it('serves _service { sdl } to everyone, like introspection', async () => {
    const res = await t.gql<any>('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    expect(res.data._service.sdl).toContain('type Offer');
    expect(policy.Query!.fields._service!.read).toEqual([{ access: Access.PUBLIC }]);
  });
});
