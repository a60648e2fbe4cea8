import { randomUUID } from 'node:crypto';
import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningHub, startHub } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { createLogger } from '../src/logger.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';

/** Two hub instances on one database, as in production behind a load balancer. */
let a: TestHub;
let b: RunningHub;
let bUrl: string;
let f: PartnerFixture;
let db: pg.Client;
let caseManager: string;
let editor: string;
let otherStaff: string;
const clients: Client[] = [];

beforeAll(async () => {
  a = await startTestHub('subscriptions', {
    seed: false,
    // statisticsUpdated is throttled (5 s by default); these tests watch the bus underneath it.
    env: { SUBSCRIPTIONS_PER_CONNECTION: '3', STATISTICS_UPDATE_INTERVAL_MS: '100' },
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: a.database.url,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    SHUTDOWN_TIMEOUT_MS: '1000',
  });
  b = await startHub(config, createLogger('silent'));
  bUrl = b.url.replace('localhost', '127.0.0.1');
  f = await createPartnerFixture(a.database.url, 'subscriptions');
  db = new pg.Client({ connectionString: a.database.url });
  await db.connect();
  caseManager = await f.token(f.accounts.ownerCaseManager);
  editor = await f.token(f.accounts.ownerEditor);
  otherStaff = await f.token(f.accounts.otherStaff);
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await db?.end();
  await b?.stop();
  await a?.stop();
});

function connect(url: string, token?: string, onClose?: (code: number) => void): Client {
  const client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
  });
  clients.push(client);
  return client;
}

interface Subscription {
  events: any[];
  errors: unknown[];
  ready: Promise<void>;
}

function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription {
  const sub: Subscription = { events: [], errors: [], ready: new Promise((r) => setTimeout(r, 300)) };
  client.subscribe(
    { query, variables },
    { next: (v) => sub.events.push(v), error: (e) => sub.errors.push(e), complete: () => undefined },
  );
  return sub;
}

const until = async (check: () => boolean, ms = 3_000) => {
  const start = Date.now();
  while (!check() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 20));
  return check();
};

async function fullPeriodWithHold(): Promise<{ periodGid: string; reservationGid: string }> {
  const id = randomUUID();
  await db.query(
    `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, current_date - $3::int, current_date + 60, 1)`,
    [id, f.ids.offer, 1 + Math.floor(Math.random() * 100000)],
  );
  const caseId = randomUUID();
  await db.query(
    `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
     values ($1, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE')`,
    [caseId, f.ids.ownerOrg],
  );
  const res = await a.gql<any>(
    'mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }',
    { i: { capacityPeriodId: toGlobalId('CapacityPeriod', id), caseId: toGlobalId('Case', caseId) } },
    { token: caseManager },
  );
  return { periodGid: toGlobalId('CapacityPeriod', id), reservationGid: res.data.reservePlace.id };
}

const releaseOn = async (url: string, reservationId: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caseManager}` },
    body: JSON.stringify({
      query: 'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
      variables: { id: reservationId },
    }),
  });
  return response.json() as Promise<any>;
};

const PLACES = `subscription($f: OfferFilter) { placesAvailable(filter: $f) {
  reason offer { id } capacityPeriod { id available availability waitingList } } }`;

describe('placesAvailable across instances', () => {
  it('delivers a freed place once to subscribers on both instances, resolved with each one’s permissions', async () => {
    const { periodGid, reservationGid } = await fullPeriodWithHold();
    const publicOnA = subscribe(connect(a.graphqlUrl), PLACES, { f: { kinds: ['JOB_LANGUAGE_COURSE'] } });
    const partnerOnB = subscribe(connect(bUrl, otherStaff), PLACES, {
      f: { kinds: ['JOB_LANGUAGE_COURSE'] },
    });
    const ownerOnB = subscribe(connect(bUrl, editor), PLACES);
    const otherKind = subscribe(connect(a.graphqlUrl), PLACES, { f: { kinds: ['AUSBILDUNG'] } });
    await Promise.all([publicOnA.ready, partnerOnB.ready, ownerOnB.ready, otherKind.ready]);

    const started = Date.now();
    expect((await releaseOn(bUrl, reservationGid)).data.releasePlace.status).toBe('RELEASED');
    expect(
      await until(
        () => publicOnA.events.length > 0 && partnerOnB.events.length > 0 && ownerOnB.events.length > 0,
      ),
    ).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 500));
    for (const sub of [publicOnA, partnerOnB, ownerOnB]) {
      expect(sub.errors).toEqual([]);
      expect(sub.events).toHaveLength(1);
      expect(sub.events[0].data.placesAvailable.capacityPeriod.id).toBe(periodGid);
      expect(sub.events[0].data.placesAvailable.offer.id).toBe(f.gid.offer);
    }
    expect(publicOnA.events[0].data.placesAvailable.capacityPeriod).toMatchObject({
      available: null,
      availability: 'FEW',
      waitingList: null,
    });
    expect(partnerOnB.events[0].data.placesAvailable.capacityPeriod).toMatchObject({
      available: 1,
      waitingList: null,
    });
    expect(ownerOnB.events[0].data.placesAvailable.capacityPeriod).toMatchObject({
      available: 1,
      waitingList: 0,
    });
    expect(otherKind.events).toHaveLength(0);
  });

  it('never emits a rolled-back change, and survives a killed listener connection without losing events', async () => {
    const sub = subscribe(
      connect(a.graphqlUrl),
      'subscription { statisticsUpdated { changedAt statistics } }',
    );
    await sub.ready;
    await db.query('begin');
    await db.query(
      `insert into domain_event (type, payload) values ('statistics.changed', '{"statistics": ["rolled-back"]}')`,
    );
    await db.query('rollback');
    await new Promise((r) => setTimeout(r, 600));
    expect(sub.events).toHaveLength(0);

    // Kill every instance's LISTEN connection; commit an event while they are away.
    await db.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'hub-event-listener' and datname = current_database()`,
    );
    await db.query(
      `insert into domain_event (type, payload) values ('statistics.changed', '{"statistics": ["cases"]}')`,
    );
    expect(await until(() => sub.events.length > 0, 5_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(sub.events).toHaveLength(1);
    expect(sub.events[0].data.statisticsUpdated.statistics).toEqual(['cases']);
  });
});

