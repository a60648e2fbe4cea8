import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export interface OrmOptions {
  clientUrl: string;
  poolMax?: number;
  debug?: boolean;
  /** Receives every SQL statement MikroORM runs (tests count them). */
  onQuery?: (sql: string) => void;
}

export function createOrmConfig({ clientUrl, poolMax = 10, debug = false, onQuery }: OrmOptions): Options {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl,
    entities,
    // One em.fork() per request; a global context would leak identity maps between viewers.
    allowGlobalContext: false,
    pool: { min: 0, max: poolMax },
    // JIT compilation costs 0.3–0.5 s per large search statement and never pays back for OLTP queries.
    driverOptions: { connection: { options: '-c jit=off' } },
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
