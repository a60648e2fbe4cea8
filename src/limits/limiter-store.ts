import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';

export type LimiterStoreKind = 'postgres' | 'redis' | 'memory';

/** A fixed-window counter (sign-in attempts, request budgets): rate-limiter-flexible's calls the hub uses. */
export interface Limiter {
  /** Resolves with what is left; rejects with a RateLimiterRes once the budget is spent. */
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

export interface LimiterOptions {
  /** Keeps the counters of different limits apart in the shared table or key space. */
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

export interface LimiterStore {
  readonly kind: LimiterStoreKind;
  limiter(options: LimiterOptions): Limiter;
  /** True while the store is unreachable and this instance counts in its own memory. */
  readonly degraded: boolean;
  close(): Promise<void>;
}

/** rate-limiter-flexible's PostgreSQL table (created by a migration, never by the library). */
export const RATE_LIMIT_TABLE = 'rate_limit';
/** A store call that takes longer than this counts as a failure (then the insurance limiter answers). */
const STORE_TIMEOUT_MS = 1_500;
/**
 * A new store connection is waited for at most this long: in a database outage the first request pays it
 * on top of its own wait for the database (the next ones skip the store), so it is kept short.
 */
const STORE_CONNECT_TIMEOUT_MS = 750;
/** After a failure the store is left alone this long: requests do not each wait for a dead store. */
const RETRY_STORE_AFTER_MS = 5_000;
/** Expired PostgreSQL rows are deleted this often (each instance; a cheap indexed delete). */
const SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * Whether the shared store answers. When it does not, every limiter falls back to its in-memory
 * insurance limiter (rate-limiter-flexible's `insuranceLimiter`): each instance then counts on its own,
 * which is weaker but never refuses or fails a request because the store is away. That change of state
 * is logged once each way, not once per request.
 */
class StoreHealth {
  private degradedSince?: number;
  private skipUntil = 0;
  private lastError?: string;
  /** Bumped whenever an insurance limiter answered in the store's place. */
  fallbacks = 0;

  constructor(
    private readonly kind: LimiterStoreKind,
    private readonly logger: Logger,
  ) {}

  get degraded(): boolean {
    return this.degradedSince !== undefined;
  }

  /** While set, calls go straight to the insurance limiter. */
  get skipping(): boolean {
    return Date.now() < this.skipUntil;
  }

  noteError(error: unknown): void {
    this.lastError = error instanceof Error ? error.message || error.name : String(error);
  }

  fellBack(): void {
    this.fallbacks++;
    this.skipUntil = Date.now() + RETRY_STORE_AFTER_MS;
    if (this.degradedSince !== undefined) return;
    this.degradedSince = Date.now();
    this.logger.warn(
      { store: this.kind, reason: this.lastError },
      "rate-limit store unreachable: sign-in attempts and request budgets are counted in this instance's memory until it answers again",
    );
  }

  answered(): void {
    if (this.degradedSince === undefined) return;
    const seconds = Math.round((Date.now() - this.degradedSince) / 1000);
    this.degradedSince = undefined;
    this.lastError = undefined;
    this.logger.info({ store: this.kind, degradedSeconds: seconds }, 'rate-limit store answers again');
  }
}

/** The in-memory stand-in; reports each call the store library hands to it as a fallback. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: LimiterOptions,
    private readonly health: StoreHealth,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>) {
    this.health.fellBack();
    return super.consume(...args);
  }

  override reward(...args: Parameters<RateLimiterMemory['reward']>) {
    this.health.fellBack();
    return super.reward(...args);
  }

  override delete(...args: Parameters<RateLimiterMemory['delete']>) {
    this.health.fellBack();
    return super.delete(...args);
  }
}

/**
 * What a shared store keeps instead of the key: the keys are e-mail addresses and client addresses, and
 * the store (a table, a Redis others may read) need not hold a list of who tried to sign in from where.
 */
export function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 27);
}

/** A store limiter with its insurance, skipping the store for a while after it failed. */
class InsuredLimiter implements Limiter {
  constructor(
    private readonly store: RateLimiterAbstract,
    private readonly insurance: InsuranceLimiter,
    private readonly health: StoreHealth,
  ) {}

  consume(key: string, points = 1): Promise<RateLimiterRes> {
    const stored = storedKey(key);
    if (this.health.skipping) return RateLimiterMemory.prototype.consume.call(this.insurance, stored, points);
    return this.watch(this.store.consume(stored, points));
  }

