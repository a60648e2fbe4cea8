import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type EntityClass, type Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { migrationsList } from './migrations/index.js';

export interface OrmOptions {
  clientUrl: string;
  /** The entities of every feature (src/modules/entities.ts). */
  entities: readonly EntityClass<object>[];
  poolMax?: number;
  /** How long a new connection and a free pool slot are waited for (then SERVICE_UNAVAILABLE). */
  connectTimeoutMs?: number;
  debug?: boolean;
  /** Where the driver's own warnings go (knex prints "Connection Error: …" to the console otherwise). */
  driverLog?: (level: 'warn' | 'error', message: string) => void;
  /** Receives every SQL statement MikroORM runs (tests count them). */
  onQuery?: (sql: string) => void;
}

export function createOrmConfig({
  clientUrl,
  entities,
  poolMax = 10,
  connectTimeoutMs = 3_000,
  debug = false,
  driverLog,
  onQuery,
}: OrmOptions): Options {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl,
    entities: [...entities],
    // One em.fork() per request; a global context would leak identity maps between viewers.
    allowGlobalContext: false,
    // Fail fast while PostgreSQL is away: pg would wait for a connect forever, knex 60 s for a slot, so
    // requests would pile up instead of answering SERVICE_UNAVAILABLE. A refused connect fails the waiting
    // request at once (knex propagates create errors), an unanswered one after connectTimeoutMs; a busy
    // pool still queues requests a while. Dead pooled connections are dropped by knex on their error
    // event and replaced on the next acquire, so the hub recovers without a restart.
    pool: { min: 0, max: poolMax, createTimeoutMillis: connectTimeoutMs },
    driverOptions: {
      acquireConnectionTimeout: Math.max(connectTimeoutMs, 10_000),
      ...(driverLog
        ? {
            log: {
              warn: (message: unknown) => driverLog('warn', String(message)),
              error: (message: unknown) => driverLog('error', String(message)),
              deprecate: () => undefined,
              debug: () => undefined,
            },
          }
        : {}),
      // JIT compilation costs 0.3–0.5 s per large search statement and never pays back for OLTP queries.
      connection: { options: '-c jit=off', connectionTimeoutMillis: connectTimeoutMs },
    },
    // Explicit migration list: glob discovery does native import() of .ts files and fails under vitest.
    migrations: {
      migrationsList,
      path: 'src/db/migrations',
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    extensions: [Migrator],
    debug: debug || onQuery !== undefined ? ['query'] : false,
    logger: onQuery ? (message: string) => onQuery(message) : undefined,
    // The schema is owned by migrations, never synchronised at run time.
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
  });
}
