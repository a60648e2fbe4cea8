import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import {
  guardedLookup,
  isPrivateAddress,
  validateTargetUrl,
} from '../src/modules/webhooks/webhook-target.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * Signed webhooks end to end: a real receiver (node:http on 127.0.0.1, allowed by
 * WEBHOOK_ALLOW_PRIVATE_TARGETS), two hub instances on one database, the fan-out and the senders as they
 * run in production. A third hub without the setting shows the SSRF guard.
 */

const ENV = { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_SCHEDULE_MS: '300,300,300' };

let a: TestHub;
let b: TestHub;
let f: PartnerFixture;
let db: pg.Client;
let editor: string;
let otherEditor: string;
let staff: string;
let caseManager: string;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** Answers per path: a list of status codes used up in order, the last one repeated. */
const answers = new Map<string, number[]>();
/** Paths whose answer comes this many ms late. */
const slow = new Map<string, number>();
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const queue = answers.get(path) ?? [200];
      const status = queue.length > 1 ? queue.shift()! : queue[0]!;
      setTimeout(() => res.writeHead(status).end(), slow.get(path) ?? 0);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  a = await startTestHub('webhooks', { seed: false, env: ENV });
  b = await startTestHub('webhooks_b', { seed: false, env: ENV, database: a.database });
  f = await createPartnerFixture(a.database.url, 'webhooks');
  db = new pg.Client({ connectionString: a.database.url });
  await db.connect();
  editor = await f.token(f.accounts.ownerEditor);
  otherEditor = await f.token(f.accounts.otherEditor);
  staff = await f.token(f.accounts.ownerStaff);
  caseManager = await f.token(f.accounts.ownerCaseManager);
});

afterAll(async () => {
  await db?.end().catch(() => undefined);
  await b?.stop().catch(() => undefined);
  await a?.stop().catch(() => undefined);
  await new Promise((resolve) => receiver?.close(resolve));
});

const CREATE = `mutation($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret endpoint { id url events paused } } }`;
const LIST = `{ webhookEndpoints { id url events paused
  deliveries { id event status attempts lastStatusCode lastError nextAttemptAt deliveredAt } } }`;

async function createEndpoint(path: string, events = ['PLACES_CHANGED'], token = editor) {
  const res = await a.gql<any>(CREATE, { i: { url: `${receiverUrl}${path}`, events } }, { token });
  expect(res.errors).toBeUndefined();
  return res.data.createWebhookEndpoint as { secret: string; endpoint: { id: string } };
}

async function deleteEndpoint(id: string) {
  const res = await a.gql<any>(
    'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
    { id },
    { token: editor },
  );
  expect(res.errors).toBeUndefined();
}

/** Both instances have handed on every committed event (the fan-out's claims are done). */
async function fannedOut() {
  await Promise.all([a.hub.fanOut.drain(), b.hub.fanOut.drain()]);
}

const until = async (check: () => boolean, ms = 8_000) => {
  const start = Date.now();
  while (!check() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 25));
  return check();
};

const at = (path: string) => received.filter((r) => r.path === path);

async function newCase(): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
     values ($1, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE')`,
    [id, f.ids.ownerOrg],
  );
  return toGlobalId('Case', id);
}

async function reserve(): Promise<string> {
  const res = await a.gql<any>(
    'mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }',
    { i: { capacityPeriodId: f.gid.period, caseId: await newCase() } },
    { token: caseManager },
  );
  expect(res.errors).toBeUndefined();
  return res.data.reservePlace.id;
}

async function release(reservationId: string, hub = a) {
  const res = await hub.gql<any>(
    'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
    { id: reservationId },
    { token: caseManager },
  );
  expect(res.errors).toBeUndefined();
}

