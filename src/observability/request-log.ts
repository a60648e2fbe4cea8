import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
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

declare module 'node:http' {
  interface IncomingMessage {
    /** The request's id, set by requestLogger (the log line's requestId, echoed as X-Request-Id). */
    id?: string;
  }
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per HTTP request: request id (echoed as X-Request-Id), method, path (never the query
 * string: GET requests carry documents and variables there), status, duration, and for GraphQL the
 * operation names and types, the viewer's organisation and the error codes. Headers, bodies and
 * variables are never logged. Probes and scrapes are not logged.
 *
 * Written on pino directly rather than with pino-http: that made two child loggers per request (and a
 * third at the end) whether or not the line was written — about 3 % of the CPU of an offers page —
 * while the hub needs one line with bindings known only when the response is done.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    req.id = requestId;
    res.setHeader('x-request-id', requestId);
    const path = pathOf(req);
    if (QUIET_PATHS.has(path) || !logger.isLevelEnabled('error')) {
      next();
      return;
    }
    const startedAt = performance.now();
    const done = (error?: Error) => {
      res.off('finish', done);
      res.off('close', done);
      res.off('error', done);
      const failed = error !== undefined || res.statusCode >= 500;
      const level = failed ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const info = (res as Response).locals?.graphql as GraphQLRequestInfo | undefined;
      logger[level](
        {
          requestId,
          req: { method: req.method, path },
          res: { status: res.statusCode },
          durationMs: Math.round(performance.now() - startedAt),
          ...(info ? graphqlBindings(info) : {}),
          ...(error ? { err: { type: error.name, message: error.message } } : {}),
        },
        failed ? 'request failed' : 'request',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    res.on('error', done);
    next();
  };
}

function graphqlBindings(info: GraphQLRequestInfo) {
  const one = info.operations.length === 1 ? info.operations[0]! : undefined;
  return {
    operationName: one ? one.name : info.operations.map((o) => o.name),
    operationType: one ? one.type : info.operations.map((o) => o.type),
    organisationId: info.organisationId,
    errorCodes: info.errorCodes.size > 0 ? [...info.errorCodes] : undefined,
    readPlan: info.readPlan,
  };
}

function pathOf(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
