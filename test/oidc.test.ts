import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { safeReturnTo } from '../src/modules/identity/auth.router.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import {
  CookieJar,
  freePort,
  HUB_AUDIENCE,
  HUB_CLIENT,
  SERVICE_CLIENT,
  STRANGER_CLIENT,
  signInOverHttp,
  startTestProvider,
  type TestProvider,
} from './helpers/oidc.js';

/**
 * Sign-in with an OpenID provider — panva's certified oidc-provider, in this process, no protocol
 * mocked: the code flow with PKCE driven over HTTP, linking, sessions and their end, and API tokens.
 */
let idp: TestProvider;
let other: TestProvider;
let t: TestHub;
let hubOrigin: string;
let db: pg.Client;
const ME = '{ me { account { email } organisation { name } roles } }';

beforeAll(async () => {
  const port = await freePort();
  hubOrigin = `http://127.0.0.1:${port}`;
  // A short-lived access token: the hub renews the session with the refresh token every few seconds.
  idp = await startTestProvider({ hubOrigin, accessTokenTtl: 14 });
  other = await startTestProvider({ hubOrigin });
  t = await startTestHub('oidc', {
    env: {
      PORT: String(port),
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: HUB_CLIENT.id,
      OIDC_CLIENT_SECRET: HUB_CLIENT.secret,
      OIDC_REDIRECT_URI: `${hubOrigin}/auth/callback`,
      OIDC_POST_LOGOUT_REDIRECT_URI: `${hubOrigin}/angebote`,
      AUTH_AUDIENCE: HUB_AUDIENCE,
      OIDC_SERVICE_ACCOUNTS: JSON.stringify({
        [SERVICE_CLIENT.id]: { account: 'staff@jobcenter-leverkusen.example' },
      }),
    },
  });
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
  await idp?.stop();
  await other?.stop();
});

