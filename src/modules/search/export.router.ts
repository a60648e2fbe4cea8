import express, { type Request, type Response, type Router } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { type ContextDeps, createContext } from '../../context.js';
import { ErrorCode, HubError } from '../../errors.js';
import { createFormatError } from '../../graphql/errors.plugin.js';
import type { RequestRateLimiter } from '../../http/rate-limit.js';
import type { Logger } from '../../logger.js';
import { assertExportQueryValid, ExportQueryError, exportRows, toCsv, toXlsx } from './offer-export.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const STATUS_OF_CODE: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.RATE_LIMITED]: 429,
};

/**
 * The offer list for download (mounted at /export):
 *   POST /export/angebote.csv | /export/angebote.xlsx   body { filter, orderBy } as for GraphQL `offers`
 * The token (Authorization: Bearer …) means what it means on /graphql: partners get numbers, the public
 * bands. JSON bodies are not CORS-safelisted, so a foreign page cannot read a partner's list through it.
 */
export function createExportRouter(options: {
  schema: GraphQLSchema;
  deps: ContextDeps;
  logger: Logger;
  rateLimiter?: RequestRateLimiter;
}) {
  const { schema, deps, logger, rateLimiter } = options;
  assertExportQueryValid(schema);
  const formatError = createFormatError(logger);
  const router: Router = express.Router();

  const fail = (res: Response, errors: readonly GraphQLError[]) => {
    const bodies = errors.map((raw) => {
      // A variable the schema refuses (a wrong filter) carries no code and no path: it is bad input.
      const error =
        raw.extensions?.code || raw.path ? raw : new HubError(ErrorCode.BAD_USER_INPUT, raw.message);
      const { message, extensions = {} } = formatError(error.toJSON(), error);
      const { http: _http, ...rest } = extensions;
      return { message, extensions: { ...rest, code: String(rest.code ?? ErrorCode.INTERNAL_SERVER_ERROR) } };
    });
    const code = bodies[0]?.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR;
    res.status(STATUS_OF_CODE[code] ?? 500).json({ errors: bodies });
  };

  const handle = (format: 'csv' | 'xlsx') => async (req: Request, res: Response) => {
    // Answers differ by viewer: no shared cache may keep a partner's numbers.
    res.vary('Authorization').set('Cache-Control', 'private, no-store');
    const body = (req.body ?? {}) as { filter?: unknown; orderBy?: unknown };
    try {
      const context = await createContext(deps, {
        authorization: req.headers.authorization,
        // The page downloads on a hub session too: its cookie, with its CSRF token.
        cookie: req.headers.cookie,
        csrfToken: req.get('x-csrf-token'),
        clientAddress: req.ip,
      });
      // A download counts against the same budget as a GraphQL query.
      try {
        await rateLimiter?.consume('query', context.viewer, context.clientAddress);
      } catch (error) {
        const seconds = (error as HubError).extensions?.retryAfterSeconds;
        if (seconds === undefined) throw error;
        res.set('Retry-After', String(seconds));
        return fail(res, [error as HubError]);
      }
      const { rows, totalCount } = await exportRows(schema, context, body);
      res.set('X-Total-Count', String(totalCount));
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8').attachment('angebote.csv').send(toCsv(rows));
      } else {
        res
          .type(XLSX_TYPE)
          .attachment('angebote.xlsx')
          .send(await toXlsx(rows, totalCount));
      }
    } catch (error) {
      if (error instanceof ExportQueryError) return fail(res, error.errors);
      if (error instanceof GraphQLError) return fail(res, [error]);
      logger.error({ err: error }, 'offer export failed');
      res.status(500).json({
        errors: [
          { message: 'Internal server error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
        ],
      });
    }
  };

  router.use(express.json({ limit: '32kb' }));
  router.post('/angebote.csv', handle('csv'));
  router.post('/angebote.xlsx', handle('xlsx'));
  return router;
}
