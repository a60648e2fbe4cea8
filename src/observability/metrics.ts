import { timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ErrorCode } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';

/** At most this many distinct operation names become label values; later ones count as "other". */
export const MAX_OPERATION_LABELS = 100;

// Every code the hub or Apollo may put into extensions.code; anything else is counted as OTHER.
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The hub's Prometheus metrics (prom-client), one registry per server so several hubs in one process
 * (tests) never share counters. Label values are bounded: operation names (first MAX_OPERATION_LABELS
 * seen, or exactly the allow-list's), error codes (the known set), routes and status codes.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly fixedNames?: Set<string>;

  readonly httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP requests by route and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly operationDuration = new Histogram({
    name: 'hub_graphql_operation_duration_seconds',
    help: 'GraphQL operations by operation name, type and transport (http, ws); subscriptions: their lifetime.',
    labelNames: ['operation', 'type', 'transport'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'hub_graphql_errors_total',
    help: 'Errors in GraphQL responses by extensions.code.',
    labelNames: ['code', 'transport'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'hub_rate_limited_total',
    help: 'Operations refused by a rate limit, by budget (query, mutation) and scope (viewer, address).',
    labelNames: ['kind', 'scope'] as const,
    registers: [this.registry],
  });

  constructor(options: {
    orm: MikroORM;
    bus: EventBus;
    openSubscriptions: () => number;
    openConnections: () => number;
    allowedOperationNames?: Set<string>;
  }) {
    this.fixedNames = options.allowedOperationNames;
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
    const registers = [this.registry];
    new Gauge({
      name: 'hub_subscriptions_open',
      help: 'Open GraphQL subscriptions on this instance.',
      registers,
      collect() {
        this.set(options.openSubscriptions());
      },
    });
    new Gauge({
      name: 'hub_websocket_connections_open',
      help: 'Open graphql-ws connections on this instance.',
      registers,
      collect() {
        this.set(options.openConnections());
      },
    });
    const bus = options.bus;
    new Gauge({
      name: 'hub_event_lag_seconds',
      help: 'Delay between the last delivered domain event’s time and its delivery to this instance.',
      registers,
      collect() {
        const lag = bus.stats.lastLagSeconds;
        if (lag !== undefined) this.set(lag);
      },
    });
    new Gauge({
      name: 'hub_event_last_delivered_id',
      help: 'Id of the last domain event delivered to this instance’s subscribers.',
      registers,
      collect() {
        const id = bus.stats.lastDeliveredId;
        if (id !== undefined) this.set(id);
      },
    });
    new Gauge({
      name: 'hub_event_listener_connected',
      help: '1 while the LISTEN connection for domain events is up.',
      registers,
      collect() {
        this.set(bus.stats.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hub_events_delivered',
      help: 'Domain events delivered to this instance since start.',
      registers,
      collect() {
        this.set(bus.stats.delivered);
      },
    });
    const orm = options.orm;
    new Gauge({
      name: 'hub_db_pool_connections',
      help: 'Database pool connections by state (used, idle), and requests waiting for one (pending).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const pool = poolOf(orm);
        if (!pool) return;
        this.set({ state: 'used' }, pool.numUsed());
        this.set({ state: 'idle' }, pool.numFree());
        this.set({ state: 'pending' }, pool.numPendingAcquires());
        this.set({ state: 'creating' }, pool.numPendingCreates());
      },
    });
    new Gauge({
      name: 'hub_db_pool_max',
      help: 'Largest size of the database pool (DB_POOL_MAX).',
      registers,
      collect() {
        const pool = poolOf(orm);
        if (pool) this.set(pool.max);
      },
    });
  }

  /** A bounded label for an operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.fixedNames) return this.fixedNames.has(name) ? name : 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationNames.add(name);
    return name;
  }

  errorCode(code: unknown): string {
    return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER';
  }

  recordOperation(
    transport: 'http' | 'ws',
    name: string | null | undefined,
    type: string | undefined,
    seconds: number,
    codes: string[],
  ): void {
    this.operationDuration.observe(
      { operation: this.operationLabel(name), type: type ?? 'unknown', transport },
      seconds,
    );
    for (const code of codes) this.errors.inc({ code: this.errorCode(code), transport });
  }

  /** Times every HTTP request; routes are a fixed set, so label values stay bounded. */
  httpTimer(): RequestHandler {
    return (req, res, next) => {
      const end = this.httpDuration.startTimer();
      // Taken now: under a mounted router Express rewrites req.path.
      const route = routeOf(req.path);
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      res.once('finish', () => end({ route, method, status: String(res.statusCode) }));
      next();
    };
  }

  /** GET /metrics; with a token, only for "Authorization: Bearer <token>". */
  handler(token: string | undefined): RequestHandler {
    const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
    return async (req, res) => {
      if (expected) {
        const given = Buffer.from(req.headers.authorization ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          res
            .status(401)
            .set('www-authenticate', 'Bearer')
            .json({
              errors: [
                { message: 'Metrics need the METRICS_TOKEN.', extensions: { code: 'UNAUTHENTICATED' } },
              ],
            });
          return;
        }
      }
      res.set('content-type', this.registry.contentType).send(await this.registry.metrics());
    };
  }
}

const KNOWN_METHODS = new Set(['GET', 'POST', 'OPTIONS', 'HEAD']);
const ROUTES = ['/graphql', '/hsds', '/healthz', '/readyz', '/metrics'];

function routeOf(path: string): string {
  return ROUTES.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}

interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

function poolOf(orm: MikroORM): TarnPool | undefined {
  try {
    const knex = orm.em.getConnection().getKnex() as unknown as { client?: { pool?: TarnPool } };
    return knex.client?.pool ?? undefined;
  } catch {
    return undefined;
  }
}
