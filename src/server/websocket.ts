import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type GraphQLSchema, getOperationAST } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate.js';
import { unauthenticated } from '../auth/tokens.js';
import { visibilityClass } from '../auth/visibility.js';
import { type Context, type ContextDeps, contextForEvent, createContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { ErrorCode } from '../errors.js';
import { createFormatError } from '../graphql/errors.plugin.js';
import { fanOutSubscribe } from '../graphql/subscription-fan-out.js';
import type { HardeningConfig } from '../hardening.config.js';
import { isAllowedOrigin } from '../http/http-rules.js';
import { contextFailure, type OperationGuard } from '../http/operation-guard.js';
import type { Logger } from '../logger.js';
import type { HubMetrics } from '../observability/metrics.js';
import { WsOperationLog } from '../observability/ws-operation-log.js';
import { GRAPHQL_PATH } from './paths.js';
import type { WsGuard } from './ws-guard.js';

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's GraphQL path: the same operation
 * guard, context factory and error formatter as over HTTP, one context per operation, and subscription
 * events resolved once per operation and visibility class. Returns what stops it.
 */
export function serveGraphqlOverWebSocket(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  deps: ContextDeps;
  guard: WsGuard;
  operations: OperationGuard;
  hardening: HardeningConfig;
  logger: Logger;
  metrics: HubMetrics | undefined;
  addressOfSocket: (request: IncomingMessage) => string;
  /** The hub's own origin (OIDC_REDIRECT_URI's): the only page origin a session cookie counts from. */
  hubOrigin?: string;
}): { dispose(): void | Promise<void> } {
  const { httpServer, schema, deps, guard, operations, hardening, logger, metrics, addressOfSocket } =
    options;
  /**
   * The session cookie of the upgrade, if it may count: browsers send cookies with a cross-site
   * WebSocket too, so a cookie-authenticated socket must come from a page of the hub itself (Origin),
   * besides the CSRF token in connectionParams that only the hub's pages can read.
   */
  const sessionOf = (params: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage) => {
    const token = deps.sessions?.tokenFrom(request.headers.cookie);
    if (!token || !deps.sessions) return undefined;
    const origin = request.headers.origin;
    const sameHub =
      origin !== undefined &&
      (origin === options.hubOrigin || isAllowedOrigin(origin, request.headers.host, []));
    if (!sameHub)
      throw unauthenticated('A session cookie counts only on a socket opened by the hub’s own pages.');
    // As `csrfToken`, or as the header's name (GraphiQL sends its headers as connectionParams).
    const csrf = params?.csrfToken ?? params?.['x-csrf-token'] ?? params?.['X-CSRF-Token'];
    return { token, csrfToken: typeof csrf === 'string' ? csrf : undefined };
  };
  const { orm } = deps;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    // Browsers always send Origin: cross-site pages may not open a socket with a visitor's browser.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      isAllowedOrigin(origin, req.headers.host, hardening.corsOrigins),
    // ws accepts 100 MiB messages by default; an operation message is no larger than an HTTP body.
    maxPayload: hardening.limits.bodyLimitBytes,
  });
  // The same rules as HTTP: one context per operation (viewer authenticated then, so a bad token is an
  // error for that operation, not a dropped connection), and errors go through the same formatter.
  const formatError = createFormatError(logger);
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
  // graphql-ws wants GraphQLError instances back from onSubscribe; these carry only the formatted parts.
  const refuse = (errors: readonly GraphQLError[]) =>
    format(errors).map((f) => new GraphQLError(f.message, { extensions: f.extensions }));
  const wsOperations = new WsOperationLog(logger, metrics);
  return useServer<Record<string, unknown>, { request: IncomingMessage; socket: WebSocket }>(
    {
      schema,
      // Each event is resolved once per operation and visibility class, and shared by those subscribers.
      subscribe: fanOutSubscribe<Context>({
        classOf: (context) => visibilityClass(context.viewer),
        forEvent: contextForEvent,
        finish: (result, context) => {
          const redactions = context.access.redactions;
          return redactions.length ? { ...result, extensions: { ...result.extensions, redactions } } : result;
        },
      }),
      // The token comes in connection_init's payload (browsers cannot set headers on a WebSocket), else the
      // header; checked exactly like HTTP. A bad one closes the socket with 4403.
      onConnect: async ({ connectionParams, extra }) => {
        try {
          const session = sessionOf(connectionParams, extra.request);
          const viewer = await authenticate(
            authorizationOf(connectionParams, extra.request),
            deps.tokens,
            orm.em.fork(),
            deps.accounts,
            session && deps.sessions ? { ...session, sessions: deps.sessions } : undefined,
          );
          guard.open(extra.socket, viewer, addressOfSocket(extra.request));
          return true;
        } catch (error) {
          // The database is away: "try again later" (1013), not "forbidden", so clients reconnect.
          if (isDatabaseUnavailable(error)) extra.socket.close(1013, 'Database unavailable, retry later');
          return false;
        }
      },
      onClose: ({ extra }) => guard.close(extra.socket),
      onComplete: ({ extra }, id) => {
        guard.ended(extra.socket, id);
        wsOperations.end(extra.socket, id);
      },
      onSubscribe: async ({ connectionParams, extra }, id, payload) => {
        const viewer = guard.viewerOf(extra.socket);
        const address = addressOfSocket(extra.request);
        wsOperations.start(extra.socket, id, payload.operationName ?? null, viewer);
        if (!viewer) return refuse([new GraphQLError('The connection is closing.')]);
        try {
          // The same rules as over HTTP, in the same order: request budget and allow-list, parse and
          // validate with the limits, variables, introspection, cost and mutation budget.
          const extensions = payload.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
          const hash = extensions?.persistedQuery?.sha256Hash;
          const requested = {
            query: payload.query || undefined,
            hash: typeof hash === 'string' ? hash : undefined,
          };
          await operations.admitRequest([requested], viewer, address);
          const query = operations.allowlist
            ? operations.allowlist.resolve(requested.query, requested.hash)
            : payload.query;
          const parsed = operations.parseAndValidate(query);
          if ('errors' in parsed) return refuse(parsed.errors);
          const operation = getOperationAST(parsed.document, payload.operationName);
          wsOperations.resolved(extra.socket, id, operation?.name?.value ?? null, operation?.operation);
          await operations.admitOperation({
            document: parsed.document,
            operationName: payload.operationName ?? undefined,
            variables: payload.variables ?? undefined,
            kind: operation?.operation,
            viewer,
            address,
          });
          if (operation?.operation === 'subscription') {
            const refused = guard.started(extra.socket, id);
            if (refused)
              return refuse([
                new GraphQLError(`Too many subscriptions: ${refused}.`, {
                  extensions: { code: ErrorCode.RATE_LIMITED },
                }),
              ]);
          }
          let contextValue: Context;
          try {
            const session = sessionOf(connectionParams, extra.request);
            contextValue = await createContext(deps, {
              // Browsers cannot set headers on a WebSocket: the token comes in connectionParams, else the header.
              authorization: authorizationOf(connectionParams, extra.request),
              cookie: session ? extra.request.headers.cookie : undefined,
              csrfToken: session?.csrfToken,
              clientAddress: address,
              requestId: wsOperations.requestIdOf(extra.socket, id),
            });
          } catch (error) {
            guard.ended(extra.socket, id);
            throw contextFailure(error);
          }
          return {
            schema,
            document: parsed.document,
            contextValue,
            variableValues: payload.variables ?? undefined,
            operationName: payload.operationName ?? undefined,
          };
        } catch (error) {
          if (error instanceof GraphQLError) return refuse([error]);
          throw error;
        }
      },
      onNext: ({ extra }, id, _payload, args, result) => {
        // A subscription's events bring their redactions in the result (fanOutSubscribe's finish); its own
        // context records none, so this adds only those of queries and mutations over the socket.
        const redactions = (args.contextValue as Context | undefined)?.access?.redactions ?? [];
        const errors = result.errors ? format(result.errors) : undefined;
        wsOperations.codes(extra.socket, id, errors);
        return {
          ...result,
          ...(errors ? { errors } : {}),
          ...(redactions.length ? { extensions: { ...result.extensions, redactions } } : {}),
        } as never;
      },
      onError: ({ extra }, id, _payload, errors) => {
        const formatted = format(errors);
        wsOperations.codes(extra.socket, id, formatted);
        wsOperations.end(extra.socket, id);
        return formatted as never;
      },
    },
    wsServer,
  );
}

/**
 * The token of connection_init's payload, else the upgrade request's header. A payload `authorization`
 * that is there but not text (a number, an object) is refused like a bad token: read as "no token" it
 * would silently serve the public. null counts as not given (JSON has no undefined).
 */
function authorizationOf(
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  if (value === undefined || value === null) return request.headers.authorization;
  if (typeof value !== 'string')
    throw unauthenticated('The authorization parameter must be "Bearer <token>".');
  return value;
}
