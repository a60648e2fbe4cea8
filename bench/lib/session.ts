import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { type Config, loadConfig } from '../../src/config.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/** Progress lines go to stderr; result tables to stdout. */
export const progress = (message: string) => process.stderr.write(`${message}\n`);

/**
 * What every benchmark shares: a scratch database on the given server, the steps that release what the
 * run opened (in reverse order, once, also on SIGINT/SIGTERM), and dropping or keeping the database.
 */
export class BenchSession {
  database?: ScratchDatabase;
  private readonly releases: (() => Promise<unknown>)[] = [];
  private cleaning?: Promise<void>;

  constructor(private readonly keep: boolean) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        progress(`${signal}: stopping`);
        void this.cleanup().finally(() => process.exit(130));
      });
    }
  }

  async createDatabase(serverUrl: string): Promise<ScratchDatabase> {
    this.database = await createScratchDatabase(serverUrl);
    progress(`scratch database ${this.database.name}`);
    return this.database;
  }

  /** Registers how to release something the run opened; released last-opened first. */
  onCleanup(release: () => Promise<unknown>): void {
    this.releases.push(release);
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const release of [...this.releases].reverse()) {
        await release().catch((error) => progress(`cleanup step failed: ${String(error)}`));
      }
      const database = this.database;
      if (!database) return;
      if (this.keep) progress(`kept the scratch database: ${database.url}`);
      else
        await database.drop().then(
          () => progress(`dropped the scratch database ${database.name}`),
          (error) => progress(`could not drop the scratch database ${database.name}: ${String(error)}`),
        );
    })();
    return this.cleaning;
  }
}

/**
 * The environment of a benchmark's hub: production mode on the scratch database, quiet, a throwaway key,
 * metrics off (production would need a token) and request budgets far above any benchmark's load (the
 * per-viewer and per-address limits would otherwise answer RATE_LIMITED: a benchmark measures the hub,
 * not its abuse limits).
 */
export function benchHubEnv(
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '2000',
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    METRICS_ENABLED: 'false',
    RATE_LIMIT_QUERIES_PER_VIEWER: '1000000',
    RATE_LIMIT_QUERIES_PER_ADDRESS: '1000000',
    RATE_LIMIT_MUTATIONS_PER_VIEWER: '1000000',
    RATE_LIMIT_MUTATIONS_PER_ADDRESS: '1000000',
    // The hold-expiry sweep runs once at start and not again during the run (its statements would count).
    EXPIRY_SWEEP_INTERVAL_MS: '3600000',
    ...(process.env.DB_POOL_MAX ? { DB_POOL_MAX: process.env.DB_POOL_MAX } : {}),
    ...overrides,
  };
}

/**
 * The hub configuration of a benchmark (see benchHubEnv). SEED_DEMO=true, which production refuses (the
 * demo accounts share a published password), is applied after validation: the scratch database is
 * dropped at the end and the hub listens on 127.0.0.1 only.
 */
export function benchHubConfig(databaseUrl: string, overrides: Record<string, string> = {}): Config {
  const { SEED_DEMO, ...rest } = overrides;
  const config = loadConfig(benchHubEnv(databaseUrl, rest));
  return SEED_DEMO === 'true' ? { ...config, seedDemo: true } : config;
}

/** A logger that keeps what the hub logs at `level` and above (internal errors are masked in responses). */
export function capturingLogger(into: string[], level: 'warn' | 'error') {
  return pino(
    { level, base: { service: 'buendnis-hub' } },
    {
      write(line: string) {
        try {
          const entry = JSON.parse(line) as {
            msg?: string;
            err?: { type?: string; code?: string; message?: string };
          };
          const err = entry.err;
          into.push(
            `${entry.msg ?? 'log'}: ${err?.type ?? ''}${err?.code ? ` [${err.code}]` : ''} ${err?.message ?? ''}`
              .replace(/\s+/g, ' ')
              .slice(0, 500),
          );
        } catch {
          into.push(line.slice(0, 500));
        }
      },
    },
  );
}

/** Appends what the hub logged during a run, counted by text (at most 20 distinct lines). */
export function appendLoggedErrors(lines: string[], logged: readonly string[], title: string): void {
  if (logged.length === 0) return;
  const distinct = new Map<string, number>();
  for (const e of logged) distinct.set(e, (distinct.get(e) ?? 0) + 1);
  lines.push('', title);
  for (const [text, n] of [...distinct.entries()].slice(0, 20)) lines.push(`  ${n}× ${text}`);
}

/** Runs a benchmark's main; a failure is one short line on stderr and exit code 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(
      `${name} failed: ${message.length > 1200 ? `${message.slice(0, 1200)} …` : message}\n`,
    );
    process.exitCode = 1;
  });
}
