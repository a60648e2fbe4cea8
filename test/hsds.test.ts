import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/domain/enums.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

let t: TestHub;
let partner: string;

beforeAll(async () => {
  t = await startTestHub('hsds');
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
});

afterAll(async () => {
  await t?.stop();
});

interface HttpAnswer {
  status: number;
  contentType: string | null;
  body: any;
  text: string;
  headers: Headers;
}

async function hsds(
  path: string,
  options: { token?: string; authorization?: string } = {},
): Promise<HttpAnswer> {
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  const response = await fetch(`${t.origin}/hsds${path}`, {
    headers: authorization ? { authorization } : {},
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: JSON.parse(text),
    text,
    headers: response.headers,
  };
}

/** Every offer id in the GraphQL API's default order (TITLE), walking the connection. */
async function allOfferIdsFromGraphQL(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const res: any = await t.gql(
      'query($after: String) { offers(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    expect(res.errors).toBeUndefined();
    ids.push(...res.data.offers.nodes.map((n: { id: string }) => n.id));
    if (!res.data.offers.pageInfo.hasNextPage) return ids;
    after = res.data.offers.pageInfo.endCursor;
  }
}

const expectNoLeak = (answer: HttpAnswer) => {
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.text).not.toMatch(/stacktrace|\bat .*\.[jt]s:\d+|select |insert into/i);
};

describe('GET /hsds/services', () => {
  it('answers an HSDS page whose total_items is the GraphQL totalCount', async () => {
    const gql = await t.gql<{ offers: { totalCount: number } }>('{ offers(first: 1) { totalCount } }');
    const total = gql.data!.offers.totalCount;
    const answer = await hsds('/services');
    expect(answer.status).toBe(200);
    expectNoLeak(answer);
    expect(answer.body).toMatchObject({
      total_items: total,
      total_pages: Math.ceil(total / 50),
      page_number: 1,
      size: 50,
      first_page: true,
      last_page: false,
      empty: false,
    });
    expect(answer.body.contents).toHaveLength(50);
    for (const service of answer.body.contents) {
      expect(service).toMatchObject({
        id: expect.any(String),
        name: expect.any(String),
        status: 'active',
        organization: { id: expect.any(String), name: expect.any(String) },
        eligibility_description: expect.any(String),
        fees_description: expect.any(String),
      });
      expect(service.service_at_locations).toHaveLength(1);
      expect(service.service_at_locations[0].location.location_type).toBe('physical');
      expect(service.service_at_locations[0].location.addresses[0].country).toBe('DE');
      for (const language of service.languages) expect(language.code).toMatch(/^[a-z]{2,3}$/);
    }
  });

  it.each([50, 55, 7, 100])(
    'pages of %i neither overlap nor leave gaps, in the GraphQL order',
    async (perPage) => {
      const expected = await allOfferIdsFromGraphQL();
      const seen: string[] = [];
      const first = await hsds(`/services?per_page=${perPage}`);
      const totalPages = first.body.total_pages as number;
      expect(totalPages).toBe(Math.ceil(expected.length / perPage));
      for (let page = 1; page <= totalPages; page++) {
        const answer = page === 1 ? first : await hsds(`/services?page=${page}&per_page=${perPage}`);
        expect(answer.status).toBe(200);
        expect(answer.body.page_number).toBe(page);
        expect(answer.body.first_page).toBe(page === 1);
        expect(answer.body.last_page).toBe(page === totalPages);
        expect(answer.body.size).toBe(answer.body.contents.length);
        seen.push(...answer.body.contents.map((s: { id: string }) => s.id));
      }
      expect(seen).toEqual(expected);
    },
  );

  it('bounds how deep a page may reach', async () => {
    const answer = await hsds('/services?page=1000&per_page=100');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('BAD_USER_INPUT');
  });

  it('answers an empty last page past the end', async () => {
    const answer = await hsds('/services?page=50&per_page=100');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      page_number: 50,
      size: 0,
      empty: true,
      last_page: true,
      contents: [],
    });
    expect(answer.body.total_items).toBeGreaterThan(0);
  });

  it('filters like the GraphQL offers filter (search, organization_id)', async () => {
    const gql = await t.gql<any>(
      '{ s: offers(first: 1, filter: { search: "Deutsch" }) { totalCount } o: organisations(first: 1) { nodes { id offers(first: 1) { totalCount } } } }',
    );
    const bySearch = await hsds('/services?search=Deutsch');
    expect(bySearch.status).toBe(200);
    expect(bySearch.body.total_items).toBe(gql.data.s.totalCount);
    const org = gql.data.o.nodes[0];
    const byOrg = await hsds(`/services?organization_id=${encodeURIComponent(org.id)}`);
    expect(byOrg.status).toBe(200);
    expect(byOrg.body.total_items).toBe(org.offers.totalCount);
    for (const service of byOrg.body.contents) expect(service.organization.id).toBe(org.id);
  });

  it.each([
    'page=0',
    'page=-1',
    'page=abc',
    'page=1.5',
    'page=1&page=2',
    'per_page=0',
    'per_page=101',
    'per_page=x',
    'search=x&search=y',
    'organization_id=nonsense',
  ])('rejects %s with 400 BAD_USER_INPUT', async (query) => {
    const answer = await hsds(`/services?${query}`);
    expect(answer.status).toBe(400);
    expectNoLeak(answer);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors[0].message).toEqual(expect.any(String));
  });
});

