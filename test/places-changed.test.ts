import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { placesOf } from './helpers/places.js';

/**
 * placesChanged: the live list's subscription in both directions. A reservation and a release through the
 * API reach each viewer as the policy lets it read them: partners every change of the free places with
 * numbers, the public only a change of the band, with bands only.
 */
let t: TestHub;
let f: PartnerFixture;
let db: pg.Client;
let caseManager: string;
let otherStaff: string;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestHub('places-changed', { seed: false });
  f = await createPartnerFixture(t.database.url, 'places-changed');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  caseManager = await f.token(f.accounts.ownerCaseManager);
  otherStaff = await f.token(f.accounts.otherStaff);
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await db?.end();
  await t?.stop();
});

const CHANGED = `subscription($f: OfferFilter) { placesChanged(filter: $f) {
  reason offer { id availability } capacityPeriod { id total available availability } } }`;

interface Subscription {
  events: any[];
  errors: unknown[];
}

/** Subscribes and waits until the hub acknowledged it (a first event would otherwise be missed). */
async function subscribe(token: string | undefined, variables: Record<string, unknown> = {}) {
  const client = createClient({
    url: t.graphqlUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  clients.push(client);
  const sub: Subscription = { events: [], errors: [] };
  client.subscribe(
    { query: CHANGED, variables },
    { next: (v) => sub.events.push(v), error: (e) => sub.errors.push(e), complete: () => undefined },
  );
  await new Promise((r) => setTimeout(r, 300));
  return sub;
}

const until = async (check: () => boolean, ms = 3_000) => {
  const start = Date.now();
  while (!check() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 20));
  return check();
};

const { period, reserve, release } = placesOf(() => ({ hub: t, db, fixture: f, caseManager }), 200001);

const periodOf = (sub: Subscription, i: number) => sub.events[i].data.placesChanged.capacityPeriod;

describe('placesChanged', () => {
  it('tells partners of every taken and freed place with numbers, the public only of band changes', async () => {
    const periodGid = await period(4);
    const partner = await subscribe(otherStaff, { f: { kinds: ['JOB_LANGUAGE_COURSE'] } });
    const everyone = await subscribe(undefined, { f: { kinds: ['JOB_LANGUAGE_COURSE'] } });
    const otherKind = await subscribe(otherStaff, { f: { kinds: ['AUSBILDUNG'] } });

    // 4 → 3 free: the band falls from SOME to FEW; both hear of it.
    const first = await reserve(periodGid);
    expect(await until(() => partner.events.length === 1 && everyone.events.length === 1)).toBe(true);
    expect(partner.events[0].data.placesChanged.reason).toBe('reserved');
    expect(periodOf(partner, 0)).toEqual({ id: periodGid, total: 4, available: 3, availability: 'FEW' });
    expect(periodOf(everyone, 0)).toEqual({
      id: periodGid,
      total: null,
      available: null,
      availability: 'FEW',
    });

    // 3 → 2 free and back to 3: numbers for partners, nothing for the public (the band stays FEW).
    const second = await reserve(periodGid);
    expect(await until(() => partner.events.length === 2)).toBe(true);
    expect(periodOf(partner, 1).available).toBe(2);
    await release(second);
    expect(await until(() => partner.events.length === 3)).toBe(true);
    expect(partner.events[2].data.placesChanged.reason).toBe('released');
    expect(periodOf(partner, 2).available).toBe(3);

    // 3 → 4 free: the band rises to SOME again; the public hears of that.
    await release(first);
    expect(await until(() => partner.events.length === 4 && everyone.events.length === 2)).toBe(true);
    expect(periodOf(partner, 3).available).toBe(4);
    expect(periodOf(everyone, 1)).toEqual({
      id: periodGid,
      total: null,
      available: null,
      availability: 'SOME',
    });

    await new Promise((r) => setTimeout(r, 400));
    expect(everyone.events).toHaveLength(2);
    expect(otherKind.events).toHaveLength(0);
    for (const sub of [partner, everyone, otherKind]) expect(sub.errors).toEqual([]);
  });
});