describe('a freed place', () => {
  it('reaches the endpoint once, signed, with what the organisation’s members may read — two instances running', async () => {
    await fannedOut();
    const other = await createEndpoint('/freed', ['PLACES_CHANGED'], otherEditor);
    await release(f.gid.reservation);
    expect(await until(() => at('/freed').length === 1)).toBe(true);
    // Both instances claim and send; a second request would come within this wait.
    await fannedOut();
    await Promise.all([a.hub.webhooks.idle(), b.hub.webhooks.idle()]);
    await new Promise((r) => setTimeout(r, 1_500));
    const [delivery] = at('/freed');
    expect(at('/freed')).toHaveLength(1);

    const verified = new Webhook(other.secret).verify(
      delivery!.body,
      delivery!.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({
      type: 'places.changed',
      data: {
        reason: 'released',
        capacityPeriod: {
          id: f.gid.period,
          total: 10,
          available: 7,
          offer: { id: f.gid.offer, title: 'Berufssprachkurs B2 Test' },
        },
      },
    });
    // Another partner's payload: neither occupied/reserved nor internal notes were asked or sent.
    expect(delivery!.body).not.toMatch(/occupied|reserved"|intern/);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        delivery!.body,
        delivery!.headers as Record<string, string>,
      ),
    ).toThrow();

    const list = await a.gql<any>(LIST, {}, { token: otherEditor });
    const [endpoint] = list.data.webhookEndpoints;
    expect(endpoint.deliveries).toEqual([
      {
        id: delivery!.headers['webhook-id'],
        event: 'PLACES_CHANGED',
        status: 'DELIVERED',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: expect.any(String),
      },
    ]);
    const rows = await db.query('select count(*)::int as n from webhook_delivery where endpoint_id = $1', [
      Buffer.from(other.endpoint.id, 'base64url').toString().split(':')[1],
    ]);
    expect(rows.rows[0].n).toBe(1);
    await a.gql(
      'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
      { id: other.endpoint.id },
      { token: otherEditor },
    );
  });

  it('is delivered later with the same webhook-id and body when the receiver answers 500 twice', async () => {
    const reservation = await reserve();
    await fannedOut();
    answers.set('/flaky', [500, 500, 200]);
    const endpoint = await createEndpoint('/flaky');
    await release(reservation, b);
    expect(await until(() => at('/flaky').length === 3)).toBe(true);
    const attempts = at('/flaky');
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    for (const attempt of attempts) {
      new Webhook(endpoint.secret).verify(attempt.body, attempt.headers as Record<string, string>);
    }
    await Promise.all([a.hub.webhooks.idle(), b.hub.webhooks.idle()]);
    const list = await a.gql<any>(LIST, {}, { token: editor });
    const [delivery] = list.data.webhookEndpoints.find((e: any) => e.id === endpoint.endpoint.id).deliveries;
    expect(delivery).toMatchObject({
      status: 'DELIVERED',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
    await deleteEndpoint(endpoint.endpoint.id);
  });

  it('is given up as FAILED after the retry schedule, the last answer kept', async () => {
    const reservation = await reserve();
    await fannedOut();
    answers.set('/down', [503]);
    const endpoint = await createEndpoint('/down');
    await release(reservation);
    // One attempt and three retries (WEBHOOK_RETRY_SCHEDULE_MS has three waits).
    expect(await until(() => at('/down').length === 4)).toBe(true);
    await new Promise((r) => setTimeout(r, 800));
    await Promise.all([a.hub.webhooks.idle(), b.hub.webhooks.idle()]);
    expect(at('/down')).toHaveLength(4);
    const list = await a.gql<any>(LIST, {}, { token: editor });
    const [delivery] = list.data.webhookEndpoints.find((e: any) => e.id === endpoint.endpoint.id).deliveries;
    expect(delivery).toMatchObject({
      status: 'FAILED',
      attempts: 4,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      nextAttemptAt: null,
    });
    await deleteEndpoint(endpoint.endpoint.id);
  });

  it('never holds up requests while a receiver is slow to answer', async () => {
    const reservation = await reserve();
    await fannedOut();
    slow.set('/slow', 2_500);
    const endpoint = await createEndpoint('/slow');
    await release(reservation);
    expect(await until(() => at('/slow').length === 1)).toBe(true);
    // The receiver sits on the request; the hub answers meanwhile as always.
    const started = Date.now();
    const list = await a.gql<any>(LIST, {}, { token: editor });
    expect(Date.now() - started).toBeLessThan(1_000);
    const pending = list.data.webhookEndpoints.find((e: any) => e.id === endpoint.endpoint.id).deliveries[0];
    expect(pending).toMatchObject({ status: 'PENDING', attempts: 0 });
    await until(() => false, 3_000);
    await Promise.all([a.hub.webhooks.idle(), b.hub.webhooks.idle()]);
    const after = await a.gql<any>(LIST, {}, { token: editor });
    expect(
      after.data.webhookEndpoints.find((e: any) => e.id === endpoint.endpoint.id).deliveries[0],
    ).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    expect(at('/slow')).toHaveLength(1);
    await deleteEndpoint(endpoint.endpoint.id);
  });

  it('is resent with the same webhook-id when a sender crashed mid-delivery (lease ran out)', async () => {
    const endpoint = await createEndpoint('/crash');
    const endpointId = Buffer.from(endpoint.endpoint.id, 'base64url').toString().split(':')[1];
    // As a crashed sender leaves it: leased, body stored, never answered.
    const body = JSON.stringify({ type: 'places.changed', timestamp: new Date().toISOString(), data: {} });
    const { rows } = await db.query<{ id: string }>(
      `insert into webhook_delivery (endpoint_id, organisation_id, event_id, event_type, event_payload, event_at, body, locked_until)
       values ($1, $2, 0, 'places.changed', '{}', now(), $3, now() - interval '1 second') returning id`,
      [endpointId, f.ids.ownerOrg, body],
    );
    a.hub.webhooks.wake();
    expect(await until(() => at('/crash').length === 1)).toBe(true);
    expect(at('/crash')[0]!.headers['webhook-id']).toBe(`msg_${rows[0]!.id.replaceAll('-', '')}`);
    expect(at('/crash')[0]!.body).toBe(body);
    await deleteEndpoint(endpoint.endpoint.id);
  });

  it('is not sent while the organisation is deactivated (its accounts cannot sign in either)', async () => {
    const endpoint = await createEndpoint('/deactivated');
    const endpointId = Buffer.from(endpoint.endpoint.id, 'base64url').toString().split(':')[1];
    const body = JSON.stringify({ type: 'places.changed', timestamp: new Date().toISOString(), data: {} });
    await db.query('update organisation set active = false where id = $1', [f.ids.ownerOrg]);
    try {
      await db.query(
        `insert into webhook_delivery (endpoint_id, organisation_id, event_id, event_type, event_payload, event_at, body)
         values ($1, $2, 0, 'places.changed', '{}', now(), $3)`,
        [endpointId, f.ids.ownerOrg, body],
      );
      a.hub.webhooks.wake();
      b.hub.webhooks.wake();
      expect(await until(() => at('/deactivated').length > 0, 1_500)).toBe(false);
    } finally {
      await db.query('update organisation set active = true where id = $1', [f.ids.ownerOrg]);
    }
    // Active again: what waited is sent.
    a.hub.webhooks.wake();
    expect(await until(() => at('/deactivated').length === 1)).toBe(true);
    await deleteEndpoint(endpoint.endpoint.id);
  });
});

describe('offer changes', () => {
  it('reach OFFER_CHANGED endpoints with the offer as the receiving organisation reads it', async () => {
    await fannedOut();
    const endpoint = await createEndpoint('/offers', ['OFFER_CHANGED'], otherEditor);
    const version = (await db.query('select version from offer where id = $1', [f.ids.offer])).rows[0]
      .version;
    const res = await a.gql<any>(
      'mutation($i: UpdateOfferInput!) { updateOffer(input: $i) { id } }',
      { i: { id: f.gid.offer, version, title: 'Berufssprachkurs B2 Neu' } },
      { token: editor },
    );
    expect(res.errors).toBeUndefined();
    expect(await until(() => at('/offers').length === 1)).toBe(true);
    const payload = new Webhook(endpoint.secret).verify(
      at('/offers')[0]!.body,
      at('/offers')[0]!.headers as any,
    );
    expect(payload).toMatchObject({
      type: 'offer.changed',
      data: { change: 'updated', offer: { id: f.gid.offer, title: 'Berufssprachkurs B2 Neu' } },
    });
    expect(at('/offers')[0]!.body).not.toMatch(/intern/);
    await a.gql(
      'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
      { id: endpoint.endpoint.id },
      { token: otherEditor },
    );
  });
});

describe('statistics releases', () => {
  it('reach STATISTICS_UPDATED endpoints once per release, not once per changed case', async () => {
    await fannedOut();
    const endpoint = await createEndpoint('/statistics', ['STATISTICS_UPDATED']);
    const year = new Date().getUTCFullYear();
    const ask = () =>
      a.gql<any>(
        `{ caseStatistics(measure: CASES, period: { year: ${year} }) { asOf } }`,
        {},
        { token: staff },
      );
    const first = await ask();
    expect(first.errors).toBeUndefined();
    await ask();
    await fannedOut();
    expect(await until(() => at('/statistics').length === 1)).toBe(true);
    const payload = new Webhook(endpoint.secret).verify(
      at('/statistics')[0]!.body,
      at('/statistics')[0]!.headers as Record<string, string>,
    );
    expect(payload).toMatchObject({
      type: 'statistics.updated',
      data: { year, asOf: first.data.caseStatistics.asOf, final: false },
    });
    // A changed case alone cuts no release (and sends nothing).
    await newCase();
    await fannedOut();
    await new Promise((r) => setTimeout(r, 500));
    expect(at('/statistics')).toHaveLength(1);
    await deleteEndpoint(endpoint.endpoint.id);
  });
});

describe('settings', () => {
  it('validate WEBHOOK_RETRY_SCHEDULE_MS and default to ≈ 27.6 hours of retries', () => {
    const schedule = loadConfig({}).webhooks.retryScheduleMs;
    expect(schedule).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(schedule.reduce((x, y) => x + y, 0) / 3_600_000).toBeCloseTo(27.6, 1);
    for (const wrong of ['', 'a', '5s', '1,,2', '-1', '0']) {
      if (wrong === '') continue;
      expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: wrong }), wrong).toThrow(
        /WEBHOOK_RETRY_SCHEDULE_MS/,
      );
    }
    expect(loadConfig({}).webhooks.allowPrivateTargets).toBe(false);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_TARGETS/,
    );
  });

  it('take only https URLs where https is required (production)', () => {
    const rules = { allowPrivateTargets: false, httpsOnly: true };
    expect(() => validateTargetUrl('http://example.org/hook', rules)).toThrow(/url: must use https/);
    expect(validateTargetUrl('https://example.org/hook', rules)).toBe('https://example.org/hook');
  });
});

