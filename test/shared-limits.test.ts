import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../seeds/demo.js';
import { storedKey } from '../src/limits/limiter-store.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * Sign-in attempts and request budgets are counted in one store for all instances: PostgreSQL by
 * default, Redis with REDIS_URL. A store that is away degrades to each instance's memory, logged once.
 */

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const COUNT = '{ organisations(first: 1) { totalCount } }';
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

/** Two hubs on one database (the first owns it), with the same settings. */
async function startPair(label: string, env: Record<string, string> = {}): Promise<[TestHub, TestHub]> {
  const a = await startTestHub(`${label}_a`, { env });
  cleanup.push(() => a.stop());
  const b = await startTestHub(`${label}_b`, { env, database: a.database, seed: true });
  cleanup.push(() => b.stop());
  return [a, b];
}

/** A query from `address` (the hubs trust the loopback proxy's X-Forwarded-For): budgets per test. */
async function sendQuery(hub: TestHub, address: string) {
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      'x-forwarded-for': address,
    },
    body: JSON.stringify({ query: COUNT }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { errors: { extensions: Record<string, unknown> }[] },
  };
}

/** Five wrong passwords, alternating between the instances, lock the account on both. */
async function expectLockAcross([a, b]: [TestHub, TestHub], email: string) {
  for (let i = 0; i < 5; i++) {
    const hub = i % 2 === 0 ? a : b;
    expect(codeOf(await hub.gql(LOGIN, { e: email, p: `wrong-${i}` })), `attempt ${i + 1}`).toBe(
      'UNAUTHENTICATED',
    );
  }
  for (const hub of [a, b]) {
    const blocked = await hub.gql(LOGIN, { e: email, p: DEMO_PASSWORD });
    expect(codeOf(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
  }
}

/** A query budget of 6 per address, spent half on each instance, is spent for both. */
async function expectBudgetAcross([a, b]: [TestHub, TestHub], address: string) {
  for (let i = 0; i < 6; i++) {
    const res = await sendQuery(i % 2 === 0 ? a : b, address);
    expect(res.status, `query ${i + 1}`).toBe(200);
  }
  for (const hub of [a, b]) {
    const limited = await sendQuery(hub, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(limited.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
  }
}

const BUDGET = { RATE_LIMIT_QUERIES_PER_ADDRESS: '6', TRUST_PROXY: 'loopback' };

describe('in PostgreSQL (the default)', () => {
  let pair: [TestHub, TestHub];

  it('wrong passwords split across two instances lock the account (LOGIN_MAX_FAILURES=5 in total)', async () => {
    pair = await startPair('limits_pg', BUDGET);
    expect(pair[0].hub.limiterStore.kind).toBe('postgres');
    await expectLockAcross(pair, 'staff@kolping-leverkusen.example');
    // Counted in the table a migration created, under the limiter's prefix and a hash of the address.
    const client = new pg.Client({ connectionString: pair[0].database.url });
    await client.connect();
    const { rows } = await client.query<{ key: string; points: number }>(
      'select key, points from rate_limit',
    );
    await client.end();
    const account = rows.find(
      (r) => r.key === `login-account:${storedKey('staff@kolping-leverkusen.example')}`,
    );
    expect(account?.points).toBeGreaterThanOrEqual(5);
    expect(rows.some((r) => r.key.includes('@') || r.key.includes('127.0.0.1'))).toBe(false);
  });

  it('a request budget holds across instances', async () => {
    await expectBudgetAcross(pair, '203.0.113.1');
  });

  it('a failing store degrades to the insurance limiter with one log line, never a 500', async () => {
    const logs: string[] = [];
    const hub = await startTestHub('limits_pg_down', { logs, env: BUDGET });
    cleanup.push(() => hub.stop());
    // The store's table disappears under the hub (a stand-in for a store that fails while the rest works).
    const client = new pg.Client({ connectionString: hub.database.url });
    await client.connect();
    await client.query('alter table rate_limit rename to rate_limit_away');
    await client.end();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await sendQuery(hub, '203.0.113.3')).status);
    // The budget still holds, in this instance's memory.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(hub.hub.limiterStore.degraded).toBe(true);
    expect(logs.filter((line) => line.includes('rate-limit store unreachable'))).toHaveLength(1);
  });
});

describe('in Redis (REDIS_URL)', () => {
  // Every run counts under its own prefix: the machine's Redis is shared by concurrent test runs.
  const prefix = () => `hub-test-${randomBytes(4).toString('hex')}:`;

  it('wrong passwords split across two instances lock the account; a budget holds across them', async () => {
    const pair = await startPair('limits_redis', { ...BUDGET, REDIS_URL, REDIS_KEY_PREFIX: prefix() });
    expect(pair[0].hub.limiterStore.kind).toBe('redis');
    expect(pair[0].hub.limiterStore.degraded).toBe(false);
    await expectLockAcross(pair, 'staff@ihk-leverkusen.example');
    await expectBudgetAcross(pair, '203.0.113.1');
  });

  it('a Redis that is down degrades to the insurance limiter, logged once, and counts there again once it is back', async () => {
    const port = await freePort();
    const logs: string[] = [];
    const hub = await startTestHub('limits_redis_down', {
      logs,
      env: {
        ...BUDGET,
        REDIS_URL: `redis://127.0.0.1:${port}`,
        REDIS_KEY_PREFIX: prefix(),
      },
    });
    cleanup.push(() => hub.stop());
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await sendQuery(hub, '203.0.113.4')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    // Sign-in is guarded too, in memory.
    for (let i = 0; i < 5; i++) {
      expect(codeOf(await hub.gql(LOGIN, { e: 'staff@hwk-leverkusen.example', p: `wrong-${i}` }))).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect(codeOf(await hub.gql(LOGIN, { e: 'staff@hwk-leverkusen.example', p: DEMO_PASSWORD }))).toBe(
      'RATE_LIMITED',
    );
    expect(hub.hub.limiterStore.degraded).toBe(true);
    expect(logs.filter((line) => line.includes('rate-limit store unreachable'))).toHaveLength(1);

    // Redis comes up on that port; after the store's pause the hub counts there again (logged once).
    const redis = await startRedis(port);
    cleanup.push(async () => void redis.kill());
    await waitFor(async () => {
      await sendQuery(hub, '203.0.113.5');
      return !hub.hub.limiterStore.degraded;
    }, 15_000);
    expect(logs.filter((line) => line.includes('rate-limit store answers again'))).toHaveLength(1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway Redis (the machine's redis-server binary) that keeps nothing on disk. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  return child;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('condition not met in time');
}
