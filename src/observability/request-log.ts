import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

/** What the GraphQL layer tells the request log about one HTTP request (res.locals.graphql). */
export interface GraphQLRequestInfo {
  operations: { name: string | null; type?: string }[];
  errorCodes: Set<string>;
  /** The viewer's organisation (never the account or anything personal). */
  organisationId?: string;
  /** Answered by a read plan (src/modules/read-plan/) rather than by the executor. */
  readPlan?: boolean;
}

export function graphqlInfo(res: Response): GraphQLRequestInfo {
  res.locals.graphql ??= { operations: [], errorCodes: new Set() };
  return res.locals.graphql as GraphQLRequestInfo;
}

// Apollo clones the context per operation (batches); a symbol-keyed property travels with the clones.
const REQUEST_INFO = Symbol('graphqlRequestInfo');

/** Links a request's context to its log line and metrics. */
export function attachRequestInfo(context: object, info: GraphQLRequestInfo): void {
  Object.defineProperty(context, REQUEST_INFO, { value: info, enumerable: true });
}

export function requestInfoOf(context: object): GraphQLRequestInfo | undefined {
  return (context as { [REQUEST_INFO]?: GraphQLRequestInfo })[REQUEST_INFO];
}

/** A client's X-Request-Id is kept when it looks like an id (no log injection); else a fresh UUID. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && VALID_REQUEST_ID.test(given) ? given : randomUUID();
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per HTTP request (pino-http): request id (echoed as X-Request-Id), method, path (never
 * the query string: GET requests carry documents and variables there), status, duration, and for
 * GraphQL the operation names and types, the viewer's organisation and the error codes. Headers,
 * bodies and variables are never logged. Probes and scrapes are not logged.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOf(req)) },
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ method: req.method, path: pathOf(req) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      // pino-http makes an Error for every 5xx; its stack would only point into pino-http.
      err: (error: Error) => ({ type: error.name, message: error.message }),
    },
    customAttributeKeys: { responseTime: 'durationMs', reqId: 'requestId' },
    customProps: (_req, res) => {
      const info = (res as Response).locals?.graphql as GraphQLRequestInfo | undefined;
      if (!info) return {};
      return {
        operationName:
          info.operations.length === 1 ? info.operations[0]!.name : info.operations.map((o) => o.name),
        operationType:
          info.operations.length === 1 ? info.operations[0]!.type : info.operations.map((o) => o.type),
        organisationId: info.organisationId,
        errorCodes: info.errorCodes.size > 0 ? [...info.errorCodes] : undefined,
        readPlan: info.readPlan,
      };
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
  });
}

function pathOf(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
