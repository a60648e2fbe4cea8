import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { authenticate } from './auth/authenticate.js';
import { type Context, type ContextDeps, createContext } from './context.js';
import { isDatabaseReachable } from './db/database.js';
import { ErrorCode } from './errors.js';
import { createFormatError, redactionReportPlugin, requestLogPlugin } from './graphql/errors.plugin.js';
import type { Logger } from './logger.js';
import { createHsdsRouter } from './modules/hsds/hsds.router.js';
import { createImportRouter } from './modules/import/import.router.js';
import { createWebRouter } from './web/static.js';
import { WsGuard } from './ws-guard.js';

export const GRAPHQL_PATH = '/graphql';

export interface HubServer {
  httpServer: Server;
  /** Resolves with the bound address once listening (port 0 picks a free port). */
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes sockets. */
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
}): Promise<HubServer> {
  const { schema, deps, logger } = options;
  const { orm } = deps;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  // GraphQL over WebSocket (graphql-ws protocol) on the same path and server; same context factory.
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  // The same rules as HTTP: one context per operation (viewer authenticated then, so a bad token is an
  // error for that operation, not a dropped connection), and errors go through the same formatter.
  const formatError = createFormatError(logger);
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
  // graphql-ws wants GraphQLError instances back from onSubscribe; these carry only the formatted parts.
  const refuse = (errors: readonly GraphQLError[]) =>
    format(errors).map((f) => new GraphQLError(f.message, { extensions: f.extensions }));
  const guard = new WsGuard(orm, options.subscriptionLimits, logger);
  const wsCleanup = useServer<Record<string, unknown>, { request: IncomingMessage; socket: WebSocket }>(
    {
      schema,
      // The token comes in connection_init's payload (browsers cannot set headers on a WebSocket), else the
      // header; checked exactly like HTTP. A bad one closes the socket with 4403.
      onConnect: async ({ connectionParams, extra }) => {
        try {
          const viewer = await authenticate(
            authorizationFrom(connectionParams) ?? extra.request.headers.authorization,
            deps.tokens,
            orm.em.fork(),
          );
          guard.open(extra.socket, viewer, extra.request.socket.remoteAddress);
          return true;
        } catch {
          return false;
        }
      },
      onClose: ({ extra }) => guard.close(extra.socket),
      onComplete: ({ extra }, id) => guard.ended(extra.socket, id),
      onSubscribe: async ({ connectionParams, extra }, id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return refuse([error]);
          throw error;
        }
        const invalid = validate(schema, document);
        if (invalid.length > 0) return refuse(invalid);
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation === 'subscription') {
          const refused = guard.started(extra.socket, id);
          if (refused)
            return [
              new GraphQLError(`Too many subscriptions: ${refused}.`, {
                extensions: { code: ErrorCode.RATE_LIMITED },
              }),
            ];
        }
        try {
          const contextValue = await createContext(deps, {
            // Browsers cannot set headers on a WebSocket: the token comes in connectionParams, else the header.
            authorization: authorizationFrom(connectionParams) ?? extra.request.headers.authorization,
            clientAddress: extra.request.socket.remoteAddress,
          });
          return {
            schema,
            document,
            contextValue,
            variableValues: payload.variables ?? undefined,
            operationName: payload.operationName ?? undefined,
          };
        } catch (error) {
          if (error instanceof GraphQLError) return refuse([error]);
          throw error;
        }
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        const redactions = (args.contextValue as Context | undefined)?.access?.redactions ?? [];
        return {
          ...result,
          ...(result.errors ? { errors: format(result.errors) } : {}),
          ...(redactions.length ? { extensions: { ...result.extensions, redactions } } : {}),
        } as never;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors) as never,
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      {
        async serverWillStart() {
          return {
            drainServer: async () => {
              guard.stop();
              await wsCleanup.dispose();
            },
          };
        },
      },
      // Apollo's default landing page loads from a CDN; the hub serves its own playground (issue 10).
      ApolloServerPluginLandingPageDisabled(),
      // The schema is a federation subgraph, so Apollo would answer gateways' `ftv1` trace requests with
      // per-field timings for GraphOS; the hub reports through its own request log instead.
      ApolloServerPluginInlineTraceDisabled(),
      requestLogPlugin(logger),
      redactionReportPlugin(),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await isDatabaseReachable(orm);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unreachable' });
  });
  // Start page, dashboards, playground (also for a browser's GET /graphql): the built web/ pages.
  app.use(createWebRouter({ playground: options.playground, graphqlPath: GRAPHQL_PATH, logger }));
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '1mb', type: ['application/json', 'application/graphql-response+json'] }),
    expressMiddleware(apollo, {
      context: ({ req }) =>
        createContext(deps, { authorization: req.headers.authorization, clientAddress: req.ip }),
    }),
  );
  // Open Referral HSDS export of the offers, read through the same schema, context and policy.
  app.use('/hsds', createHsdsRouter({ schema, deps, logger }));
  app.use('/import', createImportRouter({ deps, logger }));
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
  // Body-parser failures (malformed JSON, too large) answer as GraphQL errors, never as an HTML stack trace.
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'http error');
    const message =
      status === 413
        ? 'The request body is too large.'
        : status === 400
          ? 'The request body is not valid JSON.'
          : 'Internal server error.';
    res.status(status).json({
      errors: [
        { message, extensions: { code: status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : 'BAD_REQUEST' } },
      ],
    });
  };
  app.use(onError);

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
    stop: () => apollo.stop(),
  };
}

function authorizationFrom(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}
