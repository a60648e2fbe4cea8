import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;

// A real garbage collection before measuring (the flag takes effect for new contexts).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

beforeAll(async () => {
  t = await startTestHub('fuzz', { seed: false });
});

afterAll(async () => {
  await t?.stop();
});

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const rand = random(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

const UNICODE = [
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  '\u200B',
  '🏃‍♀️',
  'ß',
  '\u0301'.repeat(50),
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\\u0000',
  '"',
  '\\',
  '\r\n',
];
const FIELDS = [
  'offers',
  'organisations',
  'node',
  'offer',
  'me',
  'cases',
  'caseStatistics',
  '__schema',
  '_entities',
];
const WRONG = [null, 0, -1, 1e308, true, [], {}, [[[]]], 'x', '', { query: 1 }, Number.NaN];

interface Attack {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const json = (value: unknown) => JSON.stringify(value);

/** One hostile request, drawn from a few families. */
function attack(): Attack {
  const family = int(12);
  switch (family) {
    case 0:
      return { name: 'random bytes as JSON', body: bytes(1 + int(2_000)) };
    case 1:
      return { name: 'random bytes as query', body: json({ query: bytes(1 + int(500)).toString('latin1') }) };
    case 2: {
      const depth = 50 + int(5_000);
      return {
        name: `deep nesting ${depth}`,
        body: json({ query: `${'{ a '.repeat(depth)}${'}'.repeat(depth)}` }),
      };
    }
    case 3: {
      const size = 10_000 + int(250_000);
      return {
        name: `huge document ${size}`,
        body: json({ query: `{ ${'offers(first: 1) { totalCount } '.repeat(size / 32)} }` }),
      };
    }
    case 4:
      return {
        name: 'wrong types',
        body: json({
          query: pick([...WRONG, '{ __typename }']),
          variables: pick([...WRONG, undefined]),
          operationName: pick([...WRONG, undefined]),
          extensions: pick([...WRONG, undefined]),
        }),
      };
    case 5: {
      const text = Array.from({ length: 1 + int(20) }, () => pick(UNICODE)).join('');
      return {
        name: 'unicode edge cases',
        body: pick([
          json({ query: `{ offers(first: 1, filter: { search: ${JSON.stringify(text)} }) { totalCount } }` }),
          json({
            query: `query($s: String) { offers(first: 1, filter: { search: $s }) { totalCount } }`,
            variables: { s: text },
          }),
          json({ query: `{ ${text} }` }),
          `{"query": "{ __typename }", "variables": {"s": "${text.replace(/["\\]/g, '')}"}}`,
        ]),
      };
    }
    case 6: {
      const query =
        'query($s: String, $filter: OfferFilter) { offers(first: 1, filter: $filter) { totalCount } }';
      const kind = int(3);
      // Written as text: JSON.stringify itself would overflow the stack on the deep one.
      const variables =
        kind === 0
          ? json({ s: 'x'.repeat(60_000 + int(200_000)) })
          : kind === 1
            ? `{"s": ${'['.repeat(5_000 + int(20_000))}${']'.repeat(5_000)}}`
            : json({ filter: { districts: Array.from({ length: 20_000 }, (_, i) => `d${i}`) } });
      return { name: 'oversized variables', body: `{"query": ${json(query)}, "variables": ${variables}}` };
    }
    case 7: {
      // Fragments spreading fragments: 2^n fields if expanded naively.
      const n = 10 + int(40);
      const fragments = Array.from({ length: n }, (_, i) =>
        i === 0
          ? 'fragment F0 on Query { __typename }'
          : `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`,
      );
      return { name: `fragment bomb ${n}`, body: json({ query: `{ ...F${n - 1} } ${fragments.join(' ')}` }) };
    }
    case 8: {
      const field = pick(FIELDS);
      const arg = pick([
        'first: -5',
        'first: 1e9',
        'id: 12',
        'id: "x"',
        'after: "%%%"',
        'filter: 3',
        '',
        'first: null',
      ]);
      return {
        name: `wrong arguments ${field}(${arg})`,
        body: json({ query: `{ ${field}(${arg}) { __typename } }` }),
      };
    }
    case 9:
      return {
        name: 'wrong method or path',
        method: pick(['PUT', 'DELETE', 'PATCH', 'GET']),
        path: pick([
          '/graphql',
          '/graphql?query=%7B__typename%7D',
          '/graphql?query=mutation%7Blogin%7D',
          '/nope',
          '/hsds/services/%00',
        ]),
        body: undefined,
      };
    case 10:
      return {
        name: 'wrong content type or charset',
        headers: {
          'content-type': pick([
            'text/plain',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'application/x-www-form-urlencoded',
            'application/graphql',
          ]),
        },
        body: json({ query: '{ __typename }' }),
      };
    default:
      return {
        name: 'cyclic and duplicate fragments, batches, cursors',
        body: pick([
          json({ query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
          json([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
          json({ query: `{ offers(after: "${bytes(40).toString('base64')}") { totalCount } }` }),
          json({ query: '{ __typename } { __typename }' }),
          json({ query: 'subscription { statisticsUpdated { changedAt } }' }),
          json({ query: `{ node(id: "${bytes(60).toString('base64')}") { id } }` }),
        ]),
      };
  }
}

const LEAK =
  /stacktrace|\bat .*\.(js|ts):\d+|node_modules|select .* from|insert into|knex|MikroORM|TypeError|ReferenceError/i;

it('survives 1,000 malformed and hostile requests: well-formed errors, no 5xx, no stack or SQL, bounded memory', async () => {
  // Warm up (first requests compile and cache), then measure.
  await t.gql('{ offers(first: 1) { totalCount } }');
  const before = heapAfterGc();
  const seen = new Map<string, number>();
  const failures: string[] = [];
  const attacks = Array.from({ length: 1_000 }, attack);
  let next = 0;
  const worker = async () => {
    while (next < attacks.length) {
      const i = next++;
      const a = attacks[i]!;
      const response = await fetch(`${t.origin}${a.path ?? '/graphql'}`, {
        method: a.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...a.headers },
        body: a.method === 'GET' ? undefined : a.body,
      });
      const text = await response.text();
      const key = `${a.name.replace(/\d+/g, 'N')} → ${response.status}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const problem = (why: string) =>
        failures.push(`#${i} ${a.name}: ${why} (${response.status}) ${text.slice(0, 200)}`);
      if (response.status >= 500) problem('5xx');
      if (LEAK.test(text)) problem('leaks internals');
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        problem('not JSON');
        continue;
      }
      const results = Array.isArray(body) ? body : [body];
      for (const result of results) {
        const wellFormed =
          (result.errors === undefined || (Array.isArray(result.errors) && result.errors.length > 0)) &&
          (result.errors ?? []).every(
            (e: any) => typeof e.message === 'string' && typeof e.extensions?.code === 'string',
          ) &&
          ('data' in result || result.errors !== undefined);
        if (!wellFormed) problem('not a GraphQL result or error');
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  const after = heapAfterGc();
  console.log(
    `fuzz (seed ${SEED}): ${[...seen]
      .map(([k, n]) => `${k}: ${n}`)
      .sort()
      .join('; ')}\n` +
      `heap after gc ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB`,
  );
  expect(failures).toEqual([]);
  // Nothing of 1,000 requests (up to 250 kB each) stays behind but bounded caches (Apollo keeps
  // parsed documents in an LRU of about 30 MiB).
  expect(after - before).toBeLessThan(48 * 2 ** 20);
  // Still answering normally.
  expect(await t.gql('{ offers(first: 1) { totalCount } }')).toEqual({ data: { offers: { totalCount: 0 } } });
  expect((await fetch(`${t.origin}/readyz`)).status).toBe(200);
}, 120_000);

it('survives hostile WebSocket messages and keeps serving other connections', async () => {
  const url = t.graphqlUrl.replace('http', 'ws');
  const closeCodes: number[] = [];
  const messages = [
    bytes(500),
    'not json',
    json({ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } }), // before connection_init
    json({ type: 'connection_init', payload: 'x' }),
    json({ type: 'connection_init' }) + json({ type: 'subscribe', id: 1, payload: 5 }),
    'x'.repeat(300_000), // over the message size limit
    json({ type: 'connection_init', payload: { authorization: 'Bearer \uD800' } }),
  ];
  for (const message of messages) {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      socket.on('open', () => socket.send(message));
      socket.on('close', (c) => resolve(c));
      socket.on('error', () => undefined);
      setTimeout(() => {
        socket.terminate();
        resolve(-1);
      }, 5_000).unref();
    });
    closeCodes.push(code);
  }
  // Every hostile socket was closed by the hub with a protocol close code (44xx) or 1009 (too big).
  for (const code of closeCodes) expect([4400, 4401, 4403, 4408, 1009, 1002]).toContain(code);
  expect(await t.gql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
});
