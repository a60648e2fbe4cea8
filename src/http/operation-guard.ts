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
import type { IntrospectionMode, QueryLimits } from '../hardening.config.js';
import type { HubMetrics } from '../observability/metrics.js';
import type { GraphQLRequestInfo } from '../observability/request-log.js';
import type { OperationsAllowlist } from './allowlist.js';
import { checkIntrospection } from './introspection.js';
import { checkCost, checkVariables, limitExceeded, limitRules, tokenLimitOf } from './limits.js';
import type { OperationKind, RequestRateLimiter } from './rate-limit.js';

export interface OperationGuardOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  introspection: IntrospectionMode;
  rateLimiter: RequestRateLimiter;
  allowlist?: OperationsAllowlist;
  metrics: HubMetrics;
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

  /** Before parsing: the allow-list and the request budget (every operation counts, valid or not). */
  async admitSource(queryHash: string | undefined, viewer: Viewer, address: string): Promise<void> {
    if (this.options.allowlist && !(queryHash && this.options.allowlist.has(queryHash))) {
      this.options.allowlist.resolve(undefined, undefined);
    }
    await this.options.rateLimiter.consume('query', viewer, address);
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
          metrics.recordOperation('http', name, type, (performance.now() - started) / 1000, codes);
        };
        return {
          async didResolveSource({ queryHash }) {
            try {
              await guard.admitSource(queryHash, contextValue.viewer, contextValue.clientAddress);
            } catch (error) {
              finish(null, undefined, [String((error as GraphQLError).extensions?.code)]);
              throw error;
            }
          },
          async didResolveOperation({ document, operation, operationName, request }) {
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
