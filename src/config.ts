import { z } from 'zod';
import {
  type HardeningConfig,
  hardeningProblems,
  hardeningSchema,
  productionRefusals,
  readOperationsAllowlist,
  toHardeningConfig,
} from './hardening.config.js';
import {
  type OidcConfig,
  oidcProblems,
  oidcSchema,
  parseServiceAccounts,
  type ServiceAccountMapping,
  type SessionConfig,
  toOidcConfig,
} from './oidc.config.js';

/** Every setting the hub reads from the environment, validated once at start. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  EMBEDDED_DATA_DIR: z.string().min(1).default('./.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(6_000),
  DRAIN_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds (0 stops at once)' })
    .int('must be a whole number of seconds (0 stops at once)')
    .min(0)
    .max(300, 'must be at most 300 (a load balancer notices a 503 within seconds)')
    .default(5),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 key)').optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3_600),
  AUTH_CACHE_TTL_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds (0 turns the cache off)' })
    .int('must be a whole number of milliseconds (0 turns the cache off)')
    .min(0, 'must be 0 (off) or more')
    .max(300_000, 'must be at most 300000 (5 minutes): it bounds how long a missed change could count')
    .default(30_000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  RESERVATION_HOLD_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  RESERVATION_MAX_HOLD_DAYS: z.coerce.number().int().min(1).max(120).default(30),
  CASE_BACKDATE_MAX_DAYS: z.coerce.number().int().min(0).max(3_650).default(90),
  EXPIRY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(1_000).default(25),
  SUBSCRIPTIONS_PER_VIEWER: z.coerce.number().int().min(1).max(100_000).default(200),
  STATISTICS_UPDATE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  STATISTICS_RELEASE_PERIOD: z.enum(['month', 'week', 'day']).default('month'),
  STATISTICS_RELEASE_MIN_CHANGES: z.coerce.number().int().min(1).max(100_000).default(10),
  STATISTICS_WARM: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  PLAYGROUND: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  READ_PLANS: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  MIGRATIONS_AT_START: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be 1–64 letters, digits or _ : . -')
    .default('hub:'),
  RATE_LIMIT_STORE: z.enum(['postgres', 'redis', 'memory'], 'must be postgres, redis or memory').optional(),
  // Days, as "7" or "7d".
  EVENT_RETENTION: z
    .string()
    .regex(/^\d+d?$/, 'must be a whole number of days, e.g. 7 or 7d')
    .default('7')
    .transform((v) => Number.parseInt(v, 10))
    .pipe(z.number().int().min(1, 'must be at least 1 day').max(3_650, 'must be at most 3650 days')),
  EVENT_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  // Webhook targets on loopback and private networks: for tests and closed networks only (SSRF otherwise).
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // Waits before each retry, in ms, comma-separated; after the last one a delivery counts as FAILED.
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of whole milliseconds')
    .default('5000,300000,1800000,7200000,18000000,36000000,36000000')
    .transform((v) => v.split(',').map((n) => Number.parseInt(n, 10)))
    .pipe(
      z
        .array(
          z
            .number()
            .int()
            .min(1)
            .max(7 * 86_400_000, 'a wait must be at most 7 days'),
        )
        .max(20, 'at most 20 retries'),
    ),
  // Saved searches' e-mail (src/modules/saved-search/): without SMTP_URL nothing is sent and hits wait.
  SMTP_URL: z
    .string()
    .regex(
      /^smtps?:\/\/[^\s]+$/,
      'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example:465',
    )
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).default('Bündnis Hub <no-reply@localhost>'),
  // Where people open the hub: links in e-mails (offer pages, confirm, unsubscribe) start with it.
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, message: 'must be the http:// or https:// address people open the hub at' })
    .optional(),
  SAVED_SEARCH_MAIL_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // The OTLP collector's base URL (the exporter adds /v1/traces), as the OpenTelemetry spec names it.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL of an OTLP collector' })
    .optional(),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'must be 1–100 letters, digits, ".", "_" or "-"')
    .default('buendnis-hub'),
});

export interface StatisticsConfig {
  /** The open year's figures stand on the last day of the previous period (a release). */
  releasePeriod: 'month' | 'week' | 'day';
  /** A new release replaces the last one only when at least this many cases changed since. */
  releaseMinChanges: number;
  /** Protect the open and the last closed year's tables at start, off the request path. */
  warmAtStart: boolean;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Set: use this PostgreSQL. Unset: start the embedded PostgreSQL in `embedded.dataDir`. */
  databaseUrl?: string;
  embedded: { dataDir: string; port: number };
  seedDemo: boolean;
  dbPoolMax: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** After SIGTERM: answer /readyz with 503 but keep serving this long, so a load balancer moves away first. */
  drainSeconds: number;
  auth: AuthConfig;
  places: PlacesConfig;
  /** Open subscriptions allowed per WebSocket connection and per viewer (account, or address for the public). */
  subscriptionLimits: { perConnection: number; perViewer: number };
  /** statisticsUpdated fires at most once per this many ms, however many cases change. */
  statisticsUpdateIntervalMs: number;
  statistics: StatisticsConfig;
  /** Serve the GraphiQL playground (/playground, GET /graphql from a browser). */
  playground: boolean;
  /** Answer the queries read plans cover with one statement per root field (src/modules/read-plan/). */
  readPlans: boolean;
  /** Request limits, abuse resistance, observability and database timeouts (src/hardening.config.ts). */
  hardening: HardeningConfig;
  /** Apply pending migrations at start (under an advisory lock); false: refuse to start while any are pending. */
  migrationsAtStart: boolean;
  /** Where sign-in attempts and request budgets are counted, shared by every instance (memory: this one only). */
  limitStore: { kind: 'postgres' | 'redis' | 'memory'; redisUrl?: string; redisKeyPrefix: string };
  /** Outbox pruning: events older than this many days are deleted, every intervalMs, by one instance. */
  eventRetention: { days: number; intervalMs: number };
  webhooks: WebhookConfig;
  /** E-mail of the saved searches; smtpUrl undefined: nothing is sent (hits are kept until it is set). */
  mail: MailConfig;
  /** OpenTelemetry traces over OTLP; undefined (and no OpenTelemetry code loaded) without an endpoint. */
  tracing?: { endpoint: string; serviceName: string };
}

