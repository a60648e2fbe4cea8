import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { type ContextDeps, createContext } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import { MAX_PAGE_SIZE } from '../../graphql/relay.js';
import type { Logger } from '../../logger.js';
import { toHsdsPage, toHsdsService } from './hsds.mapper.js';
import { HsdsHttpError, HsdsSource, hsdsError, type OfferFilterInput } from './hsds.source.js';

const DEFAULT_PER_PAGE = 50;
/** Bounds the digits parsed, not the walk: a page past the end is answered after one step. */
const MAX_PAGE = 999_999_999;
/** How many services a page may skip (100 cursor steps at most). */
const MAX_SKIP = 10_000;

/**
 * Open Referral HSDS 3.0 read API over the public offer data, for city portals. Mounted at /hsds.
 * Each request gets its context from the same factory as /graphql, so a token means exactly what it
 * means there (bad token → 401, partner → exact places, public → bands).
 */
export function createHsdsRouter(options: {
  schema: GraphQLSchema;
  deps: ContextDeps;
  logger: Logger;
}): Router {
  const { deps, logger } = options;
  const source = new HsdsSource(options.schema, logger);
  const router = express.Router();

  const contextFor = async (req: Request, res: Response) => {
    // Answers differ by viewer: shared caches must not hand a partner's numbers to the public.
    res.vary('Authorization');
    if (req.headers.authorization) res.set('Cache-Control', 'private, no-store');
    try {
      return await createContext(deps, { authorization: req.headers.authorization, clientAddress: req.ip });
    } catch (error) {
      if (error instanceof GraphQLError) throw source.toHttpError([error]);
      throw error;
    }
  };

  router.get('/', (_req, res) => {
    res.json({
      version: '3.0',
      openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
    });
  });

  router.get('/services', async (req, res) => {
    const page = intParam(req.query.page, 'page', 1, 1, MAX_PAGE);
    const perPage = intParam(req.query.per_page, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PAGE_SIZE);
    // Deep pages walk cursors (see hsds.source.ts); open to everyone, so their depth is bounded.
    if ((page - 1) * perPage > MAX_SKIP) {
      throw hsdsError(
        400,
        ErrorCode.BAD_USER_INPUT,
        `Pages reach up to the first ${MAX_SKIP} services; narrow the list with filters.`,
        {
          argument: 'page',
          maximum: Math.floor(MAX_SKIP / perPage) + 1,
        },
      );
    }
    const filter = filterFrom(req.query);
    const context = await contextFor(req, res);
    const { totalCount, nodes } = await source.servicesPage(context, page, perPage, filter);
    res.json(toHsdsPage(nodes, totalCount, page, perPage, new Date()));
  });

  router.get('/services/:id', async (req, res) => {
    const context = await contextFor(req, res);
    res.json(toHsdsService(await source.service(context, req.params.id), new Date()));
  });

  router.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof HsdsHttpError) {
      if (error.status === 401) res.set('WWW-Authenticate', 'Bearer');
      res.status(error.status).json({ errors: error.errors });
      return;
    }
    logger.error({ err: error }, 'hsds request failed');
    res.status(500).json({
      errors: [{ message: 'Internal server error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
    });
  };
  router.use(onError);

  return router;
}

function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw hsdsError(
      400,
      ErrorCode.BAD_USER_INPUT,
      `"${name}" must be a whole number from ${min} to ${max}.`,
      {
        argument: name,
        minimum: min,
        maximum: max,
      },
    );
  }
  return number;
}

function stringParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw hsdsError(400, ErrorCode.BAD_USER_INPUT, `"${name}" may be given once.`, { argument: name });
  }
  return value;
}

/** HSDS query parameters that have a counterpart in the GraphQL offers filter; they combine with AND. */
function filterFrom(query: Request['query']): OfferFilterInput | null {
  const search = stringParam(query.search, 'search')?.trim();
  const organisationId = stringParam(query.organization_id, 'organization_id');
  const filter: OfferFilterInput = {
    ...(search ? { search } : {}),
    ...(organisationId !== undefined ? { organisationIds: [organisationId] } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : null;
}
