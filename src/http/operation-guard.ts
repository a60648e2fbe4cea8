import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { isDatabaseUnavailable, serviceUnavailable } from '../db/availability.js';
import { ErrorCode } from '../errors.js';
import { tokenLimitOf } from '../graphql/token-limit.js';
import type { IntrospectionMode, QueryLimits } from '../hardening.config.js';
import type { HubMetrics } from '../observability/metrics.js';
import type { GraphQLRequestInfo } from '../observability/request-log.js';
import type { OperationsAllowlist } from '../operations-allowlist.js';
import { checkIntrospection } from './introspection.js';
import { checkCost, checkText, checkVariables, limitExceeded, limitRules } from './limits.js';
import type { OperationKind, RequestRateLimiter } from './rate-limit.js';

/** What a request asks to run, before anything is parsed: the document text and/or its hash. */
export interface RequestedOperation {
  query?: string;
  hash?: string;
}

/** The operations of an HTTP request: a POST body (one or a batch) or GET parameters. */
export function requestedOperations(body: unknown, search: Record<string, unknown>): RequestedOperation[] {
  const one = (value: unknown, extensions: unknown): RequestedOperation => {
    let ext = extensions;
    if (typeof ext === 'string') {
      try {
        ext = JSON.parse(ext);
      } catch {
        ext = undefined;
      }
    }
    const hash = (ext as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery
      ?.sha256Hash;
    return {
      query: typeof value === 'string' ? value : undefined,
      hash: typeof hash === 'string' ? hash : undefined,
    };
  };
  const asOperation = (item: unknown) => {
    const op = (item && typeof item === 'object' ? item : {}) as { query?: unknown; extensions?: unknown };
    return one(op.query, op.extensions);
  };
  if (Array.isArray(body)) return body.map(asOperation);
  if (body && typeof body === 'object' && Object.keys(body).length > 0) return [asOperation(body)];
  return [one(search.query, search.extensions)];
}

export interface OperationGuardOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  introspection: IntrospectionMode;
  rateLimiter: RequestRateLimiter;
  allowlist?: OperationsAllowlist;
  /** Absent when METRICS_ENABLED=false. */
  metrics?: HubMetrics;
}

/**
 * The rules every operation passes before it runs, over HTTP (as an Apollo plugin) and WebSocket alike:
 * allow-list, rate limits, token/depth/alias/directive limits, variables size, introspection, cost.
 */
export class OperationGuard {
  readonly validationRules;
  readonly parseOptions;

  constructor(private readonly options: OperationGuardOptions) {
    this.validationRules = limitRules(options.limits);
    // graphql-js stops lexing after maxTokens: a huge document costs no more than a small one to refuse.
    this.parseOptions = { maxTokens: options.limits.maxTokens };
  }

  get allowlist() {
    return this.options.allowlist;
  }

  /**
   * Before parsing: the allow-list and the request budget (every operation counts, valid or not). Over
   * HTTP this runs in the context factory, the one place before parsing where Apollo answers a thrown
   * error with its own status (403, 429) instead of a 500.
   */
  async admitRequest(requested: RequestedOperation[], viewer: Viewer, address: string): Promise<void> {
    for (let i = 0; i < Math.max(1, requested.length); i++) {
      await this.options.rateLimiter.consume('query', viewer, address);
    }
    const allowlist = this.options.allowlist;
    if (allowlist) {
      // A hash alone is looked up by Apollo's persisted queries (read-only: the allow-list itself).
      for (const { query, hash } of requested) if (query !== undefined) allowlist.resolve(query, hash);
    }
  }

