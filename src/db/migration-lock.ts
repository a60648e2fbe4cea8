import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * Session-level advisory lock key for schema changes. Every instance (and `npm run migrate`) takes it
 * before it looks at or applies migrations, so two instances started together on an empty database
 * migrate one after the other: the second one waits, then finds nothing pending. Without it both ran
 * the first migration at once and one failed on a duplicate pg_type.
 */
export const MIGRATION_LOCK_KEY = '727264202611240001';

/** Refused at start: the schema is behind and the hub was told not to migrate itself. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database has ${pending.length} pending migration(s) (${pending.join(', ')}) and MIGRATIONS_AT_START=false: run \`npm run migrate up\` first (or set MIGRATIONS_AT_START=true).`,
    );
  }
}

/**
 * Runs `work` while holding the migration lock. The lock lives on a connection of its own, outside the
 * ORM's pool: a session lock must be released by the session that took it, and the migrator runs its
 * statements on pooled connections. Should this process die, PostgreSQL ends the session and the lock
 * goes with it.
 */
export async function withMigrationLock<T>(
  databaseUrl: string,
  work: () => Promise<T>,
  logger?: Logger,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'hub-migrations' });
  // A dropped lock connection surfaces as a failed query below; no unhandled 'error' event meanwhile.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      `select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) as locked`,
    );
    if (!rows[0]?.locked) {
      logger?.info('another instance is migrating the database: waiting for it');
      await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    }
    try {
      return await work();
    } finally {
      await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

function urlOf(orm: MikroORM): string {
  return orm.config.get('clientUrl') as string;
}

/** Applies every pending migration, one instance at a time; returns the names applied. */
export async function migrate(orm: MikroORM, logger?: Logger): Promise<string[]> {
  const applied = await withMigrationLock(urlOf(orm), () => orm.migrator.up(), logger);
  if (applied.length > 0) logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  return applied.map((m) => m.name);
}

/** Names of the migrations not yet applied (read under the lock: a migration job may be running). */
export async function pendingMigrations(orm: MikroORM, logger?: Logger): Promise<string[]> {
  return withMigrationLock(
    urlOf(orm),
    async () => (await orm.migrator.getPendingMigrations()).map((m) => m.name),
    logger,
  );
}

/** Names of the migrations already applied, oldest first (under the lock: the first look creates the table). */
export async function appliedMigrations(orm: MikroORM, logger?: Logger): Promise<string[]> {
  return withMigrationLock(
    urlOf(orm),
    async () => (await orm.migrator.getExecutedMigrations()).map((m) => m.name),
    logger,
  );
}

/** At start: migrate (MIGRATIONS_AT_START=true, the default), or refuse to run on an outdated schema. */
export async function prepareSchema(orm: MikroORM, migrateAtStart: boolean, logger: Logger): Promise<void> {
  if (migrateAtStart) {
    await migrate(orm, logger);
    return;
  }
  const pending = await pendingMigrations(orm, logger);
  if (pending.length > 0) throw new PendingMigrationsError(pending);
}
