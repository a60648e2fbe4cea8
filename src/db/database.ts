import { type EntityClass, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './embedded.js';
import { prepareSchema } from './migration-lock.js';
import { createOrmConfig } from './mikro-orm.config.js';

export { migrate } from './migration-lock.js';

export interface Database {
  orm: MikroORM;
  /** True when the hub runs its own embedded PostgreSQL (no DATABASE_URL). */
  embedded: boolean;
  /** Where it is (for connections outside the pool, such as the event listener). */
  url: string;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL or starts the embedded default, then brings the schema up to date (or, with
 * MIGRATIONS_AT_START=false, refuses an outdated one).
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { entities: readonly EntityClass<object>[]; onQuery?: (sql: string) => void },
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(config.embedded, logger);
    url = embedded.url;
  }
  try {
    const orm = await MikroORM.init(
      createOrmConfig({
        clientUrl: url,
        entities: options.entities,
        poolMax: config.dbPoolMax,
        connectTimeoutMs: config.hardening.dbConnectTimeoutMs,
        // One JSON line, not the console: a dropped connection is already answered SERVICE_UNAVAILABLE.
        driverLog: (level, message) => logger[level]({ driver: message }, 'database driver'),
        onQuery: options.onQuery,
      }),
    );
    try {
      await prepareSchema(orm, config.migrationsAtStart, logger);
    } catch (error) {
      await orm.close(true);
      throw error;
    }
    return {
      orm,
      embedded: embedded !== undefined,
      url,
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** For /readyz: can the database answer right now? */
export async function isDatabaseReachable(orm: MikroORM, timeoutMs = 2_000): Promise<boolean> {
  const probe = orm.em.getConnection().execute('select 1');
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('timeout')), timeoutMs).unref(),
  );
  try {
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  }
}
