import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { OidcIssuer } from '../auth/oidc-issuer.js';
import { type Context, type ContextDeps, createContext } from '../context.js';
import { isDatabaseReachable } from '../db/database.js';
import { ErrorCode } from '../errors.js';
import { createFormatError, redactionReportPlugin } from '../graphql/errors.plugin.js';
import { stringifyResult } from '../graphql/raw-json.js';
import type { HardeningConfig } from '../hardening.config.js';
import {
  addressOf,
  corsMiddleware,
  graphqlRequestRules,
  httpErrorHandler,
  upgradeAddressOf,
} from '../http/http-rules.js';
import { contextFailure, OperationGuard, requestedOperations } from '../http/operation-guard.js';
import { RequestRateLimiter } from '../http/rate-limit.js';
import type { LimiterStore } from '../limits/limiter-store.js';
import type { Logger } from '../logger.js';
import { createHsdsRouter } from '../modules/hsds/hsds.router.js';
import { createAuthRouter } from '../modules/identity/auth.router.js';
import { SessionCookies } from '../modules/identity/cookies.js';
import type { SessionService } from '../modules/identity/session.service.js';
import { createImportRouter } from '../modules/import/import.router.js';
import { createSavedSearchRouter } from '../modules/saved-search/saved-search.router.js';
import { createExportRouter } from '../modules/search/export.router.js';
import type { HubMetrics } from '../observability/metrics.js';
import {
  attachRequestInfo,
  graphqlInfo,
  requestInfoOf,
  requestLogger,
} from '../observability/request-log.js';
import type { OidcConfig } from '../oidc.config.js';
import { createWebRouter } from '../web/static.js';
import { GRAPHQL_PATH } from './paths.js';
import { serveGraphqlOverWebSocket } from './websocket.js';
import { WsGuard } from './ws-guard.js';

export { GRAPHQL_PATH };

export interface HubServer {
  httpServer: Server;
  /** Resolves with the bound address once listening (port 0 picks a free port). */
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  /**
   * From now on /readyz answers 503 "draining" while everything else is served as before, and HTTP
   * responses close their connection, so that no kept-alive connection is left for the stop to cut.
   */
  startDraining(): void;
  /**
   * Stops accepting, lets in-flight requests finish (up to the grace period), closes sockets, then
   * reports the request budgets this instance counted and the store has not seen yet.
   */
  stop(): Promise<void>;
}

