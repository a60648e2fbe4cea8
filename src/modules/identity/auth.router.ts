import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Request, type Response, Router } from 'express';
import * as client from 'openid-client';
import type { OidcIssuer } from '../../auth/oidc-issuer.js';
import type { Logger } from '../../logger.js';
import type { OidcConfig } from '../../oidc.config.js';
import { cookieValue, type SessionCookies } from './cookies.js';
import { accountForIdentity } from './linking.js';
import { REFUSALS, sendSignInPage } from './pages.js';
import type { SessionService } from './session.service.js';
import { sameText } from './session-keys.js';

/** How long a sign-in may take at the provider (the flow cookie's life). */
const FLOW_SECONDS = 600;
const INVITATION = /^[A-Za-z0-9_-]{43}$/;

/**
 * A path of this hub to return to after sign-in: only same-origin paths (`/angebote?x=1`), never
 * `//evil.example`, `/\evil.example` or an absolute URL — anything else is `/`.
 */
export function safeReturnTo(value: unknown, origin: string): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return '/';
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f]/.test(value) || value.length > 2_000) return '/';
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

export interface AuthRouterOptions {
  orm: MikroORM;
  logger: Logger;
  cookies: SessionCookies;
  passwordLogin: boolean;
  /** Undefined without OIDC: /auth/session still answers (password sign-in only). */
  oidc?: { config: OidcConfig; issuer: OidcIssuer; sessions: SessionService };
}

/**
 * The token handler (backend for frontend): the hub is the OpenID Connect client of the city's
 * provider, runs the authorization code flow with PKCE itself and gives the browser only an HttpOnly
 * session cookie — no token ever reaches the page's JavaScript or the browser's storage.
 *
 *   GET  /auth/login?returnTo=/angebote   → the provider's sign-in (state, nonce, PKCE S256)
 *   GET  /auth/callback                   → code → tokens → linked account → hub session → returnTo
 *   POST /auth/logout                     → session ended → the provider's end_session_endpoint
 *   GET  /auth/session                    → who is signed in, until when, the CSRF token
 */