const OFFER_QUERY = `query($id: ID!) { offer(id: $id) {
  id title description costCents languages
  organisation { id name }
  location { id street postalCode city district }
  eligibility { minAge maxAge }
  currentCapacityPeriod { id available total availability }
} }`;

describe('GET /hsds/services/{id}', () => {
  it('maps one offer as GraphQL serves it', async () => {
    const list = await t.gql<any>('{ offers(first: 1) { nodes { id } } }');
    const id = list.data.offers.nodes[0].id;
    const offer = (await t.gql<any>(OFFER_QUERY, { id })).data.offer;
    const answer = await hsds(`/services/${id}`);
    expect(answer.status).toBe(200);
    expectNoLeak(answer);
    const service = answer.body;
    expect(service).toMatchObject({
      id,
      name: offer.title,
      description: offer.description,
      status: 'active',
      organization: { id: offer.organisation.id, name: offer.organisation.name },
      fees_description: offer.costCents === 0 ? 'kostenlos' : expect.stringContaining('€'),
    });
    expect(service.languages.map((l: { code: string }) => l.code)).toEqual(offer.languages);
    const location = service.service_at_locations[0].location;
    expect(location.id).toBe(offer.location.id);
    expect(location.addresses[0]).toMatchObject({
      address_1: offer.location.street,
      postal_code: offer.location.postalCode,
      city: offer.location.city,
      region: offer.location.district,
      country: 'DE',
      address_type: 'physical',
    });
    if (offer.eligibility) {
      expect(service.eligibility_description).toContain(
        `${offer.eligibility.minAge} bis ${offer.eligibility.maxAge} Jahre`,
      );
    }
    // Child ids are stable between exports.
    expect((await hsds(`/services/${id}`)).body.languages).toEqual(service.languages);
  });

  it('gives the public the band only and partners the numbers, as GraphQL does', async () => {
    const res = await t.gql<any>(
      '{ offers(first: 100) { nodes { id currentCapacityPeriod { id available total availability } } } }',
      {},
      { token: partner },
    );
    const withPeriod = res.data.offers.nodes.filter((n: any) => n.currentCapacityPeriod);
    expect(withPeriod.length).toBeGreaterThan(0);
    const bandWords = { NONE: 'keine', FEW: 'wenige', SOME: 'einige' } as const;
    for (const offer of withPeriod.slice(0, 5)) {
      const period = offer.currentCapacityPeriod;
      const publicAnswer = await hsds(`/services/${offer.id}`);
      const [publicCapacity] = publicAnswer.body.capacities;
      expect(publicCapacity.id).toBe(period.id);
      expect(publicCapacity).not.toHaveProperty('available');
      expect(publicCapacity).not.toHaveProperty('maximum');
      expect(publicCapacity.unit.name).toBe('Plätze');
      expect(publicCapacity.description).toContain(
        `Freie Plätze: ${bandWords[period.availability as keyof typeof bandWords]}`,
      );

      const partnerAnswer = await hsds(`/services/${offer.id}`, { token: partner });
      expect(partnerAnswer.headers.get('cache-control')).toContain('no-store');
      expect(partnerAnswer.body.capacities[0]).toMatchObject({
        id: period.id,
        available: period.available,
        maximum: period.total,
      });
    }
    // The same holds in the paginated list.
    const publicPage = await hsds('/services?per_page=100');
    const partnerPage = await hsds('/services?per_page=100', { token: partner });
    const byId = new Map(withPeriod.map((o: any) => [o.id, o.currentCapacityPeriod]));
    for (const service of publicPage.body.contents) {
      for (const capacity of service.capacities) expect(capacity.available).toBeUndefined();
    }
    for (const service of partnerPage.body.contents) {
      const period: any = byId.get(service.id);
      if (period) expect(service.capacities[0].available).toBe(period.available);
    }
  });

  it('answers unknown, malformed and foreign ids with 404 NOT_FOUND', async () => {
    const org = await t.gql<any>('{ organisations(first: 1) { nodes { id } } }');
    for (const id of [
      Buffer.from('Offer:00000000-0000-4000-8000-000000000000').toString('base64url'),
      'nonsense',
      org.data.organisations.nodes[0].id,
    ]) {
      const answer = await hsds(`/services/${encodeURIComponent(id)}`);
      expect(answer.status).toBe(404);
      expectNoLeak(answer);
      expect(answer.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});

describe('sign-in on /hsds', () => {
  it.each(['Bearer not.a.token', 'Basic abc'])(
    'answers %s with 401 UNAUTHENTICATED',
    async (authorization) => {
      for (const path of ['/services', '/services/anything']) {
        const answer = await hsds(path, { authorization });
        expect(answer.status).toBe(401);
        expectNoLeak(answer);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
    },
  );

  it('answers other paths under /hsds with a JSON 404', async () => {
    const answer = await hsds('/organizations');
    expect(answer.status).toBe(404);
    expectNoLeak(answer);
    expect((await hsds('/')).body.version).toBe('3.0');
  });
});
