import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OperationsAllowlist } from '../src/operations-allowlist.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { runScript } from './helpers/run.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const COUNT = 'query CountOffers { offers(first: 1) { totalCount } }';
const ME = 'query Me { me { roles } }';
const LOGIN = 'mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const LIVE = 'subscription Live { statisticsUpdated { changedAt } }';

let t: TestHub;
let f: PartnerFixture;
let staffToken: string;
let editorToken: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-allowlist-'));
  const file = path.join(dir, 'operations.json');
  writeFileSync(
    file,
    JSON.stringify(Object.fromEntries([COUNT, ME, LOGIN, LIVE].map((d) => [sha256(d), d]))),
  );
  t = await startTestHub('abuse', {
    seed: false,
    env: {
      OPERATIONS_ALLOWLIST: file,
      // Small budgets so the test reaches them; TRUST_PROXY lets each case use its own address.
      TRUST_PROXY: 'true',
      RATE_LIMIT_QUERIES_PER_ADDRESS: '8',
      RATE_LIMIT_QUERIES_PER_VIEWER: '5',
      RATE_LIMIT_MUTATIONS_PER_ADDRESS: '3',
      RATE_LIMIT_MUTATIONS_PER_VIEWER: '3',
    },
  });
  f = await createPartnerFixture(t.database.url, 'Abuse');
  staffToken = await f.token(f.accounts.ownerStaff);
  editorToken = await f.token(f.accounts.ownerEditor);
});

afterAll(async () => {
  await t?.stop();
});

let addressCounter = 0;
/** Each case speaks from its own address (X-Forwarded-For, trusted here). */
const freshAddress = () => `203.0.113.${++addressCounter}`;

const send = async (
  body: Record<string, unknown>,
  { address = freshAddress(), token }: { address?: string; token?: string } = {},
) => {
  const response = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': address,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { response, body: (await response.json()) as any };
};

describe('allow-list mode (OPERATIONS_ALLOWLIST)', () => {
  it('runs listed documents by hash alone or by their exact text', async () => {
    const byHash = await send({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(COUNT) } },
    });
    expect(byHash.body).toEqual({ data: { offers: { totalCount: expect.any(Number) } } });
    const byText = await send({ query: COUNT });
    expect(byText.body.errors).toBeUndefined();
  });

  it('refuses everything else: unknown hashes, other documents, even a changed space', async () => {
    const unknown = await send({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } },
    });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    for (const query of ['{ __typename }', COUNT.replace('{ totalCount', '{  totalCount')]) {
      const other = await send({ query });
      expect(other.response.status).toBe(403);
      expect(other.body.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'OPERATION_NOT_ALLOWED',
      });
      expect(other.body.errors[0].message).toMatch(/allow-list/);
    }
    // Registering a new document the APQ way (hash + text) does not put it on the list.
    const register = await send({
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } },
    });
    expect(register.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const again = await send({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } },
    });
    expect(again.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('applies to WebSocket operations too', async () => {
    const client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const run = (query: string) =>
      new Promise<any>((resolve) => {
        let result: unknown;
        client.subscribe(
          { query },
          {
            next: (v) => (result = v),
            error: (e) => resolve({ errors: e }),
            complete: () => resolve(result),
          },
        );
      });
    try {
      expect((await run(COUNT)).data.offers.totalCount).toEqual(expect.any(Number));
      expect((await run('{ __typename }')).errors[0].extensions.code).toBe('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });

  it('is written by `npm run operations:allowlist` from .graphql files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-operations-'));
    const file = path.join(dir, 'count.graphql');
    writeFileSync(file, `${COUNT}\n`);
    const out = await runScript('dist/src/cli/operations.js', [file], process.env);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ [sha256(`${COUNT}\n`)]: `${COUNT}\n` });
    writeFileSync(file, '{ broken');
    expect((await runScript('dist/src/cli/operations.js', [file], process.env)).status).toBe(1);
  });

  it('refuses a file whose keys are not the hashes of their documents', () => {
    expect(() => OperationsAllowlist.from({ abc: COUNT })).toThrow(/not the SHA-256/);
    expect(() => OperationsAllowlist.from([COUNT])).toThrow(/JSON object/);
    expect(OperationsAllowlist.from({ [sha256(COUNT)]: COUNT }).operationNames()).toEqual(
      new Set(['CountOffers']),
    );
  });
});

describe('rate limits', () => {
  it('limits requests per address with RATE_LIMITED, retryAfterSeconds and HTTP 429 + Retry-After', async () => {
    const address = freshAddress();
    for (let i = 0; i < 8; i++) {
      expect((await send({ query: COUNT }, { address })).body.errors, `request ${i}`).toBeUndefined();
    }
    const limited = await send({ query: COUNT }, { address });
    expect(limited.response.status).toBe(429);
    const retryAfter = Number(limited.response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.errors[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: retryAfter,
    });
    // Another address is not affected.
    expect((await send({ query: COUNT })).body.errors).toBeUndefined();
  });

  it('counts refused documents too (an attacker cannot flood with invalid ones)', async () => {
    const address = freshAddress();
    for (let i = 0; i < 8; i++) await send({ query: `{ nope${i} }` }, { address });
    expect((await send({ query: COUNT }, { address })).body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('limits an account across addresses', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await send({ query: ME }, { token: staffToken })).body.errors, `request ${i}`).toBeUndefined();
    }
    const limited = await send({ query: ME }, { token: staffToken });
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(limited.body.errors[0].message).toMatch(/account/);
  });

  it('limits mutations (sign-in attempts included) separately and tighter', async () => {
    const address = freshAddress();
    const attempt = () =>
      send({ query: LOGIN, variables: { e: 'nobody@x.example', p: 'wrong' } }, { address });
    for (let i = 0; i < 3; i++)
      expect((await attempt()).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const limited = await attempt();
    expect(limited.response.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // Queries from that address still have budget left.
    expect((await send({ query: COUNT }, { address })).body.errors).toBeUndefined();
    expect(editorToken).toEqual(expect.any(String));
  });

  it('limits WebSocket operations with the same budgets', async () => {
    const client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${editorToken}` },
    });
    const run = () =>
      new Promise<any>((resolve) => {
        let result: unknown;
        client.subscribe(
          { query: ME },
          {
            next: (v) => (result = v),
            error: (e) => resolve({ errors: e }),
            complete: () => resolve(result),
          },
        );
      });
    try {
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await run());
      expect(results.slice(0, 5).every((r) => r.data?.me)).toBe(true);
      expect(results[5].errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(results[5].errors[0].extensions.http).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });
});
