import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Role } from '../src/domain/enums.js';
import { REPORT_INTERVAL_MS } from '../src/limits/batched-limiter.js';
import { storedKey } from '../src/limits/limiter-store.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * Request budgets large enough to batch (BatchedLimiter): each instance counts up to 2 % of a budget on
 * its own before it reports to the shared store, so n instances exceed it by at most n × that allowance.
 */

const COUNT = '{ organisations(first: 1) { totalCount } }';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function startPair(label: string, env: Record<string, string>): Promise<[TestHub, TestHub]> {
  const a = await startTestHub(`${label}_a`, { env });
  cleanup.push(() => a.stop());
  const b = await startTestHub(`${label}_b`, { env, database: a.database, seed: true });
  cleanup.push(() => b.stop());
  return [a, b];
}

async function sendQuery(hub: TestHub, address: string, token?: string) {
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      'x-forwarded-for': address,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: COUNT }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { errors?: { message: string; extensions: Record<string, unknown> }[] },
  };
}

async function storedPoints(hub: TestHub, key: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: hub.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ points: number }>('select points from rate_limit where key = $1', [
      key,
    ]);
    return rows[0]?.points;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a batched request budget (200 per address: 4 counted locally per instance)', () => {
  it('holds across two instances within 200 + 2 × 4, and both refuse once it is spent', async () => {
    const [a, b] = await startPair('budgets_batched', {
      RATE_LIMIT_QUERIES_PER_ADDRESS: '200',
      TRUST_PROXY: 'loopback',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 230; i++)
      statuses.push((await sendQuery(i % 2 === 0 ? a : b, '203.0.113.20')).status);
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThanOrEqual(200);
    expect(answered).toBeLessThanOrEqual(208);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // Once refused, an instance keeps refusing: what it knows of the window only grows.
    for (const instance of [0, 1]) {
      const own = statuses.filter((_, i) => i % 2 === instance);
      expect(own.indexOf(429)).toBeGreaterThan(-1);
      expect(own.slice(own.indexOf(429))).not.toContain(200);
    }

    await sleep(REPORT_INTERVAL_MS * 2);
    for (const hub of [a, b]) {
      const limited = await sendQuery(hub, '203.0.113.20');
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect(limited.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(limited.body.errors![0]!.message).toMatch(
        /^Too many requests from this address\. Try again in \d+ s\.$/,
      );
      expect(limited.body.errors![0]!.extensions.retryAfterSeconds).toBe(Number(limited.retryAfter));
    }
  });

  it('costs far fewer store statements than two per request', async () => {
    const hub = await startTestHub('budgets_statements', {
      env: {
        RATE_LIMIT_QUERIES_PER_ADDRESS: '5000',
        RATE_LIMIT_QUERIES_PER_VIEWER: '5000',
        TRUST_PROXY: 'loopback',
      },
    });
    cleanup.push(() => hub.stop());
    const { token } = await tokenFor(hub.hub.database.orm, [Role.PARTNER_STAFF]);
    // The limiter store's own pool (application_name hub-rate-limits), beside the ORM's.
    type Query = (this: { options: { application_name?: string } }, ...args: unknown[]) => unknown;
    const pool = pg.Pool.prototype as unknown as { query: Query };
    const query = pool.query;
    let statements = 0;
    pool.query = function (...args) {
      if (this.options.application_name === 'hub-rate-limits') statements++;
      return query.apply(this, args);
    };
    cleanup.push(async () => {
      pool.query = query;
    });
    const n = 200;
    const started = Date.now();
    for (let i = 0; i < n; i++) expect((await sendQuery(hub, '203.0.113.21', token)).status).toBe(200);
    await sleep(REPORT_INTERVAL_MS * 2);
    const elapsed = Date.now() - started;
    // Two limiters (viewer, address): one report each per timer round with points pending, and one per
    // 101 requests (allowance 100). Without batching this would be 2 × n = 400.
    const ticks = Math.ceil(elapsed / REPORT_INTERVAL_MS) + 1;
    expect(statements).toBeLessThanOrEqual(2 * (ticks + Math.ceil(n / 101)));
    expect(statements).toBeLessThan(n / 2);
    expect(statements).toBeGreaterThan(0);
    pool.query = query;
  });

  it('reports what it counted when the hub stops', async () => {
    const hub = await startTestHub('budgets_stop', {
      env: { RATE_LIMIT_QUERIES_PER_ADDRESS: '200', TRUST_PROXY: 'loopback' },
    });
    let stopped = false;
    cleanup.push(() => (stopped ? Promise.resolve() : hub.stop()));
    for (let i = 0; i < 3; i++) expect((await sendQuery(hub, '203.0.113.22')).status).toBe(200);
    // The database outlives the hub's stop only when another owns it: read the count before dropping.
    await hub.hub.stop();
    stopped = true;
    expect(await storedPoints(hub, `queries-address:${storedKey('203.0.113.22')}`)).toBe(3);
    await hub.database.drop();
  });
});