/** A GraphQL request as the hub's pages send it on a cookie session. */
const cookieGql = async (jar: CookieJar, query: string, csrf: string | undefined = jar.get('hub-csrf')) => {
  const response = await fetch(`${hubOrigin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: jar.header(),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    body: JSON.stringify({ query }),
  });
  jar.store(response);
  return (await response.json()) as {
    data?: { me: { account: { email: string }; roles: string[] } | null } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
};

/** Signs out at the provider itself (its own page and confirmation), as a person would elsewhere. */
async function providerSignOut(jar: CookieJar) {
  const page = await fetch(`${idp.issuer}/session/end`, { headers: { cookie: jar.header() } });
  jar.store(page);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields.set(name!, value!);
  fields.set('logout', 'yes');
  const done = await fetch(new URL(action, idp.issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  jar.store(done);
  expect(done.status).toBeLessThan(400);
}

describe('sign-in with the identity provider (authorization code flow, PKCE)', () => {
  it('links by a verified e-mail address on first sign-in and gives a cookie session the same viewer as a token', async () => {
    const { jar, url, redirects } = await signInOverHttp(hubOrigin, 'editor');
    expect(url).toBe(`${hubOrigin}/angebote`);
    // The provider was asked for S256 PKCE, state and nonce, at exactly the registered redirect URI.
    const authorize = new URL(redirects.find((r) => r.startsWith(`${idp.issuer}/auth?`))!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${hubOrigin}/auth/callback`);
    expect(jar.get('hub-session')).toBeTruthy();
    expect(jar.get('hub-oidc-flow')).toBeUndefined();

    const session = await (
      await fetch(`${hubOrigin}/auth/session`, { headers: { cookie: jar.header() } })
    ).json();
    expect(session).toMatchObject({
      signedIn: true,
      oidc: true,
      passwordLogin: true,
      csrfToken: jar.get('hub-csrf'),
      account: { email: 'editor@vhs-leverkusen.example' },
    });
    const me = await cookieGql(jar, ME);
    expect(me.data?.me?.account.email).toBe('editor@vhs-leverkusen.example');
    expect(me.data?.me?.roles).toContain('PARTNER_EDITOR');
    // Only a hash of the cookie's secret is stored; the link names issuer and subject.
    const { rows } = await db.query(
      `select l.linked_by, l.subject, s.token_hash from identity_link l join hub_session s on s.account_id = l.account_id
        join account a on a.id = l.account_id where a.email = 'editor@vhs-leverkusen.example'`,
    );
    expect(rows[0]).toMatchObject({ linked_by: 'email', subject: 'editor' });
    expect(rows[0].token_hash).not.toBe(jar.get('hub-session'));
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ and the CSRF cookie readable', async () => {
    const { redirects } = await signInOverHttp(hubOrigin, 'editor');
    const callback = redirects.find((r) => r.startsWith(`${hubOrigin}/auth/callback`))!;
    // Replaying the provider's callback is refused: its flow cookie was used up.
    const replay = await fetch(callback, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('Anmeldung abgelaufen');
    const fresh = await signInOverHttp(hubOrigin, 'editor', { path: '/auth/login?returnTo=/faelle' });
    expect(fresh.url).toBe(`${hubOrigin}/faelle`);
  });

  it('returns only to paths of the hub', async () => {
    const evil = await signInOverHttp(hubOrigin, 'editor', {
      path: `/auth/login?returnTo=${encodeURIComponent('//evil.example/x')}`,
    });
    expect(evil.url).toBe(`${hubOrigin}/`);
    const origin = 'https://hub.example';
    expect(safeReturnTo('/angebote?x=1#a', origin)).toBe('/angebote?x=1#a');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/a\nb',
      42,
    ])
      expect(safeReturnTo(bad, origin)).toBe('/');
  });

  it('refuses an unknown identity and an unverified e-mail address with a German page, and deactivated accounts', async () => {
    for (const login of ['stranger', 'unverified']) {
      const { response, body } = await signInOverHttp(hubOrigin, login);
      expect(response.status).toBe(403);
      expect(body).toContain('Für dieses Konto der Stadt gibt es im Bündnis Hub keinen Zugang');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    const { response, body } = await signInOverHttp(hubOrigin, 'deactivated');
    expect(response.status).toBe(403);
    expect(body).toContain('gesperrt');
    const { rows } = await db.query(
      `select count(*)::int as n from identity_link where subject in ('stranger', 'unverified')`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('links through an admin’s one-time invitation', async () => {
    const login = await t.gql<{ login: { token: string } }>(
      'mutation { login(email: "admin@ki-leverkusen.example", password: "buendnis-demo-2026") { token } }',
    );
    const admin = login.data!.login.token;
    const invite =
      'mutation { createSignInInvitation(email: "staff@jobcenter-leverkusen.example") { url expiresAt email } }';
    const created = await t.gql<{ createSignInInvitation: { url: string } }>(invite, {}, { token: admin });
    const url = new URL(created.data!.createSignInInvitation.url);
    expect(url.origin + url.pathname).toBe(`${hubOrigin}/auth/login`);

    const editorToken = (
      await t.gql<{ login: { token: string } }>(
        'mutation { login(email: "editor@vhs-leverkusen.example", password: "buendnis-demo-2026") { token } }',
      )
    ).data!.login.token;
    const refused = await t.gql(invite, {}, { token: editorToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { jar, url: landed } = await signInOverHttp(hubOrigin, 'invited', {
      path: url.pathname + url.search,
    });
    expect(landed).toBe(`${hubOrigin}/`);
    expect((await cookieGql(jar, ME)).data?.me?.account.email).toBe('staff@jobcenter-leverkusen.example');
    // Used once: the same link again is refused.
    const again = await signInOverHttp(hubOrigin, 'casemanager', { path: url.pathname + url.search });
    expect(again.body).toContain('Einladung ungültig');
  });
});

describe('cookie sessions: CSRF, sign-out, renewal', () => {
  it('refuses cookie requests without the CSRF token, and simple content types', async () => {
    const { jar } = await signInOverHttp(hubOrigin, 'editor');
    const missing = await cookieGql(jar, ME, '');
    expect(missing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wrong = await cookieGql(jar, ME, 'x'.repeat(43));
    expect(wrong.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const form = await fetch(`${hubOrigin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: jar.header(), 'x-csrf-token': jar.get('hub-csrf')! },
      body: JSON.stringify({ query: ME }),
    });
    expect(form.status).toBe(415);
    // Sign-out needs the token too.
    const logout = await fetch(`${hubOrigin}/auth/logout`, {
      method: 'POST',
      headers: { cookie: jar.header(), accept: 'application/json' },
    });
    expect(logout.status).toBe(403);
  });

  it('signs out: the hub session ends and the browser goes to the provider’s end_session_endpoint', async () => {
    const { jar } = await signInOverHttp(hubOrigin, 'editor');
    const logout = await fetch(`${hubOrigin}/auth/logout`, {
      method: 'POST',
      headers: { cookie: jar.header(), accept: 'application/json', 'x-csrf-token': jar.get('hub-csrf')! },
    });
    const { redirectTo } = (await logout.json()) as { redirectTo: string };
    const end = new URL(redirectTo);
    expect(end.origin + end.pathname).toBe(`${idp.issuer}/session/end`);
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${hubOrigin}/angebote`);
    const old = new CookieJar();
    for (const [k, v] of jar.cookies) old.cookies.set(k, v);
    jar.store(logout);
    expect(jar.get('hub-session')).toBeUndefined();
    const after = await cookieGql(old, ME);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const { rows } = await db.query(
      `select count(*)::int as n from hub_session where end_reason = 'sign_out'`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('renews the provider’s tokens when the access token runs out, and ends when the provider’s session ended', async () => {
    const { jar } = await signInOverHttp(hubOrigin, 'casemanager');
    const accessExpiry = async () =>
      (
        await db.query(
          `select access_expires_at from hub_session where subject = 'casemanager' and ended_at is null`,
        )
      ).rows[0]?.access_expires_at?.getTime();
    const first = await accessExpiry();
    await expect
      .poll(
        async () => {
          expect((await cookieGql(jar, ME)).data?.me?.account.email).toBe(
            'casemanager@kja-leverkusen.example',
          );
          return await accessExpiry();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBeGreaterThan(first);

    await providerSignOut(jar);
    await expect
      .poll(async () => (await cookieGql(jar, ME)).errors?.[0]?.extensions?.code ?? 'signed in', {
        timeout: 20_000,
        interval: 1_000,
      })
      .toBe('UNAUTHENTICATED');
    const { rows } = await db.query(
      `select end_reason from hub_session where subject = 'casemanager' order by created_at desc limit 1`,
    );
    expect(rows[0].end_reason).toBe('refresh_refused');
  });

  it('closes the session’s WebSocket with 4401 when the renewal is refused; refuses a foreign Origin', async () => {
    const { jar } = await signInOverHttp(hubOrigin, 'editor');
    const open = (origin: string, csrfToken = jar.get('hub-csrf')) =>
      new Promise<{ socket: WebSocket; closed: Promise<number>; acked: Promise<boolean> }>((resolve) => {
        const socket = new WebSocket(`${hubOrigin.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
          headers: { cookie: jar.header(), origin },
        });
        let ack: (ok: boolean) => void = () => undefined;
        const acked = new Promise<boolean>((r) => {
          ack = r;
        });
        const closed = new Promise<number>((r) => {
          socket.on('close', (code) => {
            ack(false);
            r(code);
          });
        });
        socket.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'connection_ack') ack(true);
        });
        socket.on('open', () =>
          socket.send(JSON.stringify({ type: 'connection_init', payload: { csrfToken } })),
        );
        resolve({ socket, closed, acked });
      });
    const foreign = await open('https://evil.example');
    expect(await foreign.acked).toBe(false);
    const noCsrf = await open(hubOrigin, '');
    expect(await noCsrf.acked).toBe(false);

    const live = await open(hubOrigin);
    expect(await live.acked).toBe(true);
    await providerSignOut(jar);
    expect(await live.closed).toBe(4401);
  });
});

describe('password sign-in switched off', () => {
  it('refuses login with a clear error and tells the pages', async () => {
    const off = await startTestHub('oidc_nopw', {
      seed: false,
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: HUB_CLIENT.id,
        OIDC_REDIRECT_URI: 'http://127.0.0.1:9/auth/callback',
        PASSWORD_LOGIN: 'false',
      },
    });
    try {
      const login = await off.gql('mutation { login(email: "a@b.example", password: "x") { token } }');
      expect(login.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(login.errors?.[0]?.message).toMatch(/Password sign-in is switched off/);
      const session = await (await fetch(`${off.origin}/auth/session`)).json();
      expect(session).toEqual({ passwordLogin: false, oidc: true, signedIn: false });
    } finally {
      await off.stop();
    }
  });
});

describe('API clients: client-credentials tokens of the issuer', () => {
  it('maps a listed client to its account, and refuses other clients, audiences and issuers', async () => {
    const token = await idp.clientCredentialsToken();
    const me = await t.gql<{ me: { account: { email: string }; roles: string[] } }>(ME, {}, { token });
    expect(me.data?.me.account.email).toBe('staff@jobcenter-leverkusen.example');
    expect(me.data?.me.roles).toEqual(['PARTNER_STAFF']);

    const refusals = [
      await idp.clientCredentialsToken(STRANGER_CLIENT),
      await idp.clientCredentialsToken(SERVICE_CLIENT, 'urn:another:api'),
      await other.clientCredentialsToken(),
    ];
    for (const refused of refusals) {
      const answer = await t.gql(ME, {}, { token: refused });
      expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
