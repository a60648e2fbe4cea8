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

const MAX_MB = MAX_IMPORT_BYTES / 1024 / 1024;
const TOO_LARGE = `Die Datei ist zu groß: Der Hub nimmt Dateien bis ${MAX_MB} MB an. Bitte die Datei aufteilen (z. B. nach Standorten) und die Teile nacheinander importieren.`;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The answers the import service gives before it reads the file: HTTP status and German message. */
const REFUSAL_OF_CODE: Partial<Record<string, [number, string]>> = {
  [ErrorCode.FORBIDDEN]: [
    403,
    'Keine Berechtigung: Angebote dieser Organisation importieren nur ihre Redaktion (Rolle Redaktion) und die Administration.',
  ],
  [ErrorCode.NOT_FOUND]: [404, 'Diese Organisation gibt es im Hub nicht.'],
};

/**
 * Spreadsheet and HSDS import over HTTP (mounted at /import), for the dashboards and scripts:
 *   GET  /import/vorlage.csv | /import/vorlage.xlsx        the template
 *   GET  /import/limits                                    what the route accepts (for the pages)
 *   POST /import/offers?organisationId=…[&skipInvalid=true][&apply=true&digest=…&plan=…]  the file as the body
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

  router.get('/limits', (_req, res) => {
    res.json({ maxBytes: MAX_IMPORT_BYTES, types: ['text/csv', XLSX_TYPE, 'application/json'] });
  });

  // Messages are German: the pages show them to partners as they are.
  router.post('/offers', async (req: Request, res: Response) => {
    const fail = (status: number, code: ErrorCode, message: string, extensions: object = {}) =>
      res.status(status).json({ errors: [{ message, extensions: { ...extensions, code } }] });
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!['text/csv', XLSX_TYPE, 'application/json', 'application/octet-stream'].includes(type))
      return fail(
        415,
        ErrorCode.BAD_USER_INPUT,
        `Dieser Dateityp wird nicht angenommen: bitte CSV (text/csv), Excel (.xlsx, ${XLSX_TYPE}) oder HSDS-JSON (application/json) senden.`,
      );
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_IMPORT_BYTES)
      return fail(413, ErrorCode.BAD_USER_INPUT, TOO_LARGE, { maxBytes: MAX_IMPORT_BYTES });

    let ctx: Awaited<ReturnType<typeof createContext>>;
    try {
      ctx = await createContext(deps, {
        authorization: req.headers.authorization,
        // The hub's pages upload on a cookie session too, with its CSRF token as for /graphql.
        cookie: req.headers.cookie,
        csrfToken: req.get('x-csrf-token'),
        clientAddress: req.ip,
      });
    } catch (error) {
      if (error instanceof GraphQLError)
        return fail(
          401,
          ErrorCode.UNAUTHENTICATED,
          'Die Anmeldung ist abgelaufen oder ungültig. Bitte erneut anmelden.',
        );
      throw error;
    }
    if (ctx.viewer.kind !== 'account')
      return fail(401, ErrorCode.UNAUTHENTICATED, 'Zum Importieren bitte anmelden.');
    // An import counts as a change against the same budgets as GraphQL mutations.
    try {
      await rateLimiter?.consume('mutation', ctx.viewer, ctx.clientAddress);
    } catch (error) {
      const seconds = (error as HubError).extensions?.retryAfterSeconds;
      if (seconds === undefined) throw error;
      res.set('Retry-After', String(seconds));
      return fail(
        429,
        ErrorCode.RATE_LIMITED,
        `Zu viele Änderungen in kurzer Zeit: Bitte in ${seconds} Sekunden erneut versuchen.`,
        { retryAfterSeconds: seconds },
      );
    }
    let organisation: Ref;
    try {
      organisation = refOf('Organisation', String(req.query.organisationId ?? ''), 'organisationId');
    } catch {
      return fail(
        400,
        ErrorCode.BAD_USER_INPUT,
        'Die Organisation (organisationId) fehlt oder ist ungültig.',
      );
    }
    try {
      await importingAccount(ctx.em, ctx.access, organisation);
    } catch (error) {
      const code = error instanceof HubError ? (error.extensions.code as ErrorCode) : undefined;
      const refusal = code && REFUSAL_OF_CODE[code];
      if (!code || !refusal) throw error;
      return fail(refusal[0], code, refusal[1]);
    }
    const apply = req.query.apply === 'true';
    const digest = typeof req.query.digest === 'string' ? req.query.digest : undefined;
    const plan = typeof req.query.plan === 'string' ? req.query.plan : undefined;
    // Over HTTP a file is written only as reviewed: apply names the dry run's digest.
    if (apply && !digest)
      return fail(
        400,
        ErrorCode.BAD_USER_INPUT,
        'Übernehmen geht nur nach einer Probe: apply=true braucht digest=<digest der Probe>.',
      );

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
        expectedPlan: plan,
        skipInvalid: req.query.skipInvalid === 'true',
        filename: typeof req.query.filename === 'string' ? req.query.filename : undefined,
      });
      res.set('Cache-Control', 'no-store').json(report);
    } catch (error) {
      if (received > MAX_IMPORT_BYTES)
        return fail(413, ErrorCode.BAD_USER_INPUT, TOO_LARGE, { maxBytes: MAX_IMPORT_BYTES });
      if (error instanceof SourceError) {
        if (!res.headersSent && !req.destroyed)
          fail(400, ErrorCode.BAD_USER_INPUT, 'Das Hochladen wurde unterbrochen. Bitte erneut versuchen.');
        return;
      }
      logger.error({ err: error }, 'import failed');
      return fail(
        500,
        ErrorCode.INTERNAL_SERVER_ERROR,
        'Im Hub ist ein Fehler aufgetreten; die Datei wurde nicht übernommen. Bitte später erneut versuchen.',
      );
    }
  });
  return router;
}