export async function createHubServer(options: {
  schema: GraphQLSchema;
  deps: ContextDeps;
  logger: Logger;
  shutdownGraceMs: number;
  production: boolean;
  /** Serve the GraphiQL playground (config PLAYGROUND). */
  playground: boolean;
  subscriptionLimits: { perConnection: number; perViewer: number };
  hardening: HardeningConfig;
  /** Where request budgets are counted (shared by the instances). */
  limiterStore: LimiterStore;
  /** Sign-in: the password form's switch and, when configured, the identity provider's sessions. */
  identity?: {
    passwordLogin: boolean;
    oidc?: { config: OidcConfig; issuer: OidcIssuer; sessions: SessionService };
  };
  apolloPlugins?: ApolloServerPlugin<Context>[];
}): Promise<HubServer> {
  const { schema, deps, logger, hardening } = options;
  const { orm } = deps;
  const { limits } = hardening;
  const app = express();
  app.disable('x-powered-by');
  // res.send would hash every GraphQL answer for an ETag nobody revalidates (POST); pages set their own.
  app.set('etag', false);
  // Behind a reverse proxy the client address (rate limits) comes from X-Forwarded-For, if trusted.
  app.set('trust proxy', hardening.trustProxy);
  const httpServer = createServer(app);
  // The WebSocket client's address, as for HTTP (X-Forwarded-For only when TRUST_PROXY says so).
  const addressOfSocket = (request: IncomingMessage) =>
    upgradeAddressOf(request, app.get('trust proxy fn') as ((a: string, i: number) => boolean) | undefined);

  const allowlist = hardening.operationsAllowlist;
  const oidc = options.identity?.oidc;
  const cookies = oidc?.sessions.cookies ?? new SessionCookies(false);
  const sessionTokenOf = (cookieHeader: string | undefined) => oidc?.sessions.tokenFrom(cookieHeader);
  const guard = new WsGuard(orm, options.subscriptionLimits, logger, oidc?.sessions);
  // prom-client (and its default collectors) only when metrics are served: nothing else reads them.
  const metrics: HubMetrics | undefined = hardening.metrics.enabled
    ? new (await import('../observability/metrics.js')).HubMetrics({
        orm,
        bus: deps.bus,
        openSubscriptions: () => guard.openSubscriptions,
        openConnections: () => guard.openConnections,
        allowedOperationNames: allowlist?.operationNames(),
      })
    : undefined;
  const rateLimiter = new RequestRateLimiter(hardening.rateLimits, options.limiterStore);
  if (metrics) rateLimiter.onRefused = (scope, kind) => metrics.rateLimited.inc({ scope, kind });
  const operations = new OperationGuard({
    schema,
    limits,
    introspection: hardening.introspection,
    rateLimiter,
    allowlist,
    metrics,
  });

  // GraphQL over WebSocket (graphql-ws protocol) on the same path and server; same context factory.
  const webSocket = serveGraphqlOverWebSocket({
    httpServer,
    schema,
    deps,
    guard,
    operations,
    hardening,
    logger,
    metrics,
    addressOfSocket,
    hubOrigin: oidc ? new URL(oidc.config.redirectUri).origin : undefined,
  });

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // Read plans carry objects PostgreSQL wrote as JSON text (graphql/raw-json.ts).
    stringifyResult,
    // Who may introspect is decided per viewer by the operation guard (INTROSPECTION).
    introspection: true,
    // GET and simple POSTs need a preflight header (Apollo's default, stated here because it matters).
    csrfPrevention: true,
    allowBatchedHttpRequests: limits.maxBatch > 0,
    validationRules: operations.validationRules,
    parseOptions: operations.parseOptions,
    // Allow-list mode: persisted-query hashes resolve to exactly the listed documents, nothing is stored.
    ...(allowlist ? { persistedQueries: { cache: allowlist.asPersistedQueryCache() } } : {}),
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      {
        async serverWillStart() {
          return {
            drainServer: async () => {
              guard.stop();
              await webSocket.dispose();
            },
          };
        },
      },
      // Apollo's default landing page loads from a CDN; the hub serves its own playground.
      ApolloServerPluginLandingPageDisabled(),
      // The schema is a federation subgraph, so Apollo would answer gateways' `ftv1` trace requests with
      // per-field timings for GraphOS; the hub reports through its own request log instead.
      ApolloServerPluginInlineTraceDisabled(),
      // The hub sets no cache hints (answers depend on the viewer); without this default plugin Apollo
      // wraps no field resolver at all (≈700 fields on an offers page).
      ApolloServerPluginCacheControlDisabled(),
      operations.apolloPlugin((context) => requestInfoOf(context)),
      redactionReportPlugin(),
      ...(options.apolloPlugins ?? []),
    ],
  });
  await apollo.start();

  let draining = false;
  // One log line (with a request id, echoed as X-Request-Id) and one duration sample per request.
  app.use(requestLogger(logger));
  app.use((_req, res, next) => {
    if (draining) res.setHeader('connection', 'close');
    next();
  });
  if (metrics) app.use(metrics.httpTimer());
  app.use(corsMiddleware(hardening.corsOrigins));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    // At once and without asking the database: the load balancer is to take this instance out now.
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const ready = await isDatabaseReachable(orm);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unreachable' });
  });
  // Sign-in with the city's identity provider (token handler) and what pages ask about their session.
  app.use(
    '/auth',
    createAuthRouter({
      orm,
      logger,
      cookies,
      passwordLogin: options.identity?.passwordLogin ?? true,
      oidc,
    }),
  );
  // The links of saved-search mails (confirm, unsubscribe), which work without signing in.
  app.use(
    '/benachrichtigungen',
    createSavedSearchRouter({ orm, tokens: deps.savedSearches.transport.tokens, logger }),
  );
  // Start page, dashboards, playground (also for a browser's GET /graphql): the built web/ pages.
  app.use(createWebRouter({ playground: options.playground, graphqlPath: GRAPHQL_PATH, logger }));
  if (metrics) app.get('/metrics', metrics.handler(hardening.metrics.token));
  app.use(
    GRAPHQL_PATH,
    express.json({
      limit: limits.bodyLimitBytes,
      type: ['application/json', 'application/graphql-response+json'],
    }),
    graphqlRequestRules(limits),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const info = graphqlInfo(res);
        try {
          const context = await createContext(deps, {
            authorization: req.headers.authorization,
            // The cookie counts only with its CSRF token in a header, which no other site can send.
            cookie: req.headers.cookie,
            csrfToken: req.get('x-csrf-token'),
            clientAddress: addressOf(req),
            requestId: String(req.id),
          });
          if (context.viewer.kind === 'account') info.organisationId = context.viewer.organisationId;
          attachRequestInfo(context, info);
          await operations.admitRequest(
            requestedOperations(req.body, req.query as Record<string, unknown>),
            context.viewer,
            context.clientAddress,
          );
          return context;
        } catch (error) {
          const failure = contextFailure(error);
          // An ended session's cookie is dropped, so the page's next request is the public's again.
          if (
            !req.headers.authorization &&
            sessionTokenOf(req.headers.cookie) &&
            (failure as GraphQLError).extensions?.code === ErrorCode.UNAUTHENTICATED
          ) {
            cookies.clearSession(res);
          }
          info.errorCodes.add(
            String((failure as GraphQLError).extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR),
          );
          throw failure;
        }
      },
    }),
  );
  // Open Referral HSDS export of the offers, read through the same schema, context and policy.
  app.use('/hsds', createHsdsRouter({ schema, deps, logger }));
  app.use('/import', createImportRouter({ deps, logger, rateLimiter }));
  // The offer list as CSV or XLSX for the requesting viewer, through the same query and policy.
  app.use('/export', createExportRouter({ schema, deps, logger, rateLimiter }));
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
  // Body-parser failures (malformed JSON, too large) answer as GraphQL errors, never as an HTML stack trace.
  app.use(httpErrorHandler(logger, limits));

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          if (typeof address === 'object' && address) resolve({ port: address.port, host });
          else reject(new Error('server has no address'));
        });
      }),
    startDraining: () => {
      draining = true;
    },
    stop: async () => {
      await apollo.stop();
      await rateLimiter.close();
    },
  };
}
