import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { Context } from '../context.js';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Errors that carry a code (ours, Apollo's parse/validation errors) go out as they are; anything else
 * is an internal failure: logged in full, answered with a generic message — no stack, no SQL.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
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
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
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

/** One structured log line per operation: name, duration, error codes. */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const codes = [
            ...new Set(
              (errors ?? []).map((e) => String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR)),
            ),
          ];
          logger.info(
            {
              operationName: operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              status: response.http.status ?? 200,
              errorCodes: codes.length ? codes : undefined,
            },
            'graphql request',
          );
        },
      };
    },
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
