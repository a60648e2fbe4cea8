import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hashSecret, newSecret, SessionKeys } from '../src/modules/identity/session-keys.js';
import { Child, freePort, waitReady } from './lib/children.js';
import type { LoadResult } from './lib/load-generator.js';
import { createScratchDatabase } from './lib/scratch-database.js';

/**
 * `npm run -s bench:sessions [-- --rounds 4 --seconds 5 --connections 10]`: what a request on a hub
 * session cookie (sign-in with the city's provider) costs against the same request with a bearer token,
 * for the same account, on one hub: `{ me { … } }` (little else to do, so authentication is much of it),
 * bearer and cookie runs interleaved so that a machine's drift hits both alike.
 *
 * The session row is written directly (its cookie's hash, as the callback stores it) instead of signing
 * in at a provider: the sign-in is once per session, the per-request path is what is measured — cookie
 * parsed, CSRF token checked (HMAC), the session looked up (remembered per instance), the account
 * checked as for a token. The provider is never contacted: the session has no refresh token to renew.
 */
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'sessions-bench-secret-sessions-bench-secret';
const dist = path.resolve(import.meta.dirname, '..');

const database = await createScratchDatabase(serverUrl);
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const hub = new Child('hub', [path.join(dist, 'src/main.js')], {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: database.url,
  PORT: String(port),
  HOST: '127.0.0.1',
  SEED_DEMO: 'true',
  AUTH_JWT_SECRET: SECRET,
  // Never contacted (see above); sessions need an issuer to be accepted at all.
  OIDC_ISSUER: 'http://127.0.0.1:9/realms/bench',
  OIDC_CLIENT_ID: 'buendnis-hub',
  OIDC_REDIRECT_URI: `${origin}/auth/callback`,
  STATISTICS_WARM: 'false',
  LOG_LEVEL: 'warn',
  // Budgets far above the load: the benchmark measures the hub, not its abuse limits.
  RATE_LIMIT_QUERIES_PER_VIEWER: '1000000',
  RATE_LIMIT_QUERIES_PER_ADDRESS: '1000000',
  RATE_LIMIT_MUTATIONS_PER_VIEWER: '1000000',
  RATE_LIMIT_MUTATIONS_PER_ADDRESS: '1000000',
  EXPIRY_SWEEP_INTERVAL_MS: '3600000',
});

