import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AccessControl } from './auth/access-control.js';
import type { AccountAccessCache } from './auth/account-access.js';
import { authenticate, type SessionAuthenticator } from './auth/authenticate.js';
import type { TokenService } from './auth/tokens.js';
import type { Viewer } from './auth/viewer.js';
import type { AuthConfig, PlacesConfig } from './config.js';
import type { EventBus } from './events/event-bus.js';

/**
 * The loaders of one request, one object for all features: each adds its own beside them
 * (`declare module '…/context.js' { interface Loaders extends … }` in its *.loaders.ts), and
 * src/modules/request-scope.ts makes them all per request.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the features' declaration merging.
export interface Loaders {}

/** One request's loaders and policy, made by the features (src/modules/request-scope.ts). */
export interface RequestScope {
  loaders: Loaders;
  access: AccessControl;
}

/**
 * What the context factory needs, made once at start. Features add the services their resolvers use
 * (declaration merging: `declare module '…/context.js' { interface ContextDeps { … } }` beside the
 * service), so this file names none of them.
 */
export interface ContextDeps {
  orm: MikroORM;
  tokens: TokenService;
  /** The accounts authenticate checks, remembered by this instance. */
  accounts: AccountAccessCache;
  auth: AuthConfig;
  places: PlacesConfig;
  bus: EventBus;
  /** Hub sessions (cookie sign-in with the identity provider); undefined without OIDC. */
  sessions?: SessionAuthenticator;
  scope(em: EntityManager, viewer: Viewer): RequestScope;
}

/** What every resolver gets; built by one factory for HTTP and WebSocket alike. */
export interface Context {
  requestId: string;
  /** A fork per request: its own identity map and unit of work. */
  em: EntityManager;
  loaders: Loaders;
  viewer: Viewer;
  access: AccessControl;
  /** The client's address (rate limits). */
  clientAddress: string;
  deps: ContextDeps;
}

export async function createContext(
  deps: ContextDeps,
  request: {
    authorization?: string;
    /** The Cookie header (a hub session counts only with its CSRF token, header or connectionParams). */
    cookie?: string;
    csrfToken?: string;
    clientAddress?: string;
    requestId?: string;
  },
): Promise<Context> {
  const em = deps.orm.em.fork();
  const sessionToken = deps.sessions?.tokenFrom(request.cookie);
  const viewer = await authenticate(
    request.authorization,
    deps.tokens,
    em,
    deps.accounts,
    sessionToken && deps.sessions
      ? { token: sessionToken, csrfToken: request.csrfToken, sessions: deps.sessions }
      : undefined,
  );
  return {
    requestId: request.requestId ?? randomUUID(),
    em,
    ...deps.scope(em, viewer),
    viewer,
    clientAddress: request.clientAddress ?? 'unknown',
    deps,
  };
}

/**
 * A subscription's context lives as long as the subscription; each event is resolved in a context of its
 * own, for the same viewer: a fresh unit of work and fresh loaders (never yesterday's numbers from a
 * cache) and its own policy state (the redactions of that event). The subscription's context is not
 * changed: one event's execution may serve many subscribers (src/graphql/subscription-fan-out.ts).
 */
export function contextForEvent(context: Context): Context {
  const em = context.deps.orm.em.fork();
  return { ...context, em, ...context.deps.scope(em, context.viewer) };
}
