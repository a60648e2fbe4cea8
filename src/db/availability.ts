import { ErrorCode, HubError } from '../errors.js';

/** Seconds a client is told to wait after SERVICE_UNAVAILABLE: about one reconnect of the pool. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// PostgreSQL SQLSTATEs that mean "the server or the connection is gone", not "your statement is wrong":
// class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now),
// 53300 (too many connections).
// 08P01 (protocol violation) is excluded: that is a statement the server could not read, not an outage.
const UNAVAILABLE_SQLSTATE = /^(08(?!P01)\w{3}|57P0[1-3]|53300)$/;
const UNAVAILABLE_SYSCALL = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// What pg, knex/tarn and MikroORM say when there is no connection (they carry no code). "Transaction
// query already complete" is knex refusing the next statement of a transaction whose connection died.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Timeout acquiring a connection|Unable to acquire a connection|Client has encountered a connection error|Connection ended unexpectedly|Client was closed and is not queryable|terminating connection due to administrator command|the database system is (starting up|shutting down)|Transaction query already complete/i;

/**
 * Is this error (or anything it wraps) the database being unreachable? Such failures are answered with
 * SERVICE_UNAVAILABLE instead of INTERNAL_SERVER_ERROR: nothing is wrong with the request, it can be
 * retried once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; name?: unknown; message?: unknown };
    if (
      typeof e.code === 'string' &&
      (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_SYSCALL.has(e.code))
    ) {
      return true;
    }
    if (e.name === 'KnexTimeoutError' || e.name === 'ConnectionException') return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    const next = current as { originalError?: unknown; cause?: unknown; previous?: unknown };
    current = next.originalError ?? next.cause ?? next.previous;
  }
  return false;
}

export const serviceUnavailable = () =>
  new HubError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'The database is not reachable right now. Please retry shortly.',
    {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      http: { status: 503, headers: new Map([['retry-after', String(DATABASE_RETRY_AFTER_SECONDS)]]) },
    },
  );
