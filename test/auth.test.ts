import { createServer, type Server } from 'node:http';
import { createClient } from 'graphql-ws';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_PASSWORD } from '../seeds/demo.js';
import { Role } from '../src/domain/enums.js';
import { startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';
import { runScript } from './helpers/run.js';
import { tokenFor } from './helpers/tokens.js';

const ISSUER = 'https://login.example/realms/buendnis';
const AUDIENCE = 'buendnis-hub';
const secret = new TextEncoder().encode(TEST_JWT_SECRET);

let t: TestHub;
let jwks: Server;
let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
let editor: { accountId: string; organisationId: string };

beforeAll(async () => {
  // A stand-in for a city's OIDC provider: its key set on 127.0.0.1.
  rsa = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'city-key', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const port = (jwks.address() as { port: number }).port;
  t = await startTestHub('auth', {
    env: {
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      LOGIN_MAX_FAILURES: '3',
    },
  });
  editor = await tokenFor(t.hub.database.orm, [Role.PARTNER_EDITOR]);
});

afterAll(async () => {
  await t?.stop();
  jwks?.close();
});

const ME = '{ me { account { id email } organisation { id name } roles } }';

const hs256 = (
  claims: Record<string, unknown> = {},
  tweak?: (j: SignJWT) => SignJWT,
  who: { accountId: string; organisationId: string } = editor,
) => {
  let jwt = new SignJWT({ org: who.organisationId, roles: ['PARTNER_EDITOR'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(who.accountId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m');
  if (tweak) jwt = tweak(jwt);
  return jwt.sign(secret);
};

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

describe('access tokens', () => {
  it('accepts a valid HS256 token and an RS256 token of the configured identity provider', async () => {
    const res = await t.gql<any>(ME, {}, { token: await hs256() });
    expect(res.errors).toBeUndefined();
    expect(res.data.me.roles).toEqual(['PARTNER_EDITOR']);
    const oidc = await new SignJWT({ org: editor.organisationId, roles: ['PARTNER_STAFF'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'city-key' })
      .setSubject(editor.accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(rsa.privateKey);
    const viaOidc = await t.gql<any>(ME, {}, { token: oidc });
    expect(viaOidc.errors).toBeUndefined();
    expect(viaOidc.data.me.roles).toEqual(['PARTNER_STAFF']);
  });

  it('treats no token as the public', async () => {
    const res = await t.gql<any>(ME);
    expect(res.data).toEqual({ me: null });
  });

  it('rejects every kind of bad token with UNAUTHENTICATED, never as the public', async () => {
    const other = new TextEncoder().encode('another-secret-that-is-long-enough-000000');
    const [header, payload] = (await hs256()).split('.');
    const algNone = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const cases: Record<string, string> = {
      expired: await hs256({}, (j) => j.setExpirationTime(Math.floor(Date.now() / 1000) - 60)),
      'not yet valid': await hs256({}, (j) => j.setNotBefore('1h')),
      'wrong signature': await new SignJWT({ org: editor.organisationId, roles: ['PARTNER_EDITOR'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(editor.accountId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(other),
      'wrong issuer': await hs256({}, (j) => j.setIssuer('https://evil.example')),
      'wrong audience': await hs256({}, (j) => j.setAudience('another-api')),
      'alg none': algNone,
      'tampered payload': `${header}.${Buffer.from(JSON.stringify({ sub: editor.accountId, org: editor.organisationId, roles: ['ADMIN'] })).toString('base64url')}.x`,
      'unknown account': await hs256({}, (j) => j.setSubject('00000000-0000-4000-8000-000000000000')),
      'organisation mismatch': await hs256({ org: '00000000-0000-4000-8000-000000000001' }),
      'role the account does not hold': await hs256({ roles: ['ADMIN'] }),
      'unknown role': await hs256({ roles: ['SUPERUSER'] }),
      garbage: 'not.a.token',
    };
    for (const [name, token] of Object.entries(cases)) {
      const response = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ offers(first: 1) { totalCount } }' }),
      });
      const body = (await response.json()) as any;
      expect(codeOf(body), name).toBe('UNAUTHENTICATED');
      expect(response.status, name).toBe(401);
      expect(body.data ?? null, name).toBeNull();
      expect(JSON.stringify(body), name).not.toMatch(/stack|jose|at .*\.js/i);
    }
    const basic = await t.gql<any>(ME, {}, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(codeOf(basic)).toBe('UNAUTHENTICATED');
  });

  it('rejects tokens of a deactivated organisation or account once the change has reached the hub', async () => {
    const em = t.hub.database.orm.em.fork();
    const found = await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF]);
    const staff = { ...found, token: await hs256({ roles: ['PARTNER_STAFF'] }, undefined, found) };
    // The account check is remembered and dropped on the change's outbox event, milliseconds later.
    const codeSoon = async (unlike: string | undefined) => {
      const until = Date.now() + 2_000;
      for (;;) {
        const code = codeOf(await t.gql<any>(ME, {}, { token: staff.token }));
        if (code !== unlike || Date.now() > until) return code;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    expect((await t.gql<any>(ME, {}, { token: staff.token })).errors).toBeUndefined();
    try {
      await em.execute('update organisation set active = false where id = ?', [staff.organisationId]);
      expect(await codeSoon(undefined)).toBe('UNAUTHENTICATED');
      await em.execute('update organisation set active = true where id = ?', [staff.organisationId]);
      expect(await codeSoon('UNAUTHENTICATED')).toBeUndefined();
      await em.execute('update account set active = false where id = ?', [staff.accountId]);
      expect(await codeSoon(undefined)).toBe('UNAUTHENTICATED');
    } finally {
      await em.execute('update organisation set active = true where id = ?', [staff.organisationId]);
      await em.execute('update account set active = true where id = ?', [staff.accountId]);
    }
  });

  it('authenticates WebSocket clients with the same rules (connectionParams)', async () => {
    const run = (authorization?: string) =>
      new Promise<any>((resolve) => {
        const client = createClient({
          url: t.graphqlUrl.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: authorization ? { authorization } : {},
        });
        let result: any;
        client.subscribe(
          { query: ME },
          {
            next: (v) => (result = v),
            error: (e) => {
              void client.dispose();
              resolve({ errors: Array.isArray(e) ? e : [e] });
            },
            complete: () => {
              void client.dispose();
              resolve(result);
            },
          },
        );
      });
    expect((await run(`Bearer ${await hs256()}`)).data.me.roles).toEqual(['PARTNER_EDITOR']);
    expect((await run()).data).toEqual({ me: null });
    // A bad token is refused for the whole connection: the socket closes with 4403, never the public.
    const code = await new Promise<number>((resolve) => {
      const client = createClient({
        url: t.graphqlUrl.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: { authorization: 'Bearer not.a.token' },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe(
        { query: ME },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    expect(code).toBe(4403);
  });
});

describe('sign-in', () => {
  const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt } }';

  it('signs in a demo account and returns a short-lived token that works', async () => {
    const res = await t.gql<any>(LOGIN, { e: 'Editor@VHS-Leverkusen.example', p: DEMO_PASSWORD });
    expect(res.errors).toBeUndefined();
    const expiresIn = Date.parse(res.data.login.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(3_600_000);
    const me = await t.gql<any>(ME, {}, { token: res.data.login.token });
    expect(me.data.me.account.email).toBe('editor@vhs-leverkusen.example');
    expect(me.data.me.roles).toEqual(['PARTNER_EDITOR', 'PARTNER_STAFF']);
  });

  it('answers wrong password, unknown address and deactivated accounts alike', async () => {
    const attempts = [
      ['staff@kolping-leverkusen.example', 'falsch'],
      ['niemand@nirgendwo.example', DEMO_PASSWORD],
      ['staff3@vhs-leverkusen.example', DEMO_PASSWORD], // deactivated account
      ['staff@malerbetrieb-kaya.example', DEMO_PASSWORD], // deactivated organisation
    ];
    const messages = new Set<string>();
    for (const [e, p] of attempts) {
      const res = await t.gql<any>(LOGIN, { e, p });
      expect(codeOf(res), e).toBe('UNAUTHENTICATED');
      messages.add(res.errors![0]!.message);
    }
    expect(messages.size).toBe(1);
    expect(codeOf(await t.gql<any>(LOGIN, { e: '', p: 'x' }))).toBe('BAD_USER_INPUT');
  });

  it('blocks an account after repeated failures, even for the right password, and says when to retry', async () => {
    const e = 'staff@ihk-leverkusen.example';
    for (let i = 0; i < 3; i++)
      expect(codeOf(await t.gql<any>(LOGIN, { e, p: `wrong-${i}` }))).toBe('UNAUTHENTICATED');
    const blocked = await t.gql<any>(LOGIN, { e, p: DEMO_PASSWORD });
    expect(codeOf(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    // Other accounts are not affected.
    expect(
      (await t.gql<any>(LOGIN, { e: 'staff@hwk-leverkusen.example', p: DEMO_PASSWORD })).errors,
    ).toBeUndefined();
  });
});

describe('token command line', () => {
  it('prints only a token for an account with the asked roles, of the asked organisation', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: t.database.url,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
    };
    const run = (...args: string[]) => runScript('dist/src/cli/token.js', args, env);
    const out = await run('--roles', 'CASE_MANAGER');
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n')).toHaveLength(1);
    const me = await t.gql<any>(ME, {}, { token: out.stdout.trim() });
    expect(me.data.me.roles).toEqual(['CASE_MANAGER']);

    const org = me.data.me.organisation.id;
    const scoped = await run('--roles', 'PARTNER_STAFF', '--org', org);
    expect(scoped.status).toBe(0);
    expect((await t.gql<any>(ME, {}, { token: scoped.stdout.trim() })).data.me.organisation.id).toBe(org);

    expect((await run('--roles', 'KING')).status).toBe(2);
    const none = await run('--roles', 'ADMIN', '--org', org);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
  });
});