try {
  await waitReady(hub, `${origin}/readyz`, {});
  const login = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        'mutation { login(email: "editor@vhs-leverkusen.example", password: "buendnis-demo-2026") { token } }',
    }),
  });
  const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;

  const session = newSecret();
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await db.query(
    `insert into hub_session (token_hash, account_id, issuer, subject, id_token, expires_at)
     select $1, id, 'http://127.0.0.1:9/realms/bench', 'bench', 'x', now() + interval '1 day'
       from account where email = 'editor@vhs-leverkusen.example'`,
    [hashSecret(session)],
  );
  await db.end();
  const csrf = new SessionKeys(SECRET).csrfToken(hashSecret(session));

  const body = JSON.stringify({ query: '{ me { account { email } organisation { name } roles } }' });
  const base = { 'content-type': 'application/json' };
  const variants = {
    bearer: { ...base, authorization: `Bearer ${token}` },
    cookie: { ...base, cookie: `hub-session=${session}`, 'x-csrf-token': csrf },
  };
  for (const [name, headers] of Object.entries(variants)) {
    const check = await fetch(`${origin}/graphql`, { method: 'POST', headers, body });
    const answer = (await check.json()) as { data?: { me?: { account: { email: string } } } };
    if (answer.data?.me?.account.email !== 'editor@vhs-leverkusen.example')
      throw new Error(`${name} is not signed in: ${JSON.stringify(answer)}`);
  }

  const run = async (headers: Record<string, string>, durationSeconds: number): Promise<LoadResult> => {
    const generator = new Child(
      'load',
      [
        path.join(dist, 'bench/lib/load-generator.js'),
        JSON.stringify({ url: `${origin}/graphql`, body, headers, connections, durationSeconds }),
      ],
      process.env,
    );
    return JSON.parse(await generator.output()) as LoadResult;
  };
  // Warm-up of both paths (JIT, caches, pool), not counted.
  await run(variants.bearer, 2);
  await run(variants.cookie, 2);
  const results: Record<string, LoadResult[]> = { bearer: [], cookie: [] };
  for (let round = 0; round < rounds; round++) {
    // Alternating which goes first, so neither always runs on a warmer machine.
    const order = round % 2 === 0 ? (['bearer', 'cookie'] as const) : (['cookie', 'bearer'] as const);
    for (const name of order) results[name]!.push(await run(variants[name], seconds));
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => {
      const requests = runs.reduce((n, r) => n + r.requests, 0);
      const duration = runs.reduce((n, r) => n + r.durationSeconds, 0);
      const errors = runs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0);
      const meanMs = runs.reduce((n, r) => n + r.mean * r.requests, 0) / requests;
      return [
        name,
        {
          requests,
          errors,
          requestsPerSecond: requests / duration,
          meanLatencyMs: meanMs,
          p99: runs.map((r) => r.p99),
        },
      ];
    }),
  );
  const bearer = summary.bearer!;
  const cookie = summary.cookie!;
  const figures = {
    rounds,
    seconds,
    connections,
    bearer,
    cookie,
    // The hub's own time per request (the server is the bottleneck: 1 / throughput).
    addedServerMicrosecondsPerRequest: Math.round(
      (1 / cookie.requestsPerSecond - 1 / bearer.requestsPerSecond) * 1e6,
    ),
    // What a client waits longer, at this many concurrent connections.
    addedLatencyMicroseconds: Math.round((cookie.meanLatencyMs - bearer.meanLatencyMs) * 1000),
  };
  process.stdout.write(
    `${JSON.stringify({ ...figures, authenticateMicroseconds: await authenticateOnly(token, session, csrf) }, null, 2)}\n`,
  );
} finally {
  await hub.stop();
  await database.drop();
}

/**
 * The authentication step alone, in this process (no network, no GraphQL): a hub of the same build on
 * the same database, its own `authenticate` with the bearer token and with the session cookie, warm
 * caches both — the part of a request that differs between the two, without the machine's noise.
 */
async function authenticateOnly(token: string, session: string, csrfToken: string) {
  const { startHub } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const { authenticate } = await import('../src/auth/authenticate.js');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    SEED_DEMO: 'false',
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: SECRET,
    OIDC_ISSUER: 'http://127.0.0.1:9/realms/bench',
    OIDC_CLIENT_ID: 'buendnis-hub',
    OIDC_REDIRECT_URI: 'http://127.0.0.1:9/auth/callback',
    LOG_LEVEL: 'silent',
  });
  const local = await startHub(config, createLogger('silent'));
  try {
    const em = local.database.orm.em.fork();
    const tokens = new (await import('../src/auth/tokens.js')).TokenService(config.auth);
    const sessions = local.sessions!;
    const cookie = `hub-session=${session}`;
    const variants = {
      bearer: () => authenticate(`Bearer ${token}`, tokens, em, local.accounts),
      cookie: () =>
        authenticate(undefined, tokens, em, local.accounts, {
          token: sessions.tokenFrom(cookie)!,
          csrfToken,
          sessions,
        }),
    };
    const figures: Record<string, number[]> = { bearer: [], cookie: [] };
    for (let round = 0; round < 5; round++) {
      for (const [name, run] of Object.entries(variants)) {
        for (let i = 0; i < 2_000; i++) await run();
        const started = performance.now();
        for (let i = 0; i < 20_000; i++) await run();
        figures[name]!.push(Math.round(((performance.now() - started) / 20_000) * 10_000) / 10);
      }
    }
    return figures;
  } finally {
    await local.stop();
  }
}