export function createAuthRouter(options: AuthRouterOptions): Router {
  const { cookies, logger, oidc } = options;
  const router = Router();
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  const origin = oidc ? new URL(oidc.config.redirectUri).origin : undefined;

  router.get('/session', async (req, res) => {
    const token = cookieValue(req.headers.cookie, cookies.session);
    const session = token && oidc ? await oidc.sessions.current(token) : undefined;
    if (token && !session) cookies.clearSession(res);
    let account:
      | { email: string; display_name: string; organisation_id: string; organisation: string }
      | undefined;
    if (session) {
      [account] = await options.orm.em.fork().execute(
        `select a.email, a.display_name, a.organisation_id, o.name as organisation
             from account a join organisation o on o.id = a.organisation_id where a.id = ?`,
        [session.accountId],
      );
    }
    res.json({
      passwordLogin: options.passwordLogin,
      oidc: oidc !== undefined,
      signedIn: session !== undefined && account !== undefined,
      ...(session && account
        ? {
            expiresAt: new Date(session.expiresAt).toISOString(),
            csrfToken: session.csrfToken,
            account: {
              email: account.email,
              displayName: account.display_name,
              organisationId: account.organisation_id,
              organisation: account.organisation,
            },
          }
        : {}),
    });
  });

  if (!oidc || !origin) {
    router.all(['/login', '/callback', '/logout'], (_req, res) =>
      sendSignInPage(res, 404, { ...REFUSALS.disabled, back: '/' }),
    );
    return router;
  }
  const { config, issuer, sessions } = oidc;

  router.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo, origin);
    const invitation = typeof req.query.invitation === 'string' ? req.query.invitation : undefined;
    if (invitation !== undefined && !INVITATION.test(invitation)) {
      sendSignInPage(res, 400, { ...REFUSALS.invitation, back: '/' });
      return;
    }
    let configuration: client.Configuration;
    try {
      configuration = await issuer.discover();
    } catch (error) {
      logger.error({ err: error, issuer: config.issuer }, 'OIDC discovery failed');
      sendSignInPage(res, 502, { ...REFUSALS.unavailable, back: returnTo });
      return;
    }
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: config.redirectUri,
      response_type: 'code',
      scope: config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const flow = { state, nonce, verifier, returnTo, ...(invitation ? { invitation } : {}) };
    cookies.setFlow(res, await sessions.keys.sealFlow(flow, FLOW_SECONDS), FLOW_SECONDS * 1000);
    res.redirect(303, url.href);
  });

  router.get('/callback', async (req, res) => {
    const sealed = cookieValue(req.headers.cookie, cookies.flow);
    const flow = sealed ? await sessions.keys.openFlow(sealed) : undefined;
    cookies.clearFlow(res);
    const returnTo = safeReturnTo(flow?.returnTo, origin);
    if (
      !flow ||
      typeof flow.state !== 'string' ||
      typeof flow.nonce !== 'string' ||
      typeof flow.verifier !== 'string'
    ) {
      sendSignInPage(res, 400, { ...REFUSALS.expired, back: returnTo });
      return;
    }
    // Exactly the registered redirect URI with the provider's parameters (never the Host header's idea).
    const callbackUrl = new URL(config.redirectUri);
    callbackUrl.search = new URL(req.originalUrl, origin).search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(await issuer.discover(), callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      logger.warn({ err: error }, 'OIDC callback refused');
      const denied = error instanceof client.AuthorizationResponseError;
      sendSignInPage(res, denied ? 403 : 400, { ...REFUSALS.failed, back: returnTo });
      return;
    }
    const idClaims = tokens.claims()!;
    let claims: Record<string, unknown> = { ...idClaims };
    // Providers (oidc-provider by default) may give e-mail and roles only at the userinfo endpoint.
    const needed = ['email', ...(config.rolesClaim ? [config.rolesClaim.split('.')[0]!] : [])];
    if (needed.some((n) => claims[n] === undefined)) {
      try {
        const info = await client.fetchUserInfo(await issuer.discover(), tokens.access_token, idClaims.sub);
        claims = { ...info, ...claims };
      } catch (error) {
        logger.warn({ err: error }, 'OIDC userinfo failed; going on with the ID token’s claims');
      }
    }
    const em = options.orm.em.fork();
    const linked = await accountForIdentity(em, {
      issuer: idClaims.iss,
      subject: idClaims.sub,
      claims,
      invitation: typeof flow.invitation === 'string' ? flow.invitation : undefined,
      rolesClaim: config.rolesClaim,
    });
    if ('refused' in linked) {
      logger.info(
        { issuer: idClaims.iss, subject: idClaims.sub, reason: linked.refused },
        'OIDC sign-in refused',
      );
      sendSignInPage(res, 403, { ...REFUSALS[linked.refused], back: returnTo });
      return;
    }
    const session = await sessions.create({
      accountId: linked.accountId,
      issuer: idClaims.iss,
      subject: idClaims.sub,
      providerSid: typeof idClaims.sid === 'string' ? idClaims.sid : undefined,
      roles: linked.roles,
      idToken: tokens.id_token!,
      refreshToken: tokens.refresh_token,
      accessExpiresIn: tokens.expiresIn(),
    });
    const current = await sessions.current(session.token);
    cookies.setSession(res, session.token, current!.csrfToken, session.expiresAt.getTime() - Date.now());
    logger.info(
      { accountId: linked.accountId, sessionId: session.id },
      'signed in with the identity provider',
    );
    res.redirect(303, returnTo);
  });

  // A form field as well as the header: sign-out also works from a plain form.
  router.post('/logout', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const token = cookieValue(req.headers.cookie, cookies.session);
    const session = token ? await sessions.current(token) : undefined;
    const given = req.get('x-csrf-token') ?? (req.body as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (session && !sameText(session.csrfToken, typeof given === 'string' ? given : undefined)) {
      res.status(403).json({ error: 'The CSRF token is missing or wrong (header X-CSRF-Token).' });
      return;
    }
    cookies.clearSession(res);
    // No live session (it ended elsewhere): nothing to end at the provider, the page just forgets it.
    if (!session) {
      if (req.accepts(['html', 'json']) === 'json') res.json({ redirectTo: null });
      else res.redirect(303, '/');
      return;
    }
    let redirectTo = config.postLogoutRedirectUri ?? `${origin}/`;
    const { idToken } = await sessions.end(session.id, 'sign_out');
    try {
      const configuration = await issuer.discover();
      if (configuration.serverMetadata().end_session_endpoint) {
        redirectTo = client.buildEndSessionUrl(configuration, {
          ...(idToken ? { id_token_hint: idToken } : {}),
          ...(config.postLogoutRedirectUri ? { post_logout_redirect_uri: config.postLogoutRedirectUri } : {}),
        }).href;
      }
    } catch (error) {
      logger.warn({ err: error }, 'OIDC discovery failed at sign-out; the hub session is ended');
    }
    sendRedirect(req, res, redirectTo);
  });

  return router;
}

/** Scripts (fetch) get the address to go to as JSON; a form submission gets the redirect. */
function sendRedirect(req: Request, res: Response, location: string): void {
  if (req.accepts(['html', 'json']) === 'json') res.json({ redirectTo: location });
  else res.redirect(303, location);
}