  /** After validation, before execution. Returns the operation's cost. */
  async admitOperation(args: {
    document: DocumentNode;
    operationName: string | undefined;
    variables: Record<string, unknown> | undefined;
    kind: OperationKind | undefined;
    viewer: Viewer;
    address: string;
  }): Promise<number | undefined> {
    checkVariables(args.variables, this.options.limits);
    checkText(args.document, args.variables);
    checkIntrospection(args.document, args.viewer, this.options.introspection);
    const cost = checkCost(
      this.options.schema,
      args.document,
      args.variables,
      args.operationName,
      this.options.limits,
    );
    if (args.kind === 'mutation')
      await this.options.rateLimiter.consume('mutation', args.viewer, args.address);
    return cost;
  }

  /** Parse and validate for the WebSocket path (Apollo does both itself for HTTP), with the same limits. */
  parseAndValidate(query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    let document: DocumentNode;
    try {
      document = parse(query, this.parseOptions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { errors: [asLimitError(error) ?? withCode(error, 'GRAPHQL_PARSE_FAILED')] };
    }
    const errors = validate(this.options.schema, document, [...specifiedRules, ...this.validationRules]);
    if (errors.length > 0) {
      return {
        errors: errors.map((e) => (e.extensions.code ? e : withCode(e, 'GRAPHQL_VALIDATION_FAILED'))),
      };
    }
    return { document };
  }

  /**
   * The Apollo plugin. `infoOf` links a request's context to its log/metrics record; errors thrown before
   * parsing leave Apollo's pipeline early, so they are recorded here first.
   */
  apolloPlugin(infoOf: (context: Context) => GraphQLRequestInfo | undefined): ApolloServerPlugin<Context> {
    const guard = this;
    const { metrics } = this.options;
    return {
      async requestDidStart({ contextValue }) {
        const started = performance.now();
        const info = infoOf(contextValue);
        const finish = (name: string | null, type: string | undefined, codes: string[]) => {
          for (const code of codes) info?.errorCodes.add(code);
          info?.operations.push({ name, type });
          metrics?.recordOperation('http', name, type, (performance.now() - started) / 1000, codes);
        };
        return {
          async didResolveOperation({ document, operation, operationName, request }) {
            // Subscriptions need a stream: over HTTP they would run once without an event.
            if (operation?.operation === 'subscription')
              throw new GraphQLError(
                'Subscriptions run over WebSocket (graphql-ws protocol) on the same path, not over HTTP.',
                { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } },
              );
            await guard.admitOperation({
              document,
              operationName: operationName ?? undefined,
              variables: request.variables,
              kind: operation?.operation,
              viewer: contextValue.viewer,
              address: contextValue.clientAddress,
            });
          },
          async willSendResponse({ response, operation, operationName }) {
            if (response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const codes = [
              ...new Set(
                (result.errors ?? []).map((e) =>
                  String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR),
                ),
              ),
            ];
            // The database was away and nothing could be answered: 503 with Retry-After, not 200 or 500.
            if (
              codes.includes(ErrorCode.SERVICE_UNAVAILABLE) &&
              (result.data === null || result.data === undefined)
            ) {
              const unavailable = serviceUnavailable().extensions.http as {
                status: number;
                headers: Map<string, string>;
              };
              response.http.status = unavailable.status;
              for (const [name, value] of unavailable.headers) response.http.headers.set(name, value);
            }
            finish(operationName ?? null, operation?.operation, codes);
          },
        };
      },
    };
  }
}

/** Parse errors caused by the token limit become QUERY_LIMIT_EXCEEDED (limit: tokens). */
export function asLimitError(error: GraphQLError): GraphQLError | undefined {
  const maximum = tokenLimitOf(error);
  if (maximum === undefined) return undefined;
  return limitExceeded(
    'tokens',
    maximum,
    undefined,
    `Token limit of ${maximum} exceeded: the document is too large.`,
  );
}

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });

/** Context creation failed: the database being away is SERVICE_UNAVAILABLE, not an internal error. */
export function contextFailure(error: unknown): unknown {
  return !(error instanceof GraphQLError) && isDatabaseUnavailable(error) ? serviceUnavailable() : error;
}