describe('placesAvailable fan-out', () => {
  it('resolves one event once per visibility class, yet each organisation gets what its policy allows', async () => {
    const ownerStaff = await f.token(f.accounts.ownerStaff);
    const { periodGid, reservationGid } = await fullPeriodWithHold();
    // The same document and variables for all: only the viewer tells the results apart.
    const variables = { f: { kinds: ['JOB_LANGUAGE_COURSE'] } };
    const owners = [1, 2].map(() => subscribe(connect(a.graphqlUrl, ownerStaff), PLACES, variables));
    const partners = [1, 2].map(() => subscribe(connect(a.graphqlUrl, otherStaff), PLACES, variables));
    const publics = [1, 2].map(() => subscribe(connect(a.graphqlUrl), PLACES, variables));
    const all = [...owners, ...partners, ...publics];
    await Promise.all(all.map((sub) => sub.ready));

    expect((await releaseOn(a.graphqlUrl, reservationGid)).data.releasePlace.status).toBe('RELEASED');
    expect(await until(() => all.every((sub) => sub.events.length > 0))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    for (const sub of all) {
      expect(sub.errors).toEqual([]);
      expect(sub.events).toHaveLength(1);
      expect(sub.events[0].data.placesAvailable.capacityPeriod.id).toBe(periodGid);
    }
    // The restricted field: the providing organisation sees its waiting list, another one does not …
    for (const sub of owners) {
      expect(sub.events[0].data.placesAvailable.capacityPeriod).toMatchObject({
        available: 1,
        waitingList: 0,
      });
      expect(sub.events[0].extensions?.redactions).toBeUndefined();
    }
    for (const sub of partners) {
      expect(sub.events[0].data.placesAvailable.capacityPeriod).toMatchObject({
        available: 1,
        waitingList: null,
      });
      // … and is told so, in its own result only.
      expect(sub.events[0].extensions.redactions).toEqual([
        expect.objectContaining({ field: 'CapacityPeriod.waitingList' }),
      ]);
    }
    for (const sub of publics) {
      expect(sub.events[0].data.placesAvailable.capacityPeriod).toMatchObject({
        available: null,
        availability: 'FEW',
        waitingList: null,
      });
    }
    // Subscribers of one class got one shared result (equal), the classes different ones.
    expect(owners[1]!.events[0]).toEqual(owners[0]!.events[0]);
    expect(partners[1]!.events[0]).toEqual(partners[0]!.events[0]);
    expect(partners[0]!.events[0]).not.toEqual(owners[0]!.events[0]);
  });
});

describe('placesAvailable for the public', () => {
  it('tells the public when the band rises, partners of every rise', async () => {
    const id = randomUUID();
    await db.query(
      `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, current_date - $3::int, current_date + 60, 10)`,
      [id, f.ids.offer, 100001 + Math.floor(Math.random() * 100000)],
    );
    const publicSub = subscribe(connect(a.graphqlUrl), PLACES);
    const partnerSub = subscribe(connect(a.graphqlUrl, otherStaff), PLACES);
    await Promise.all([publicSub.ready, partnerSub.ready]);
    const raised = await a.gql<any>(
      'mutation($i: SetCapacityTotalInput!) { setCapacityTotal(input: $i) { total } }',
      { i: { capacityPeriodId: toGlobalId('CapacityPeriod', id), total: 11, version: 1 } },
      { token: editor },
    );
    expect(raised.errors).toBeUndefined();
    expect(await until(() => partnerSub.events.length > 0)).toBe(true);
    expect(partnerSub.events[0].data.placesAvailable).toMatchObject({
      reason: 'total_set',
      capacityPeriod: { available: 11 },
    });
    await new Promise((r) => setTimeout(r, 400));
    // 10 → 11 free places stays in the band SOME: nothing for the public.
    expect(publicSub.events).toHaveLength(0);
  });
});

describe('connection security', () => {
  it('lets only the provider and the coordinator follow an offer’s places', async () => {
    const denied = subscribe(
      connect(a.graphqlUrl, otherStaff),
      'subscription($o: ID!) { capacityChanged(offerId: $o) { reason } }',
      {
        o: f.gid.offer,
      },
    );
    const publicDenied = subscribe(
      connect(a.graphqlUrl),
      'subscription($o: ID!) { capacityChanged(offerId: $o) { reason } }',
      { o: f.gid.offer },
    );
    const owner = subscribe(
      connect(a.graphqlUrl, editor),
      'subscription($o: ID!) { capacityChanged(offerId: $o) { reason capacityPeriod { id } } }',
      {
        o: f.gid.offer,
      },
    );
    await Promise.all([denied.ready, publicDenied.ready, owner.ready]);
    // A refused subscription answers with one result carrying the error, then completes.
    expect(JSON.stringify([denied.errors, denied.events])).toContain('FORBIDDEN');
    expect(JSON.stringify([publicDenied.errors, publicDenied.events])).toContain('FORBIDDEN');
    await fullPeriodWithHold();
    expect(await until(() => owner.events.length > 0)).toBe(true);
    expect(owner.events[0].data.capacityChanged.reason).toBe('reserved');
  });

  it('closes the socket when the token expires, and refuses bad tokens', async () => {
    // A token that runs out in about 1–2 s, signed with the test key.
    const { SignJWT } = await import('jose');
    const shortLived = await new SignJWT({ org: f.accounts.otherStaff.org, roles: ['PARTNER_STAFF'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(f.accounts.otherStaff.id)
      .setIssuer('buendnis-hub')
      .setAudience('buendnis-hub')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    let code = 0;
    const client = connect(a.graphqlUrl, shortLived, (c) => (code = c));
    subscribe(client, 'subscription { statisticsUpdated { changedAt } }');
    expect(await until(() => code !== 0, 4_000)).toBe(true);
    expect(code).toBe(4401);

    let badCode = 0;
    connect(a.graphqlUrl, 'not.a.token', (c) => (badCode = c));
    expect(await until(() => badCode !== 0)).toBe(true);
    expect(badCode).toBe(4403);
  });

  it('closes with 4403 when connection_init carries an authorization that is not text', async () => {
    for (const authorization of [42, { token: `Bearer ${editor}` }, [`Bearer ${editor}`], true]) {
      const code = await new Promise<number>((resolve) => {
        const client = createClient({
          url: a.graphqlUrl.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => undefined,
          connectionParams: { authorization },
          on: { closed: (event) => resolve((event as { code: number }).code) },
        });
        clients.push(client);
        // Served as the public, this would answer { me: null } and the socket would stay open.
        client.subscribe(
          { query: '{ me { roles } }' },
          { next: () => undefined, error: () => undefined, complete: () => undefined },
        );
      });
      expect(code, JSON.stringify(authorization)).toBe(4403);
    }
  });

  it('closes the socket within a second or so when the account is deactivated', async () => {
    let code = 0;
    const client = connect(a.graphqlUrl, otherStaff, (c) => (code = c));
    const sub = subscribe(client, 'subscription { statisticsUpdated { changedAt } }');
    await sub.ready;
    await db.query('update account set active = false where id = $1', [f.accounts.otherStaff.id]);
    try {
      expect(await until(() => code !== 0, 2_500)).toBe(true);
      expect(code).toBe(4403);
    } finally {
      await db.query('update account set active = true where id = $1', [f.accounts.otherStaff.id]);
    }
  });

  it('limits open subscriptions per connection', async () => {
    const client = connect(a.graphqlUrl);
    const subs = [1, 2, 3, 4].map(() =>
      subscribe(client, 'subscription { statisticsUpdated { changedAt } }'),
    );
    await Promise.all(subs.map((s) => s.ready));
    expect(subs.filter((s) => JSON.stringify(s.errors).includes('RATE_LIMITED'))).toHaveLength(1);
  });
});
