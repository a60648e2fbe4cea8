import { type DocumentNode, execute, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import { createFormatError } from '../../graphql/errors.plugin.js';
import { MAX_PAGE_SIZE } from '../../graphql/relay.js';
import type { Logger } from '../../logger.js';
import {
  assertDocumentsValid,
  type OfferNode,
  SERVICE_BY_ID,
  SERVICES_PAGE,
  SERVICES_SKIP,
  type ServiceByIdData,
  type ServicesPageData,
  type ServicesSkipData,
} from './hsds.query.js';

export interface HsdsErrorBody {
  message: string;
  extensions: { code: string } & Record<string, unknown>;
}

/** An answer the router sends as it is: status plus the same error shape as the GraphQL API. */
export class HsdsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: HsdsErrorBody[],
  ) {
    super(errors[0]?.message ?? 'error');
  }
}

export const hsdsError = (
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
) => new HsdsHttpError(status, [{ message, extensions: { ...extra, code } }]);

const STATUS_OF_CODE: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.RATE_LIMITED]: 429,
};

export interface OfferFilterInput {
  search?: string;
  organisationIds?: string[];
}

/**
 * The hub's GraphQL schema as the export's only data source: every field passes the policy
 * (enforce-policy.ts), and errors are formatted by the same function as on /graphql (known codes pass, anything else is
 * logged and answered as INTERNAL_SERVER_ERROR without details).
 */
export class HsdsSource {
  private readonly formatError: ReturnType<typeof createFormatError>;

  constructor(
    private readonly schema: GraphQLSchema,
    logger: Logger,
  ) {
    assertDocumentsValid(schema);
    this.formatError = createFormatError(logger);
  }

  toHttpError(errors: readonly GraphQLError[]): HsdsHttpError {
    const bodies = errors.map((error) => {
      const { message, extensions = {} } = this.formatError(error.toJSON(), error);
      // `http` steers Apollo's status; here the status is ours, and locations/paths would point into our query.
      const { http: _http, ...rest } = extensions;
      return { message, extensions: { ...rest, code: String(rest.code ?? ErrorCode.INTERNAL_SERVER_ERROR) } };
    });
    const codes = bodies.map((b) => b.extensions.code);
    const status = codes.includes(ErrorCode.INTERNAL_SERVER_ERROR) ? 500 : (STATUS_OF_CODE[codes[0]!] ?? 500);
    return new HsdsHttpError(status, bodies);
  }

  private async run<T>(
    document: DocumentNode,
    context: Context,
    variables: Record<string, unknown>,
  ): Promise<T> {
    const result = await execute({
      schema: this.schema,
      document,
      contextValue: context,
      variableValues: variables,
    });
    // No partial exports: a page with one failed field is an error, not a page with holes.
    if (result.errors?.length) throw this.toHttpError(result.errors);
    return result.data as T;
  }

  /**
   * HSDS pages are numbered, Relay connections are not: position (page − 1) × perPage is reached by
   * walking the cursor forward in steps of MAX_PAGE_SIZE. Page n costs ⌈(n − 1) × perPage / 100⌉ extra
   * executions of three SQL statements each (keyset page, count, offer batch); nothing for page 1 and
   * at most two for the demo's ~120 offers. Deep pages over very large data would want an offset
   * argument on `offers`. A page past the end stops after the first step (totalCount) and is empty.
   */
  async servicesPage(
    context: Context,
    page: number,
    perPage: number,
    filter: OfferFilterInput | null,
  ): Promise<{ totalCount: number; nodes: OfferNode[] }> {
    let toSkip = (page - 1) * perPage;
    let after: string | null = null;
    while (toSkip > 0) {
      const first = Math.min(toSkip, MAX_PAGE_SIZE);
      const { offers }: ServicesSkipData = await this.run(SERVICES_SKIP, context, { first, after, filter });
      if (!offers.pageInfo.hasNextPage || (page - 1) * perPage >= offers.totalCount) {
        return { totalCount: offers.totalCount, nodes: [] };
      }
      after = offers.pageInfo.endCursor;
      toSkip -= first;
    }
    const { offers } = await this.run<ServicesPageData>(SERVICES_PAGE, context, {
      first: perPage,
      after,
      filter,
    });
    return offers;
  }

  async service(context: Context, id: string): Promise<OfferNode> {
    const notFound = hsdsError(404, ErrorCode.NOT_FOUND, `Service "${id.slice(0, 100)}" was not found.`);
    try {
      const { offer } = await this.run<ServiceByIdData>(SERVICE_BY_ID, context, { id });
      if (!offer) throw notFound;
      return offer;
    } catch (error) {
      // A malformed id or one of another type names no service either: HSDS clients only know ids.
      if (error instanceof HsdsHttpError && (error.status === 400 || error.status === 404)) throw notFound;
      throw error;
    }
  }
}
