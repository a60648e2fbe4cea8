import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/domain/enums.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

const DASHBOARD = 'https://dashboard.leverkusen.example';
const METRICS_TOKEN = 'metrics-token-for-the-test-hub';

let t: TestHub;
let partner: string;
const logs: string[] = [];

beforeAll(async () => {
  t = await startTestHub('hardening', {
    logs,
    env: {
      INTROSPECTION: 'partners',
      CORS_ORIGINS: DASHBOARD,
      GRAPHQL_MAX_BATCH: '2',
      METRICS_TOKEN,
    },
  });
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
});

afterAll(async () => {
  await t?.stop();
});

type Body = { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { response, body: (await response.json()) as Body };
};

const limitOf = (body: Body) => body.errors?.[0]?.extensions;

/** The log line is written when the response has gone out: wait for it a little (generously). */
async function logLine(match: (line: Record<string, any>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const line = logs.map((l) => JSON.parse(l)).find(match);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no such log line');
}

describe('request limits', () => {
  it('refuses too deep queries, naming the limit', async () => {
    // offer → organisation → offers → … cycles: 13 levels.
    const deep = `{ offers(first: 1) { nodes { organisation { offers(first: 1) { nodes { organisation { offers(first: 1) { nodes { organisation { offers(first: 1) { nodes { organisation { name } } } } } } } } } } } } }`;
    const { response, body } = await post({ query: deep });
    expect(response.status).toBe(400);
    expect(limitOf(body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'depth', maximum: 12 });
    expect(body.errors![0]!.message).toMatch(/depth limit of 12 exceeded/i);
  });

  it('refuses too many aliases and directives', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: offers(first: 1) { totalCount }`).join(' ')} }`;
    expect(limitOf((await post({ query: aliases })).body)).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'aliases',
      maximum: 30,
      actual: 31,
    });
    const directives = `{ offers(first: 1) { ${Array.from({ length: 51 }, () => 'totalCount @include(if: true)').join(' ')} } }`;
    expect(limitOf((await post({ query: directives })).body)).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'directives',
      maximum: 50,
    });
  });

  it('stops reading a document after 3,000 tokens', async () => {
    const huge = `{ ${'__typename '.repeat(5_000)} }`;
    const { response, body } = await post({ query: huge });
    expect(response.status).toBe(400);
    expect(limitOf(body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'tokens', maximum: 3_000 });
  });

  it('bounds the cost computed from requested list sizes', async () => {
    // The suite's most expensive real query (leak probes, cost 11,401) runs …
    const allowed = await post(
      {
        query:
          '{ offers(first: 100) { nodes { id organisation { name } capacityPeriods { reservations { id case { id } } } } } }',
      },
      { authorization: `Bearer ${partner}` },
    );
    expect(allowed.body.errors).toBeUndefined();
    // … pages of pages of nested lists do not: 100 × 100 offers with their organisation and location.
    const { response, body } = await post({
      query:
        '{ organisations(first: 100) { nodes { offers(first: 100) { nodes { organisation { name } location { district } } } } } }',
    });
    expect(response.status).toBe(400);
    expect(limitOf(body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', maximum: 20_000 });
    expect(limitOf(body)!.actual).toBeGreaterThan(20_000);
    // Page sizes given as variables count the same.
    const viaVariables = await post({
      query:
        'query($n: Int) { organisations(first: $n) { nodes { offers(first: $n) { nodes { organisation { name } location { district } } } } } }',
      variables: { n: 100 },
    });
    expect(limitOf(viaVariables.body)).toMatchObject({ limit: 'cost' });
  });

  it('limits batches (GRAPHQL_MAX_BATCH=2 here) and refuses empty ones', async () => {
    const two = await post([{ query: '{ a: __typename }' }, { query: '{ b: __typename }' }]);
    expect(two.response.status).toBe(200);
    expect(two.body).toEqual([{ data: { a: 'Query' } }, { data: { b: 'Query' } }]);
    const three = await post([
      { query: '{ __typename }' },
      { query: '{ __typename }' },
      { query: '{ __typename }' },
    ]);
    expect(three.response.status).toBe(400);
    expect(limitOf(three.body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'batch', maximum: 2 });
    expect((await post([])).response.status).toBe(400);
  });

  it('limits variables and the body size', async () => {
    const big = await post({
      query: 'query($s: String) { offers(first: 1, filter: { search: $s }) { totalCount } }',
      variables: { s: 'x'.repeat(70_000) },
    });
    expect(limitOf(big.body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'variables' });
    const body = await post({ query: '{ __typename }', padding: 'x'.repeat(300_000) });
    expect(body.response.status).toBe(413);
    expect(limitOf(body.body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'body' });
  });

  it('refuses variables nested 25,000 levels deep with 400, not a stack overflow', async () => {
    // Built as text: JSON.stringify itself would overflow the stack on such a value.
    const levels = 25_000;
    const nested = `${'['.repeat(levels)}1${']'.repeat(levels)}`;
    const objects = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    for (const value of [nested, objects]) {
      const response = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: `{"query":"query($s: String) { offers(first: 1, filter: { search: $s }) { totalCount } }","variables":{"s":${value}}}`,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as Body;
      expect(limitOf(body)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'variables' });
      expect(JSON.stringify(body)).not.toMatch(/RangeError|call stack/);
    }
  });

  it('applies the same limits over WebSocket', async () => {
    const client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const errors = await new Promise<any[]>((resolve) => {
        client.subscribe(
          {
            query:
              '{ organisations(first: 100) { nodes { offers(first: 100) { nodes { organisation { name } location { district } } } } } }',
          },
          { next: () => undefined, error: (e) => resolve(e as any[]), complete: () => resolve([]) },
        );
      });
      expect(errors[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
      expect(errors[0]?.extensions?.http).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });
});

describe('introspection (INTROSPECTION=partners here)', () => {
  it('refuses __schema, __type and _service to the public, allows them to partners, and __typename to all', async () => {
    for (const query of [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Offer") { name } }',
      '{ _service { sdl } }',
      'query { ...F } fragment F on Query { __schema { types { name } } }',
    ]) {
      const { body } = await post({ query });
      expect(body.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(body.data ?? null, query).toBeNull();
      const asPartner = await post({ query }, { authorization: `Bearer ${partner}` });
      expect(asPartner.body.errors, query).toBeUndefined();
    }
    expect((await post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('GraphQL over HTTP', () => {
  it('passes every MUST audit of graphql-http (the spec’s own audit suite)', async () => {
    const { auditServer } = await import('graphql-http');
    // As a partner: some audits introspect (__type), which INTROSPECTION=partners refuses to the public.
    const results = await auditServer({
      url: t.graphqlUrl,
      fetchFn: (input: string, init: RequestInit = {}) =>
        fetch(input, {
          ...init,
          headers: { ...(init.headers as object), authorization: `Bearer ${partner}` },
        }),
    });
    const failedMust = results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST'));
    expect(failedMust.map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
    const warnings = results.filter((r) => r.status !== 'ok').map((r) => r.name);
    console.log(
      `graphql-http audit: ${results.length - warnings.length}/${results.length} ok; not ok (SHOULD): ${warnings.join('; ') || 'none'}`,
    );
  });

  it('answers GET for queries only (405 for mutations), with CSRF protection', async () => {
    const url = (q: string) => `${t.graphqlUrl}?query=${encodeURIComponent(q)}`;
    const preflight = { 'apollo-require-preflight': 'true' };
    const get = await fetch(url('{ __typename }'), { headers: preflight });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    const mutation = await fetch(url('mutation { login(email: "a@b.example", password: "x") { token } }'), {
      headers: preflight,
    });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('allow')).toBe('POST');
    // A GET without a preflight-forcing header could come from any web page: refused (Apollo's csrfPrevention).
    const simple = await fetch(url('{ __typename }'));
    expect(simple.status).toBe(400);
    expect(JSON.stringify(await simple.json())).toMatch(/CSRF|preflight/i);
  });

  it('refuses non-JSON POSTs (HTML forms, text/plain) with 415 and unacceptable Accept headers with 406', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'query={__typename}',
      });
      expect(response.status, type).toBe(415);
      expect(((await response.json()) as Body).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    }
    const noType = await fetch(t.graphqlUrl, { method: 'POST', body: '{"query":"{__typename}"}' });
    expect(noType.status).toBe(415);
    const xml = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/xml' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(xml.status).toBe(406);
  });

  it('uses 400 for request errors with application/graphql-response+json, 200 with application/json', async () => {
    const invalid = { query: '{ noSuchField }' };
    const modern = await post(invalid, { accept: 'application/graphql-response+json' });
    expect(modern.response.status).toBe(400);
    expect(modern.response.headers.get('content-type')).toMatch(/application\/graphql-response\+json/);
    expect(modern.body.data).toBeUndefined();
    const partial = await post(
      { query: '{ offer(id: "T2ZmZXI6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw") { id } }' },
      {
        accept: 'application/graphql-response+json',
      },
    );
    expect(partial.response.status).toBe(200);
    expect(partial.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('sends subscriptions to the WebSocket instead of running them once over HTTP', async () => {
    const { response, body } = await post({ query: 'subscription { statisticsUpdated { changedAt } }' });
    expect(response.status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/WebSocket/);
  });
});

describe('CORS and WebSocket origins (CORS_ORIGINS=dashboard here)', () => {
  it('allows the listed origin cross-origin and no other', async () => {
    const preflight = (origin: string) =>
      fetch(t.graphqlUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const allowed = await preflight(DASHBOARD);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses WebSocket upgrades from other origins, accepts the listed one and clients without Origin', async () => {
    const open = (origin?: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(t.graphqlUrl.replace('http', 'ws'), 'graphql-transport-ws', {
          headers: origin ? { origin } : {},
        });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        socket.on('error', () => resolve('error'));
      });
    expect(await open('https://evil.example')).toBe('refused 401');
    expect(await open(DASHBOARD)).toBe('open');
    expect(await open()).toBe('open');
  });
});

describe('observability', () => {
  it('writes one JSON line per request with request id, operation, duration, organisation and error codes', async () => {
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${partner}`,
        'x-request-id': 'dashboard-req-42',
      },
      body: JSON.stringify({
        query: 'query LogProbe { offers(first: 1) { totalCount } offer(id: "bad") { id } }',
      }),
    });
    expect(response.headers.get('x-request-id')).toBe('dashboard-req-42');
    const line = await logLine((l) => l.requestId === 'dashboard-req-42');
    expect(line).toMatchObject({
      msg: 'request',
      operationName: 'LogProbe',
      operationType: 'query',
      errorCodes: ['BAD_USER_INPUT'],
      req: { method: 'POST', path: '/graphql' },
      res: { status: 200 },
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(line.organisationId).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/authorization|Bearer|@|email/i);
    // An id that could inject into logs is replaced by a fresh one.
    const injected = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'x {"level":60} \u00e9vil' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(injected.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs WebSocket operations too', async () => {
    const client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      await new Promise<void>((resolve, reject) =>
        client.subscribe(
          { query: 'query WsProbe { __typename }' },
          { next: () => undefined, error: reject, complete: resolve },
        ),
      );
    } finally {
      await client.dispose();
    }
    const line = await logLine((l) => l.operationName === 'WsProbe');
    expect(line).toMatchObject({ transport: 'ws', operationType: 'query', msg: 'ws operation' });
    expect(line.requestId).toEqual(expect.any(String));
  });

  it('serves Prometheus metrics behind METRICS_TOKEN', async () => {
    expect((await fetch(`${t.origin}/metrics`)).status).toBe(401);
    const response = await fetch(`${t.origin}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    for (const metric of [
      'hub_graphql_operation_duration_seconds_bucket{le="0.005",operation="LogProbe",type="query",transport="http"}',
      'hub_graphql_errors_total{code="BAD_USER_INPUT",transport="http"}',
      'hub_graphql_errors_total{code="QUERY_LIMIT_EXCEEDED",transport="http"}',
      'hub_http_request_duration_seconds_count{route="/graphql",method="POST",status="200"}',
      'hub_subscriptions_open',
      'hub_websocket_connections_open',
      'hub_event_listener_connected 1',
      'hub_db_pool_connections{state="idle"}',
      'hub_db_pool_max 10',
      'hub_process_resident_memory_bytes',
    ]) {
      expect(text, metric).toContain(metric);
    }
  });
});
