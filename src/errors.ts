import { GraphQLError } from 'graphql';

/** Stable error codes in `extensions.code`; clients switch on these, never on messages. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  NO_PLACES_LEFT = 'NO_PLACES_LEFT',
  RATE_LIMITED = 'RATE_LIMITED',
  /** A request limit (depth, aliases, directives, tokens, cost, batch, variables) was hit: `extensions.limit`, `maximum`. */
  QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED',
  /** The database cannot be reached right now; retry after `extensions.retryAfterSeconds`. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** Allow-list mode: a hash that is not on the list (Apollo's persisted-query code, which clients understand). */
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const badInput = (message: string, extensions: Record<string, unknown> = {}) =>
  new HubError(ErrorCode.BAD_USER_INPUT, message, extensions);

export const notFound = (typeName: string, id: string) =>
  new HubError(ErrorCode.NOT_FOUND, `${typeName} ${id} was not found.`, { typeName, id });

/** BAD_USER_INPUT naming the field, in the same shape as class-validator failures (extensions.fields). */
export const fieldError = (field: string, problem: string) =>
  new HubError(ErrorCode.BAD_USER_INPUT, `Invalid input: ${field}: ${problem}`, {
    fields: [{ field, problems: [problem] }],
  });

export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  new HubError(ErrorCode.CONFLICT, message, extensions);

export const forbidden = (message: string) => new HubError(ErrorCode.FORBIDDEN, message);
