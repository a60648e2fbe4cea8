import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** Ways people try to get around field rules; each must end in the same redaction. */
let t: TestHub;
let f: PartnerFixture;
let other: string;
let otherCaseManager: string;
let ownerStaff: string;
const SECRET_NOTE = 'nur intern: Dozentin fällt aus';

beforeAll(async () => {
  t = await startTestHub('leaks');
  f = await createPartnerFixture(t.database.url, 'leaks');
  other = await f.token(f.accounts.otherStaff);
  otherCaseManager = await f.token(f.accounts.otherCaseManager);
  ownerStaff = await f.token(f.accounts.ownerStaff);
});

afterAll(async () => {
  await t?.stop();
});

/** Nothing restricted of the owner appears anywhere in the response text. */
const expectNoLeak = (response: unknown) => {
  const text = JSON.stringify(response);
  expect(text).not.toContain(SECRET_NOTE);
  expect(text).not.toContain('123400');
  expect(text).not.toContain(f.ids.case);
  expect(text).not.toContain(f.gid.case);
  expect(text).not.toContain(f.gid.reservation);
  expect(text).not.toMatch(/"(occupied|reserved|waitingList)":\s*\d/);
};

describe('leak probes', () => {
  it('aliases redact the same as plain fields', async () => {
    const res = await t.gql<any>(
      'query($id: ID!) { a: offer(id: $id) { note: internalNote money: costPerPlaceCents } b: offer(id: $id) { internalNote } }',
      { id: f.gid.offer },
      { token: other },
    );
    expect(res.data).toEqual({ a: { note: null, money: null }, b: { internalNote: null } });
    expect(
      (res.extensions!.redactions as { field: string; count: number }[]).map((r) => r.field).sort(),
    ).toEqual(['Offer.costPerPlaceCents', 'Offer.internalNote']);
    expectNoLeak(res);
  });

  it('fragments and inline fragments redact too', async () => {
    const res = await t.gql<any>(
      `query($id: ID!, $p: ID!) {
        offer(id: $id) { ...Secret }
        node(id: $p) { ... on CapacityPeriod { occupied reserved waitingList total } }
      }
      fragment Secret on Offer { internalNote fundingProgramme { name } ... on Offer { costPerPlaceCents } }`,
      { id: f.gid.offer, p: f.gid.period },
      { token: other },
    );
    expect(res.data.offer).toEqual({ internalNote: null, fundingProgramme: null, costPerPlaceCents: null });
    expect(res.data.node).toEqual({ occupied: null, reserved: null, waitingList: null, total: 10 });
    expectNoLeak(res);
  });

  it('deep nesting from the lists never reaches another organisation’s reservations or cases', async () => {
    const deep = `{ offers(first: 100) { nodes { id internalNote organisation { contactPersons { email } }
      capacityPeriods { occupied reserved waitingList reservations { id status case { id stage residenceStatus } } } } } }`;
    for (const token of [other, otherCaseManager, undefined]) {
      const res = await t.gql<any>(deep, {}, { token });
      expect(res.errors).toBeUndefined();
      const fixtureOffer = res.data.offers.nodes.find((o: any) => o.id === f.gid.offer);
      expect(fixtureOffer.internalNote).toBeNull();
      expect(fixtureOffer.capacityPeriods).toEqual([
        {
          occupied: null,
          reserved: null,
          waitingList: null,
          reservations: token === otherCaseManager ? [] : null,
        },
      ]);
      // Other organisations' shared figures may appear (the demo data shares some with the alliance), never cases.
      const text = JSON.stringify(res);
      expect(text).not.toContain(SECRET_NOTE);
      expect(text).not.toContain(f.gid.case);
      expect(text).not.toMatch(/"case":\s*\{/);
    }
    // The other organisation's case manager may list reservations, but only of their own cases: none here.
    const res = await t.gql<any>(
      'query($p: ID!) { node(id: $p) { ... on CapacityPeriod { reservations { id } } } }',
      { p: f.gid.period },
      { token: otherCaseManager },
    );
    expect(res.data.node.reservations).toEqual([]);
  });

  it('node(id) of another organisation’s case or reservation looks exactly like an unknown id', async () => {
    const unknown = Buffer.from('Case:00000000-0000-4000-8000-000000000000').toString('base64url');
    for (const token of [other, ownerStaff, undefined]) {
      const hidden = await t.gql<any>(
        'query($id: ID!) { node(id: $id) { id } }',
        { id: f.gid.case },
        { token },
      );
      const missing = await t.gql<any>(
        'query($id: ID!) { node(id: $id) { id } }',
        { id: unknown },
        { token },
      );
      expect(hidden.data).toEqual({ node: null });
      expect(hidden.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      expect(hidden.errors![0]!.message.replace(f.gid.case, 'ID')).toBe(
        missing.errors![0]!.message.replace(unknown, 'ID'),
      );
    }
    const reservation = await t.gql<any>(
      'query($id: ID!) { node(id: $id) { id } }',
      { id: f.gid.reservation },
      { token: other },
    );
    expect(reservation.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    // The owner's own case manager does get it.
    const own = await t.gql<any>(
      'query($id: ID!) { node(id: $id) { ... on Case { stage } } }',
      { id: f.gid.case },
      { token: await f.token(f.accounts.ownerCaseManager) },
    );
    expect(own.data.node.stage).toBe('LANGUAGE');
  });

  it('shows the public only the availability band, partners the numbers', async () => {
    const query =
      'query($id: ID!) { offer(id: $id) { availability currentCapacityPeriod { availability total available occupied } } }';
    const pub = await t.gql<any>(query, { id: f.gid.offer });
    expect(pub.data.offer).toEqual({
      availability: 'SOME',
      currentCapacityPeriod: { availability: 'SOME', total: null, available: null, occupied: null },
    });
    const partner = await t.gql<any>(query, { id: f.gid.offer }, { token: other });
    expect(partner.data.offer.currentCapacityPeriod).toEqual({
      availability: 'SOME',
      total: 10,
      available: 6,
      occupied: null,
    });
  });

  it('introspection describes the schema but no data, and __typename passes the policy', async () => {
    const res = await t.gql<any>(
      '{ __schema { queryType { name } } __type(name: "Case") { fields { name } } offers(first: 1) { __typename nodes { __typename } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.__type.fields.map((x: any) => x.name)).toContain('residenceStatus');
    expectNoLeak(res);
  });

  it('error messages carry no restricted value or internal id', async () => {
    const probes = [
      t.gql<any>(
        'query($id: ID!, $case: ID!) { offer(id: $id) { internalNote } bad: node(id: $case) { id } }',
        {
          id: f.gid.offer,
          case: f.gid.case,
        },
        { token: other },
      ),
      t.gql<any>('{ cases(first: 1) { totalCount } }', {}, { token: other }),
      t.gql<any>(
        'mutation($id: ID!) { revokeSharing(id: $id) { id } }',
        { id: f.gid.case },
        { token: other },
      ),
    ];
    const responses = await Promise.all(probes);
    expect(responses.map((r) => r.errors![0]!.extensions!.code)).toEqual([
      'NOT_FOUND',
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
    const errorsText = JSON.stringify(responses.map((r) => r.errors));
    expect(errorsText).not.toContain(SECRET_NOTE);
    expect(errorsText).not.toContain(f.ids.case);
    expect(errorsText).not.toContain(f.ids.ownerOrg);
    expect(errorsText).not.toMatch(/select |stack|\.ts:\d/i);
  });

  it('batched requests are refused as a whole, without data', async () => {
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other}` },
      body: JSON.stringify([
        { query: '{ me { roles } }' },
        { query: 'query($id: ID!) { offer(id: $id) { internalNote } }', variables: { id: f.gid.offer } },
      ]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectNoLeak(await response.text());
  });
});