  reward(key: string, points = 1): Promise<RateLimiterRes> {
    const stored = storedKey(key);
    if (this.health.skipping) return RateLimiterMemory.prototype.reward.call(this.insurance, stored, points);
    return this.watch(this.store.reward(stored, points));
  }

  delete(key: string): Promise<boolean> {
    const stored = storedKey(key);
    if (this.health.skipping) return RateLimiterMemory.prototype.delete.call(this.insurance, stored);
    return this.watch(this.store.delete(stored));
  }

  /** No fallback anywhere while this call ran: the store answered it (a refusal is an answer too). */
  private watch<T>(call: Promise<T>): Promise<T> {
    const before = this.health.fallbacks;
    const settle = () => {
      if (this.health.fallbacks === before) this.health.answered();
    };
    return call.then(
      (value) => {
        settle();
        return value;
      },
      (reason: unknown) => {
        settle();
        throw reason;
      },
    );
  }
}

/** Counters of this instance only (RATE_LIMIT_STORE=memory: a single instance, benchmarks). */
function memoryStore(): LimiterStore {
  return {
    kind: 'memory',
    degraded: false,
    limiter: (options) => new RateLimiterMemory(options),
    close: async () => undefined,
  };
}

function postgresStore(databaseUrl: string, connectTimeoutMs: number, logger: Logger): LimiterStore {
  const health = new StoreHealth('postgres', logger);
  // A small pool of its own: a request's count never waits behind the ORM's busy pool, nor takes its slots.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: 'hub-rate-limits',
    max: 4,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: Math.min(connectTimeoutMs, STORE_CONNECT_TIMEOUT_MS),
    query_timeout: STORE_TIMEOUT_MS,
  });
  // An idle connection that dies (database restart) is replaced on the next query; no crash meanwhile.
  pool.on('error', (error) => health.noteError(error));
  const sweep = setInterval(() => {
    pool
      .query(`delete from ${RATE_LIMIT_TABLE} where expire < $1`, [Date.now() - 3_600_000])
      .catch((error: unknown) => health.noteError(error));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  return {
    kind: 'postgres',
    get degraded() {
      return health.degraded;
    },
    limiter(options) {
      const insurance = new InsuranceLimiter(options, health);
      const store = new RateLimiterPostgres({
        ...options,
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        insuranceLimiter: insurance,
      });
      return new InsuredLimiter(store, insurance, health);
    },
    async close() {
      clearInterval(sweep);
      await pool.end().catch(() => undefined);
    },
  };
}

async function redisStore(
  redisUrl: string,
  keyPrefix: string,
  connectTimeoutMs: number,
  logger: Logger,
): Promise<LimiterStore> {
  const health = new StoreHealth('redis', logger);
  const redis = new Redis(redisUrl, {
    // Commands fail at once while disconnected (the insurance limiter answers) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(connectTimeoutMs, STORE_CONNECT_TIMEOUT_MS),
    commandTimeout: STORE_TIMEOUT_MS,
    lazyConnect: true,
    // Reconnects forever, at most every 2 s: the store may come back at any time.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // ioredis emits an error per failed reconnect; the state change is logged once by StoreHealth.
  redis.on('error', (error) => health.noteError(error));
  // A store that is down at start is not a reason to refuse to start: ioredis keeps trying.
  await redis.connect().catch((error: unknown) => health.noteError(error));
  return {
    kind: 'redis',
    get degraded() {
      return health.degraded;
    },
    limiter(options) {
      const insurance = new InsuranceLimiter(options, health);
      const store = new RateLimiterRedis({
        ...options,
        // One Redis may serve several hubs (staging beside production): each keeps to its own keys.
        keyPrefix: `${keyPrefix}${options.keyPrefix}`,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: insurance,
      });
      return new InsuredLimiter(store, insurance, health);
    },
    async close() {
      redis.disconnect(false);
    },
  };
}

/** The store the configuration names: PostgreSQL by default, Redis with REDIS_URL, or memory. */
export async function openLimiterStore(options: {
  kind: LimiterStoreKind;
  databaseUrl: string;
  redisUrl?: string;
  redisKeyPrefix?: string;
  connectTimeoutMs: number;
  logger: Logger;
}): Promise<LimiterStore> {
  const { kind, databaseUrl, redisUrl, redisKeyPrefix = 'hub:', connectTimeoutMs, logger } = options;
  if (kind === 'redis' && redisUrl) return redisStore(redisUrl, redisKeyPrefix, connectTimeoutMs, logger);
  if (kind === 'postgres') return postgresStore(databaseUrl, connectTimeoutMs, logger);
  return memoryStore();
}
