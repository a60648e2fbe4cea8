import { z } from 'zod';
import { OperationsAllowlist } from './operations-allowlist.js';

/**
 * Settings of the production hardening (request limits, abuse resistance, observability, database
 * timeouts), validated at start together with the rest of the configuration (src/config.ts). The
 * defaults and why they are what they are: README, "Limits".
 */
const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const hardeningSchema = z.object({
  GRAPHQL_MAX_DEPTH: int(1, 100, 12),
  GRAPHQL_MAX_ALIASES: int(0, 1_000, 30),
  GRAPHQL_MAX_DIRECTIVES: int(0, 1_000, 50),
  GRAPHQL_MAX_TOKENS: int(100, 100_000, 3_000),
  GRAPHQL_MAX_COST: int(10, 10_000_000, 20_000),
  GRAPHQL_MAX_BATCH: int(0, 100, 0),
  GRAPHQL_MAX_VARIABLES_BYTES: int(256, 10_000_000, 65_536),
  BODY_LIMIT_BYTES: int(1_024, 50_000_000, 262_144),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 3_600, 60),
  RATE_LIMIT_QUERIES_PER_VIEWER: int(1, 1_000_000, 600),
  RATE_LIMIT_QUERIES_PER_ADDRESS: int(1, 1_000_000, 2_400),
  RATE_LIMIT_MUTATIONS_PER_VIEWER: int(1, 1_000_000, 300),
  RATE_LIMIT_MUTATIONS_PER_ADDRESS: int(1, 1_000_000, 600),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  INTROSPECTION: z.enum(['all', 'partners', 'off']).optional(),
  OPERATIONS_ALLOWLIST: z.string().min(1).optional(),
  METRICS_ENABLED: bool(true),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DB_CONNECT_TIMEOUT_MS: int(100, 60_000, 3_000),
});

export type HardeningEnv = z.infer<typeof hardeningSchema>;

export type IntrospectionMode = 'all' | 'partners' | 'off';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Operations in one batched HTTP request (a JSON array); 0 refuses batches. */
  maxBatch: number;
  maxVariablesBytes: number;
  bodyLimitBytes: number;
}

export interface RateLimits {
  windowSeconds: number;
  queriesPerViewer: number;
  queriesPerAddress: number;
  mutationsPerViewer: number;
  mutationsPerAddress: number;
}

export interface HardeningConfig {
  limits: QueryLimits;
  rateLimits: RateLimits;
  /** Origins allowed cross-origin (CORS and WebSocket); '*' = any. Same-origin is always allowed. */
  corsOrigins: string[] | '*';
  /** Express "trust proxy": which X-Forwarded-For hops to believe for the client address. */
  trustProxy: boolean | number | string;
  introspection: IntrospectionMode;
  /** The allow-list (OPERATIONS_ALLOWLIST, read once at start); unset: any operation within the limits runs. */
  operationsAllowlist?: OperationsAllowlist;
  metrics: { enabled: boolean; token?: string };
  /** How long a database connection (and a pool slot) is waited for before SERVICE_UNAVAILABLE. */
  dbConnectTimeoutMs: number;
}

export function toHardeningConfig(
  e: HardeningEnv,
  production: boolean,
  operationsAllowlist?: OperationsAllowlist,
): HardeningConfig {
  return {
    limits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      maxBatch: e.GRAPHQL_MAX_BATCH,
      maxVariablesBytes: e.GRAPHQL_MAX_VARIABLES_BYTES,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
    },
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      queriesPerViewer: e.RATE_LIMIT_QUERIES_PER_VIEWER,
      queriesPerAddress: e.RATE_LIMIT_QUERIES_PER_ADDRESS,
      mutationsPerViewer: e.RATE_LIMIT_MUTATIONS_PER_VIEWER,
      mutationsPerAddress: e.RATE_LIMIT_MUTATIONS_PER_ADDRESS,
    },
    // Development: any origin (local front-ends on other ports). Production: same-origin only, unless listed.
    corsOrigins: parseOrigins(e.CORS_ORIGINS) ?? (production ? [] : '*'),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    introspection: e.INTROSPECTION ?? (production ? 'partners' : 'all'),
    operationsAllowlist,
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN },
    dbConnectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
  };
}

/** Problems with CORS_ORIGINS and the allow-list file that zod's field checks cannot see. */
export function hardeningProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const origins = parseOrigins(env.CORS_ORIGINS);
  if (Array.isArray(origins)) {
    for (const origin of origins) {
      if (!/^https?:\/\/[^/\s?#]+$/.test(origin)) {
        problems.push(
          `CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path), or use * alone`,
        );
      }
    }
  }
  return problems;
}

/** The allow-list file, read once; a missing or wrong file is a problem reported with the others at start. */
export function readOperationsAllowlist(path: string | undefined): {
  allowlist?: OperationsAllowlist;
  problem?: string;
} {
  if (!path) return {};
  try {
    return { allowlist: OperationsAllowlist.load(path) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Settings that are fine on a laptop and dangerous on the open internet. */
export function productionRefusals(
  e: HardeningEnv,
  base: { seedDemo?: boolean; authJwtSecret?: string; databaseUrl?: string; playground?: boolean },
): string[] {
  const refusals: string[] = [];
  // PLAYGROUND=true is allowed in production (partners sign in there), but not as an open door.
  if (base.playground && e.INTROSPECTION === 'all') {
    refusals.push(
      'PLAYGROUND=true with INTROSPECTION=all is refused in production: the public would browse the whole schema. Keep INTROSPECTION=partners (the default).',
    );
  }
  if (base.seedDemo) {
    refusals.push('SEED_DEMO=true is refused in production: the demo accounts share a published password.');
  }
  if (base.authJwtSecret && isWeakSecret(base.authJwtSecret)) {
    refusals.push(
      'AUTH_JWT_SECRET looks weak (repeated characters or a placeholder): use at least 32 random characters, e.g. `openssl rand -base64 48`.',
    );
  }
  if (base.databaseUrl && usesDefaultPassword(base.databaseUrl)) {
    refusals.push(
      'DATABASE_URL uses a published default password (docker-compose or embedded development value): set POSTGRES_PASSWORD / a real password.',
    );
  }
  if (!base.databaseUrl) {
    refusals.push(
      'DATABASE_URL must be set in production: the embedded PostgreSQL is a development default with a published password.',
    );
  }
  if (parseOrigins(e.CORS_ORIGINS) === '*') {
    refusals.push('CORS_ORIGINS=* is refused in production: list the dashboards’ origins instead.');
  }
  if (e.METRICS_ENABLED && !e.METRICS_TOKEN) {
    refusals.push(
      'METRICS_TOKEN must be set in production (GET /metrics then needs "Authorization: Bearer <token>"), or turn metrics off with METRICS_ENABLED=false.',
    );
  }
  return refusals;
}

function parseOrigins(value: string | undefined): string[] | '*' | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return list.includes('*') ? '*' : list;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  // A list of addresses/subnets or names Express knows (loopback, uniquelocal, …).
  return value;
}

const PLACEHOLDERS = /change.?me|secret.?key|your.?secret|placeholder|example|password|0123456789/i;

function isWeakSecret(secret: string): boolean {
  return new Set(secret).size < 12 || PLACEHOLDERS.test(secret);
}

const DEFAULT_PASSWORDS = ['hub-dev-password', 'buendnis-hub-embedded', 'postgres'];

function usesDefaultPassword(url: string): boolean {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return DEFAULT_PASSWORDS.includes(password);
  } catch {
    return false;
  }
}
