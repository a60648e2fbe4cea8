import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import Provider from 'oidc-provider';

/** The hub's audience for client-credentials tokens (AUTH_AUDIENCE of the test hubs). */
export const HUB_AUDIENCE = 'urn:buendnis-hub:api';
export const HUB_CLIENT = { id: 'buendnis-hub', secret: 'hub-client-secret-of-the-tests-0123456789' };
export const SERVICE_CLIENT = { id: 'partner-system', secret: 'partner-system-secret-0123456789abcdef' };
export const STRANGER_CLIENT = { id: 'stranger-system', secret: 'stranger-system-secret-0123456789abcd' };

/** Test identities at the provider (the dev login form takes the login as the account id, any password). */
export const IDENTITIES: Record<string, Record<string, unknown>> = {
  editor: { email: 'editor@vhs-leverkusen.example', email_verified: true, name: 'Editor VHS' },
  casemanager: { email: 'casemanager@kja-leverkusen.example', email_verified: true },
  unverified: { email: 'staff@jobcenter-leverkusen.example', email_verified: false },
  stranger: { email: 'someone@elsewhere.example', email_verified: true },
  deactivated: { email: 'staff3@vhs-leverkusen.example', email_verified: true },
  invited: { email: 'private-address@mail.example', email_verified: true },
};

/** A free TCP port on 127.0.0.1 (the hub's redirect URI must name its port before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestProvider {
  issuer: string;
  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider is untyped.
  provider: any;
  /** A client-credentials access token (JWT) for `resource` (default: the hub's audience). */
  clientCredentialsToken(client?: { id: string; secret: string }, resource?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * panva's oidc-provider (a certified OpenID provider) in this process: the hub's client (code flow with
 * PKCE, refresh tokens bound to the provider's session), two client-credentials clients, the dev login
 * form, and RP-initiated logout.
 */
export async function startTestProvider(options: {
  hubOrigin: string;
  /** Access token lifetime in seconds (short ones make the hub renew). */
  accessTokenTtl?: number;
}): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const ttl = options.accessTokenTtl ?? 600;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: HUB_CLIENT.id,
        client_secret: HUB_CLIENT.secret,
        redirect_uris: [`${options.hubOrigin}/auth/callback`],
        post_logout_redirect_uris: [`${options.hubOrigin}/angebote`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      ...[SERVICE_CLIENT, STRANGER_CLIENT].map((c) => ({
        client_id: c.id,
        client_secret: c.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      })),
    ],
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        ...(IDENTITIES[id] ?? { email: `${id}@unknown.example`, email_verified: true }),
      }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Client-credentials tokens are JWTs for the hub's API; the hub's own sign-in needs none.
        // biome-ignore lint/suspicious/noExplicitAny: oidc-provider context.
        defaultResource: (ctx: any) =>
          ctx.oidc.client?.clientId === HUB_CLIENT.id ? undefined : HUB_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: 'api',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ttl,
        }),
      },
    },
    // Refresh tokens without offline_access: bound to the provider's session, gone when it ends.
    // biome-ignore lint/suspicious/noExplicitAny: oidc-provider client.
    issueRefreshToken: async (_ctx: unknown, client: any) => client.grantTypeAllowed('refresh_token'),
    // The hub is a first-party client: no consent screen.
    // biome-ignore lint/suspicious/noExplicitAny: oidc-provider context.
    loadExistingGrant: async (ctx: any) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: ttl, IdToken: 3_600, RefreshToken: 86_400, Session: 86_400, Grant: 86_400 },
    cookies: { keys: ['oidc-provider-cookie-key-of-the-tests'] },
    pkce: { required: () => true },
  });
  // oidc-provider warns (on stdout) about its development defaults; the tests know.
  provider.on('server_error', (_ctx: unknown, error: Error) => console.error('oidc-provider:', error));
  const server: Server = createHttpServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    provider,
    async clientCredentialsToken(client = SERVICE_CLIENT, resource = HUB_AUDIENCE) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'api' }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies as a browser keeps them for 127.0.0.1 (ports share cookies), without paths or expiry. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attributes.some((a) => {
        const [k, v] = a.trim().split('=');
        return (
          (k?.toLowerCase() === 'max-age' && Number(v) <= 0) ||
          (k?.toLowerCase() === 'expires' && Date.parse(v ?? '') <= Date.now())
        );
      });
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/**
 * A browser's sign-in, over HTTP: /auth/login on the hub → the provider's login form (filled with
 * `login`) → back to the hub's callback → wherever the hub sends the browser. Redirects are followed by
 * hand so that every cookie lands in `jar`. Returns the last response (not a redirect) and its URL.
 */
export async function signInOverHttp(
  hubOrigin: string,
  login: string,
  options: { jar?: CookieJar; path?: string } = {},
): Promise<{ jar: CookieJar; response: Response; url: string; body: string; redirects: string[] }> {
  const jar = options.jar ?? new CookieJar();
  let url = `${hubOrigin}${options.path ?? '/auth/login?returnTo=/angebote'}`;
  let init: RequestInit = {};
  const redirects: string[] = [];
  let loggedIn = false;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      redirects.push(url);
      init = {};
      continue;
    }
    const body = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>[\s\S]*?name="prompt" value="login"/.exec(body);
    if (form && !loggedIn) {
      loggedIn = true;
      url = new URL(form[1]!.replace(/&amp;/g, '&'), url).href;
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
      };
      continue;
    }
    return { jar, response, url, body, redirects };
  }
  throw new Error('too many redirects');
}