describe('delivery history', () => {
  it('is pruned after 30 days, never while a delivery is still pending', async () => {
    const endpoint = await createEndpoint('/history');
    const endpointId = Buffer.from(endpoint.endpoint.id, 'base64url').toString().split(':')[1];
    await db.query(
      `insert into webhook_delivery (endpoint_id, organisation_id, event_id, event_type, event_payload, event_at, status, created_at, next_attempt_at)
       values ($1, $2, -1, 'places.changed', '{}', now(), 'DELIVERED', now() - interval '31 days', now()),
              ($1, $2, -2, 'places.changed', '{}', now(), 'DELIVERED', now() - interval '29 days', now()),
              ($1, $2, -3, 'places.changed', '{}', now(), 'PENDING', now() - interval '31 days', now() + interval '1 day')`,
      [endpointId, f.ids.ownerOrg],
    );
    expect(await a.hub.webhooks.prune()).toBe(1);
    const { rows } = await db.query(
      'select event_id from webhook_delivery where endpoint_id = $1 order by event_id',
      [endpointId],
    );
    expect(rows.map((r) => Number(r.event_id))).toEqual([-3, -2]);
    await deleteEndpoint(endpoint.endpoint.id);
  });
});

describe('managing endpoints', () => {
  it('generates a whsec_ secret of 32 bytes when none is given, and shows it only in the create payload', async () => {
    const endpoint = await createEndpoint('/secret');
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(32);
    const list = await a.gql<any>('{ webhookEndpoints { id secret } }', {}, { token: editor });
    expect(list.errors?.[0]?.message).toMatch(/secret/);
    await deleteEndpoint(endpoint.endpoint.id);
  });

  it('keeps endpoints to their organisation’s editors: foreign ids answer like unknown ones', async () => {
    const endpoint = await createEndpoint('/mine');
    const other = await a.gql<any>(LIST, {}, { token: otherEditor });
    expect(other.data.webhookEndpoints.map((e: any) => e.id)).not.toContain(endpoint.endpoint.id);

    const unknownId = Buffer.from(`WebhookEndpoint:${randomUUID()}`).toString('base64url');
    const attempt = async (id: string) => {
      const del = await a.gql<any>(
        'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
        { id },
        { token: otherEditor },
      );
      const upd = await a.gql<any>(
        'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id } }',
        { i: { id, paused: true } },
        { token: otherEditor },
      );
      return [del, upd].map((r) => ({
        code: r.errors?.[0]?.extensions?.code,
        message: r.errors?.[0]?.message.replace(id, '<id>'),
      }));
    };
    const foreign = await attempt(endpoint.endpoint.id);
    expect(foreign[0]!.code).toBe('NOT_FOUND');
    expect(foreign).toEqual(await attempt(unknownId));

    // Staff of the organisation itself may not manage them at all.
    const asStaff = await a.gql<any>(LIST, {}, { token: staff });
    expect(asStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stillThere = await a.gql<any>(LIST, {}, { token: editor });
    expect(stillThere.data.webhookEndpoints.find((e: any) => e.id === endpoint.endpoint.id)).toMatchObject({
      paused: false,
    });

    const paused = await a.gql<any>(
      'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { paused events } }',
      { i: { id: endpoint.endpoint.id, paused: true, events: ['OFFER_CHANGED', 'STATISTICS_UPDATED'] } },
      { token: editor },
    );
    expect(paused.data.updateWebhookEndpoint).toEqual({
      paused: true,
      events: ['OFFER_CHANGED', 'STATISTICS_UPDATED'],
    });
    await deleteEndpoint(endpoint.endpoint.id);
    const gone = await a.gql<any>(LIST, {}, { token: editor });
    expect(gone.data.webhookEndpoints.map((e: any) => e.id)).not.toContain(endpoint.endpoint.id);
  });

  it('answers bad input with BAD_USER_INPUT naming the field', async () => {
    const field = async (input: Record<string, unknown>) => {
      const res = await a.gql<any>(
        CREATE,
        { i: { url: `${receiverUrl}/x`, events: ['PLACES_CHANGED'], ...input } },
        { token: editor },
      );
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      const extensions = res.errors![0]!.extensions as { fields?: { field: string }[]; argument?: string };
      return extensions.fields?.[0]?.field ?? extensions.argument;
    };
    expect(await field({ events: [] })).toBe('events');
    expect(await field({ url: 'ftp://example.org/hook' })).toBe('url');
    expect(await field({ url: 'not a url' })).toBe('url');
    expect(await field({ url: 'https://user:pw@example.org/hook' })).toBe('url');
    expect(await field({ url: `https://example.org/${'x'.repeat(2048)}` })).toBe('url');
    expect(await field({ secret: 'abc' })).toBe('secret');
    expect(await field({ secret: `whsec_${Buffer.alloc(16).toString('base64')}` })).toBe('secret');
    expect(await field({ secret: `whsec_${Buffer.alloc(65).toString('base64')}` })).toBe('secret');
    const invalidEnum = await a.gql<any>(
      CREATE,
      { i: { url: `${receiverUrl}/x`, events: ['NOPE'] } },
      { token: editor },
    );
    expect(invalidEnum.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const given = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    const ok = await a.gql<any>(
      CREATE,
      { i: { url: `${receiverUrl}/given`, events: ['PLACES_CHANGED'], secret: given } },
      { token: editor },
    );
    expect(ok.data.createWebhookEndpoint.secret).toBe(given);
    await deleteEndpoint(ok.data.createWebhookEndpoint.endpoint.id);
  });
});

describe('SSRF', () => {
  let strict: TestHub;
  let g: PartnerFixture;

  beforeAll(async () => {
    strict = await startTestHub('webhooks_ssrf', { seed: false, env: { WEBHOOK_RETRY_SCHEDULE_MS: '100' } });
    g = await createPartnerFixture(strict.database.url, 'webhooks_ssrf');
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('refuses loopback, private and reserved targets at create without WEBHOOK_ALLOW_PRIVATE_TARGETS', async () => {
    const token = await g.token(g.accounts.ownerEditor);
    for (const url of [
      `${receiverUrl}/ssrf`,
      'http://localhost:8080/',
      'http://10.1.2.3/',
      'http://172.20.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[::]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
      'http://2130706433/', // 127.0.0.1 as one number
    ]) {
      const res = await strict.gql<any>(CREATE, { i: { url, events: ['PLACES_CHANGED'] } }, { token });
      expect(res.errors?.[0]?.extensions?.code, url).toBe('BAD_USER_INPUT');
      const fields = res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined;
      expect(fields?.[0]?.field, url).toBe('url');
    }
  });

  it('never connects to a private address, also for an endpoint saved before (checked again at send time)', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const sql = new pg.Client({ connectionString: strict.database.url });
    await sql.connect();
    try {
      await sql.query(
        `insert into webhook_endpoint (organisation_id, url, events, secret) values ($1, $2, '{PLACES_CHANGED}', $3)`,
        [
          g.ids.otherOrg,
          `http://127.0.0.1:${port}/ssrf-sent`,
          `whsec_${Buffer.alloc(32, 2).toString('base64')}`,
        ],
      );
      await sql.query(
        `insert into domain_event (type, payload) values ('places.changed', jsonb_build_object('capacityPeriodId', $1::text, 'reason', 'released', 'previousAvailable', 5))`,
        [g.ids.period],
      );
      await strict.hub.fanOut.drain();
      await new Promise((r) => setTimeout(r, 1_000));
      await strict.hub.webhooks.idle();
      const { rows } = await sql.query('select status, attempts, last_error from webhook_delivery');
      expect(rows).toHaveLength(1);
      expect(rows[0].attempts).toBeGreaterThanOrEqual(1);
      expect(rows[0].last_error).toMatch(/private address/);
      expect(at('/ssrf-sent')).toHaveLength(0);
    } finally {
      await sql.end();
    }
  });

  it('judges addresses, IPv4-mapped forms included, and refuses names that resolve to loopback', async () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      'fc00::1',
      '100.100.1.1',
      // IPv6 forms that reach an IPv4 host: NAT64, 6to4, Teredo, IPv4-translated.
      '64:ff9b::7f00:1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::1',
      '2001:0:4136:e378::1',
      '::ffff:0:7f00:1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '2606:4700::1111', '::ffff:93.184.216.34']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
    const lookup = guardedLookup(false);
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', { all: true }, (e) => resolve(e)),
    );
    expect(error?.message).toMatch(/private address/);
  });
});
