import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { Context } from '../context.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  serviceUnavailable,
} from '../db/availability.js';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { tokenLimitOf } from './token-limit.js';

/**
 * Errors that carry a code (ours, Apollo's parse/validation errors) go out as they are; anything else
 * is an internal failure: logged in full, answered with a generic message — no stack, no SQL.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    // Request limits: our rules' errors pass Apollo's validation/parse wrappers, which overwrite the code.
    const limit = limitOf(formatted);
    if (limit) {
      const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
      return {
        ...formatted,
        message: limit.message ?? formatted.message,
        extensions: { ...extensions, ...limit.extensions },
      };
    }
    const known =
      original instanceof GraphQLError &&
      typeof code === 'string' &&
      code !== ErrorCode.INTERNAL_SERVER_ERROR;
    if (original instanceof ArgumentValidationError) {
      const fields = flattenValidationErrors(original.extensions.validationErrors);
      return {
        message: `Invalid input: ${fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join(' | ')}`,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
      };
    }
    if (known) {
      // extensions.http sets Apollo's status and headers; it never goes to the client (nor over WebSocket).
      const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database unavailable');
      const unavailable = serviceUnavailable();
      return {
        message: unavailable.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
      };
    }
    logger.error({ err: original, path: formatted.path }, 'internal error while resolving');
    return {
      message: 'Internal server error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** Says once per response which fields were redacted and by which rule, instead of one error per row. */
export function redactionReportPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const redactions = contextValue.access?.redactions ?? [];
          if (redactions.length === 0 || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, redactions };
        },
      };
    },
  };
}

/** The limit a parse or validation error reports (ours carry extensions.limit; the token limit is graphql-js's). */
function limitOf(
  formatted: GraphQLFormattedError,
): { message?: string; extensions: Record<string, unknown> } | undefined {
  if (typeof formatted.extensions?.limit === 'string') {
    return { extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED } };
  }
  const tokens = tokenLimitOf(formatted);
  if (tokens === undefined) return undefined;
  return {
    message: `Token limit of ${tokens} exceeded: the document is too large.`,
    extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit: 'tokens', maximum: tokens },
  };
}

/** class-validator's nested errors → [{ field: 'input.eligibility.minAge', problems: [...] }], values left out. */
function flattenValidationErrors(
  errors: ValidationError[],
  prefix = '',
): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