export interface WebhookConfig {
  /** Loopback and private targets allowed (tests, closed networks); also plain http in production. */
  allowPrivateTargets: boolean;
  /** Only https targets (production, unless allowPrivateTargets). */
  httpsOnly: boolean;
  /** The wait before each retry; a delivery still failing after the last is FAILED. */
  retryScheduleMs: readonly number[];
}

export interface MailConfig {
  smtpUrl?: string;
  from: string;
  /** No trailing slash; links in mails start with it. */
  publicBaseUrl: string;
  /** How often each instance looks for due mails (the lease decides which instance sends). */
  workerIntervalMs: number;
}

export interface PlacesConfig {
  /** Default hold of a reservation before it expires. */
  holdDays: number;
  maxHoldDays: number;
  /** How far back a case event may be dated. */
  backdateMaxDays: number;
  /** How often each instance frees expired holds. */
  expirySweepIntervalMs: number;
}

export interface AuthConfig {
  /** HS256 key for tokens the hub signs (login, token CLI) and verifies. */
  jwtSecret?: string;
  /** True when jwtSecret was generated for development, not configured. */
  jwtSecretGenerated: boolean;
  /** A city's OIDC provider: verify RS256/ES256/EdDSA tokens against its key set. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  tokenTtlSeconds: number;
  /**
   * How long an instance may answer "this account is active, of this organisation, with these roles"
   * from memory (src/auth/account-access.ts); 0: asked of the database on every request.
   */
  accessCacheTtlMs: number;
  loginMaxFailures: number;
  loginBlockSeconds: number;
  /** Sign-in with the city's identity provider (src/modules/identity/); undefined when not configured. */
  oidc?: OidcConfig;
  /** Client-credentials tokens of the OIDC issuer: client id → the hub account it acts as. */
  serviceAccounts: ReadonlyMap<string, ServiceAccountMapping>;
  session: SessionConfig;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most 12-factor tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  const hardening = hardeningSchema.safeParse(cleaned);
  const oidc = oidcSchema.safeParse(cleaned);
  const issues = [
    ...(parsed.error?.issues ?? []),
    ...(hardening.error?.issues ?? []),
    ...(oidc.error?.issues ?? []),
  ];
  const lines = issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  lines.push(...hardeningProblems(cleaned).map((p) => `  ${p}`));
  const allowlist = readOperationsAllowlist(cleaned.OPERATIONS_ALLOWLIST);
  if (allowlist.problem) lines.push(`  ${allowlist.problem}`);
  if (
    cleaned.NODE_ENV === 'production' &&
    cleaned.SMTP_URL &&
    !cleaned.PUBLIC_BASE_URL?.startsWith('https://')
  ) {
    // Links in mails start with it, and one-click unsubscribe (RFC 8058) needs https.
    lines.push(
      '  PUBLIC_BASE_URL: must be the https:// address of the hub when SMTP_URL is set in production',
    );
  }
  if (cleaned.RATE_LIMIT_STORE === 'redis' && !cleaned.REDIS_URL) {
    lines.push('  RATE_LIMIT_STORE: redis needs REDIS_URL');
  }
  if (oidc.success) {
    lines.push(
      ...oidcProblems(oidc.data, {
        production: cleaned.NODE_ENV === 'production',
        authAudience: cleaned.AUTH_AUDIENCE,
        authJwksUrl: cleaned.AUTH_JWKS_URL,
        authJwtSecret: cleaned.AUTH_JWT_SECRET,
      }).map((p) => `  ${p}`),
    );
  }
  if (!parsed.success || !hardening.success || !oidc.success || lines.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const o = oidc.data;
  const production = e.NODE_ENV === 'production';
  if (e.NODE_ENV === 'production' && !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  AUTH_JWT_SECRET or AUTH_JWKS_URL must be set in production (no development key is generated there).',
    );
  }
  const refusals = production
    ? productionRefusals(hardening.data, {
        seedDemo: e.SEED_DEMO,
        authJwtSecret: e.AUTH_JWT_SECRET,
        databaseUrl: e.DATABASE_URL,
        playground: e.PLAYGROUND,
      })
    : [];
  if (refusals.length > 0) {
    throw new ConfigError(
      `Unsafe configuration for production:\n${refusals.map((r) => `  ${r}`).join('\n')}`,
    );
  }
  if (e.AUTH_JWKS_URL && (!e.AUTH_ISSUER || !e.AUTH_AUDIENCE)) {
    throw new ConfigError(
      'Invalid configuration:\n  AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE: tokens of an identity provider are accepted only for this hub.',
    );
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    embedded: { dataDir: e.EMBEDDED_DATA_DIR, port: e.EMBEDDED_PG_PORT },
    // The demo seed loads on the embedded default, or when asked for explicitly.
    seedDemo: e.SEED_DEMO ?? e.DATABASE_URL === undefined,
    dbPoolMax: e.DB_POOL_MAX,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    drainSeconds: e.DRAIN_SECONDS,
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET,
      jwtSecretGenerated: false,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
      accessCacheTtlMs: e.AUTH_CACHE_TTL_MS,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginBlockSeconds: e.LOGIN_BLOCK_SECONDS,
      oidc: toOidcConfig(o, production),
      serviceAccounts: o.OIDC_SERVICE_ACCOUNTS
        ? (parseServiceAccounts(o.OIDC_SERVICE_ACCOUNTS) as Map<string, ServiceAccountMapping>)
        : new Map(),
      session: {
        secret: o.SESSION_SECRET,
        maxAgeSeconds: o.SESSION_MAX_AGE_SECONDS,
        passwordLogin: o.PASSWORD_LOGIN,
      },
    },
    statisticsUpdateIntervalMs: e.STATISTICS_UPDATE_INTERVAL_MS,
    statistics: {
      releasePeriod: e.STATISTICS_RELEASE_PERIOD,
      releaseMinChanges: e.STATISTICS_RELEASE_MIN_CHANGES,
      // Tests start many hubs: each warms only what it is asked for.
      warmAtStart: e.STATISTICS_WARM ?? e.NODE_ENV !== 'test',
    },
    // A developer tool: on by default, in production only when asked for.
    playground: e.PLAYGROUND ?? e.NODE_ENV !== 'production',
    readPlans: e.READ_PLANS,
    subscriptionLimits: {
      perConnection: e.SUBSCRIPTIONS_PER_CONNECTION,
      perViewer: e.SUBSCRIPTIONS_PER_VIEWER,
    },
    places: {
      holdDays: e.RESERVATION_HOLD_DAYS,
      maxHoldDays: Math.max(e.RESERVATION_MAX_HOLD_DAYS, e.RESERVATION_HOLD_DAYS),
      backdateMaxDays: e.CASE_BACKDATE_MAX_DAYS,
      expirySweepIntervalMs: e.EXPIRY_SWEEP_INTERVAL_MS,
    },
    hardening: toHardeningConfig(hardening.data, production, allowlist.allowlist),
    migrationsAtStart: e.MIGRATIONS_AT_START,
    limitStore: {
      kind: e.RATE_LIMIT_STORE ?? (e.REDIS_URL ? 'redis' : 'postgres'),
      redisUrl: e.REDIS_URL,
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
    },
    eventRetention: { days: e.EVENT_RETENTION, intervalMs: e.EVENT_RETENTION_INTERVAL_MS },
    webhooks: {
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      httpsOnly: production && !e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE_MS,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      workerIntervalMs: e.SAVED_SEARCH_MAIL_INTERVAL_MS,
    },
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME }
      : undefined,
  };
}
