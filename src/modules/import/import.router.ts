import { Readable } from 'node:stream';
import express, { type Request, type Response, type Router } from 'express';
import { GraphQLError } from 'graphql';
import { type ContextDeps, createContext } from '../../context.js';
import type { Ref } from '../../domain/ref.js';
import { ErrorCode, HubError } from '../../errors.js';
import { refOf } from '../../graphql/global-id.js';
import type { RequestRateLimiter } from '../../http/rate-limit.js';
import type { Logger } from '../../logger.js';
import { importingAccount, importOffers } from './import.service.js';
import { SourceError } from './read-table.js';
import { templateCsv, templateXlsx } from './template.js';

/** Files beyond this are refused before reading (a 100,000-row sheet is ~15 MB). */
export const MAX_IMPORT_BYTES = 60 * 1024 * 1024;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The answers the import service gives before it reads the file, as HTTP statuses. */
const STATUS_OF_CODE: Partial<Record<string, number>> = {
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
};

/**
 * Spreadsheet and HSDS import over HTTP (mounted at /import), for the dashboards and scripts:
 *   GET  /import/vorlage.csv | /import/vorlage.xlsx        the template
 *   POST /import/offers?organisationId=…[&apply=true&digest=…]  the file as the request body
 * The body is streamed to the parser, never buffered whole. Content types are not CORS-safelisted
 * (text/csv, xlsx, json) and a bearer token is required, so a foreign page cannot post a file.
 */
export function createImportRouter(options: {
  deps: ContextDeps;
  logger: Logger;
  rateLimiter?: RequestRateLimiter;
}): Router {
  const { deps, logger, rateLimiter } = options;
  const router = express.Router();

  router.get('/vorlage.csv', (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('buendnis-hub-angebote-vorlage.csv').send(templateCsv());
  });
  router.get('/vorlage.xlsx', async (_req, res, next) => {
    try {
      res
        .type(XLSX_TYPE)
        .attachment('buendnis-hub-angebote-vorlage.xlsx')
        .send(await templateXlsx());
    } catch (error) {
      next(error);
    }
  });

  router.post('/offers', async (req: Request, res: Response) => {
    const fail = (status: number, code: ErrorCode, message: string) =>
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!['text/csv', XLSX_TYPE, 'application/json', 'application/octet-stream'].includes(type))
      return fail(
        415,
        ErrorCode.BAD_USER_INPUT,
        `Content-Type must be text/csv, ${XLSX_TYPE} or application/json.`,
      );
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_IMPORT_BYTES)
      return fail(
        413,
        ErrorCode.BAD_USER_INPUT,
        `Files of up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB are accepted.`,
      );

    let ctx: Awaited<ReturnType<typeof createContext>>;
    try {
      ctx = await createContext(deps, { authorization: req.headers.authorization, clientAddress: req.ip });
    } catch (error) {
      if (error instanceof GraphQLError) return fail(401, ErrorCode.UNAUTHENTICATED, error.message);
      throw error;
    }
    if (ctx.viewer.kind !== 'account') return fail(401, ErrorCode.UNAUTHENTICATED, 'Sign in to import.');
    // An import counts as a change against the same budgets as GraphQL mutations.
    try {
      await rateLimiter?.consume('mutation', ctx.viewer, ctx.clientAddress);
    } catch (error) {
      const seconds = (error as HubError).extensions?.retryAfterSeconds;
      if (seconds === undefined) throw error;
      res.set('Retry-After', String(seconds));
      return fail(429, ErrorCode.RATE_LIMITED, (error as HubError).message);
    }
    let organisation: Ref;
    try {
      organisation = refOf('Organisation', String(req.query.organisationId ?? ''), 'organisationId');
    } catch (error) {
      return fail(400, ErrorCode.BAD_USER_INPUT, (error as Error).message);
    }
    try {
      await importingAccount(ctx.em, ctx.access, organisation);
    } catch (error) {
      const code = error instanceof HubError ? (error.extensions.code as ErrorCode) : undefined;
      const status = code && STATUS_OF_CODE[code];
      if (!code || !status) throw error;
      return fail(status, code, (error as HubError).message);
    }
    const apply = req.query.apply === 'true';
    const digest = typeof req.query.digest === 'string' ? req.query.digest : undefined;
    // Over HTTP a file is written only as reviewed: apply names the dry run's digest.
    if (apply && !digest)
      return fail(400, ErrorCode.BAD_USER_INPUT, 'apply=true needs digest=<the digest of the dry run>.');

    // A body larger than announced (or without a length) is cut off at the limit.
    let received = 0;
    const body = Readable.from(
      (async function* () {
        for await (const chunk of req) {
          received += (chunk as Buffer).length;
          if (received > MAX_IMPORT_BYTES) throw new Error('too large');
          yield chunk as Buffer;
        }
      })(),
    );
    try {
      const report = await importOffers(ctx.em, ctx.access, {
        organisation,
        file: body,
        apply,
        expectedDigest: digest,
        filename: typeof req.query.filename === 'string' ? req.query.filename : undefined,
      });
      res.set('Cache-Control', 'no-store').json(report);
    } catch (error) {
      if (received > MAX_IMPORT_BYTES)
        return fail(
          413,
          ErrorCode.BAD_USER_INPUT,
          `Files of up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB are accepted.`,
        );
      if (error instanceof SourceError) {
        if (!res.headersSent && !req.destroyed)
          fail(400, ErrorCode.BAD_USER_INPUT, 'The upload was interrupted.');
        return;
      }
      logger.error({ err: error }, 'import failed');
      return fail(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
    }
  });
  return router;
}
