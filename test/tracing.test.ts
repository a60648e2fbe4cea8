import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REQUEST_ID_ATTRIBUTE, startTracing, type Tracing } from '../src/observability/tracing.js';
import { TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';

/**
 * Traces of one GraphQL request, read from an in-memory exporter: the HTTP request, the GraphQL operation
 * and the PostgreSQL statements, all in one trace and carrying the request id of the log line.
 */

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let t: TestHub;

beforeAll(async () => {
  // As in main.ts: tracing before the hub's modules (and with them `pg` and `http`) are loaded.
  tracing = startTracing({ serviceName: 'buendnis-hub-test', exporter });
  const { startTestHub } = await import('./helpers/hub.js');
  t = await startTestHub('tracing', { seed: false, apolloPlugins: [tracing.apolloPlugin] });
});

afterAll(async () => {
  await t?.stop();
  await tracing?.shutdown();
});

async function spansOf(traceId: () => string | undefined, ms = 3_000): Promise<ReadableSpan[]> {
  const start = Date.now();
  for (;;) {
    const id = traceId();
    const spans = id ? exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === id) : [];
    // The HTTP span ends last, once the response has gone out.
    if (spans.some((s) => s.attributes['http.request.method'])) return spans;
    if (Date.now() - start > ms) throw new Error('no HTTP span arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('traces one GraphQL request: HTTP span, operation span, PostgreSQL statements, request id', async () => {
  exporter.reset();
  const response = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'trace-test-0001' },
    body: JSON.stringify({
      query: 'query FirstOrganisations { organisations(first: 2) { totalCount nodes { name } } }',
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toBe('trace-test-0001');
  const operationSpan = () =>
    exporter.getFinishedSpans().find((s) => s.attributes['graphql.operation.name'] === 'FirstOrganisations');
  const spans = await spansOf(() => operationSpan()?.spanContext().traceId);

  const http = spans.find((s) => s.attributes['http.request.method'] === 'POST')!;
  expect(http.attributes).toMatchObject({
    'http.route': '/graphql',
    [REQUEST_ID_ATTRIBUTE]: 'trace-test-0001',
  });
  expect(http.attributes['http.response.status_code']).toBe(200);

  const operation = operationSpan()!;
  expect(operation.name).toBe('query FirstOrganisations');
  expect(operation.attributes).toMatchObject({
    'graphql.operation.type': 'query',
    'graphql.operation.name': 'FirstOrganisations',
    [REQUEST_ID_ATTRIBUTE]: 'trace-test-0001',
  });
  expect(operation.parentSpanContext?.spanId).toBe(http.spanContext().spanId);

  const statements = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql');
  expect(statements.length).toBeGreaterThanOrEqual(1);
  // The request's own query among them (the shared request budget adds its statements too).
  expect(statements.some((s) => /organisation/.test(String(s.attributes['db.query.text'])))).toBe(true);
  // Statement text only: the values stay out of the trace.
  for (const s of statements) expect(s.attributes['db.query.parameters']).toBeUndefined();
  console.log(`one traced request: ${spans.length} spans (${spans.map((s) => s.name).join(', ')})`);
});

it('leaves probes out of the traces', async () => {
  exporter.reset();
  await fetch(`${t.origin}/readyz`);
  await fetch(`${t.origin}/healthz`);
  await new Promise((r) => setTimeout(r, 200));
  expect(exporter.getFinishedSpans().filter((s) => s.attributes['http.request.method'])).toEqual([]);
});

it('exports over OTLP (protobuf) from a real hub process (`node dist/src/main.js`)', async () => {
  // A stand-in collector: it only records what arrives. Protobuf keeps strings as UTF-8 bytes.
  const received: { path: string; type: string; body: Buffer }[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        type: String(req.headers['content-type']),
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: t.database.url,
      SEED_DEMO: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      DRAIN_SECONDS: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'hub-under-test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = output.match(/läuft: (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!.replace('localhost', '127.0.0.1'));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'exported-request-42' },
      body: JSON.stringify({ query: 'query ExportedOperation { organisations(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    // The stop flushes what the batch processor still holds.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const exported = Buffer.concat(
      received.filter((r) => r.path === '/v1/traces').map((r) => r.body),
    ).toString('latin1');
    expect(received[0]?.type).toBe('application/x-protobuf');
    for (const text of [
      'hub-under-test',
      'query ExportedOperation',
      'exported-request-42',
      'pg.query',
      'POST',
    ])
      expect(exported, text).toContain(text);
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => collector.close(resolve));
  }
}, 90_000);
