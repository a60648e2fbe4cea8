import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ErrorCode } from '../errors.js';
import type { QueryLimits } from '../hardening.config.js';
import type { Logger } from '../logger.js';
import { graphqlInfo } from '../observability/request-log.js';
import { limitExceeded } from './limits.js';

/** Media types a GraphQL POST body may have (GraphQL over HTTP: application/json is the one that MUST work). */
const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/** A JSON error response in the GraphQL shape, with its code recorded for the request log. */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  graphqlInfo(res).errorCodes.add(code);
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/**
 * Same-origin requests are always allowed; cross-origin ones only from CORS_ORIGINS ('*': any). Used for
 * CORS and for the Origin header of WebSocket upgrades (browsers send it; other clients send none).
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[] | '*',
) {
  if (!origin) return true;
  if (allowed === '*') return true;
  try {
    if (host && new URL(origin).host === host) return true;
  } catch {
    return false;
  }
  return allowed.includes(origin.replace(/\/+$/, ''));
}

export function corsMiddleware(allowed: string[] | '*'): RequestHandler {
  return cors({
    origin: allowed === '*' ? true : allowed,
    // Tokens travel in the Authorization header, never in cookies.
    credentials: false,
    allowedHeaders: [
      'content-type',
      'authorization',
      'accept',
      'x-request-id',
      'apollo-require-preflight',
      'x-apollo-operation-name',
    ],
    exposedHeaders: ['x-request-id', 'retry-after'],
    methods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
  });
}

/**
 * Before Apollo: a POST must be JSON (415 otherwise — this also stops HTML forms, which can only send
 * simple content types: the CSRF case Apollo's csrfPrevention covers for GET), and a batch (a JSON array)
 * must not be empty or longer than GRAPHQL_MAX_BATCH.
 */
export function graphqlRequestRules(limits: QueryLimits): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.includes(type)) {
        sendError(
          res,
          415,
          'BAD_REQUEST',
          'POST requests to /graphql must have "Content-Type: application/json" (GraphQL over HTTP).',
        );
        return;
      }
      if (Array.isArray(req.body)) {
        if (req.body.length === 0) {
          sendError(res, 400, 'BAD_REQUEST', 'A batch must contain at least one operation.');
          return;
        }
        if (limits.maxBatch > 0 && req.body.length > limits.maxBatch) {
          const error = limitExceeded(
            'batch',
            limits.maxBatch,
            req.body.length,
            `Batch limit of ${limits.maxBatch} operations exceeded, found ${req.body.length}.`,
          );
          const { http: _http, ...extensions } = error.extensions;
          sendError(res, 400, ErrorCode.QUERY_LIMIT_EXCEEDED, error.message, extensions);
          return;
        }
      }
    }
    next();
  };
}

/** Body-parser and other HTTP-level failures as GraphQL-shaped JSON errors, never an HTML page or a stack. */
export function httpErrorHandler(logger: Logger, limits: QueryLimits): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'http error');
    if (res.headersSent) return;
    if (status === 413) {
      sendError(
        res,
        413,
        ErrorCode.QUERY_LIMIT_EXCEEDED,
        `The request body is larger than ${limits.bodyLimitBytes} bytes.`,
        { limit: 'body', maximum: limits.bodyLimitBytes },
      );
      return;
    }
    const message =
      status === 415
        ? 'The request body must be UTF-8 encoded JSON.'
        : status === 400
          ? 'The request body is not valid JSON.'
          : status === 500
            ? 'Internal server error.'
            : 'The request could not be processed.';
    sendError(res, status, status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : 'BAD_REQUEST', message);
  };
}

/** The client address as Express sees it (TRUST_PROXY decides whether X-Forwarded-For counts). */
export const addressOf = (req: IncomingMessage & { ip?: string }) =>
  req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * The same for a WebSocket upgrade, which never passes Express: X-Forwarded-For is read hop by hop from
 * the nearest, as long as Express's compiled "trust proxy" function trusts the hop (what req.ip does).
 */
export function upgradeAddressOf(
  req: IncomingMessage,
  trusts: ((address: string, hop: number) => boolean) | undefined,
): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers['x-forwarded-for'];
  if (!trusts || !header) return socketAddress;
  const forwarded = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const chain = [socketAddress, ...forwarded];
  let hop = 0;
  while (hop < chain.length - 1 && trusts(chain[hop]!, hop)) hop++;
  return chain[hop]!;
}
