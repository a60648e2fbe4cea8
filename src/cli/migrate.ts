import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config.js';
import { appliedMigrations, migrate, pendingMigrations } from '../db/migration-lock.js';
import { createLogger } from '../logger.js';
import { openCliDatabase } from './cli-database.js';

/**
 * `npm run migrate status|up`: for deployments that migrate as a job of their own before the hubs start
 * (with MIGRATIONS_AT_START=false). Takes the same advisory lock as a starting hub.
 *
 * Exit codes: 0 done (status: nothing pending), 3 status found pending migrations, 2 bad usage or
 * configuration, 1 the database or a migration failed.
 */
const USAGE = 'usage: npm run migrate status | npm run migrate up\n';
const EXIT_PENDING = 3;

const command = process.argv[2];
if (command !== 'status' && command !== 'up') {
  process.stderr.write(USAGE);
  process.exit(2);
}
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');

let exitCode = 0;
let database: Awaited<ReturnType<typeof openCliDatabase>> | undefined;
try {
  database = await openCliDatabase(config, logger);
  if (command === 'status') {
    const applied = await appliedMigrations(database.orm);
    const pending = await pendingMigrations(database.orm);
    for (const name of applied) process.stdout.write(`applied  ${name}\n`);
    for (const name of pending) process.stdout.write(`pending  ${name}\n`);
    process.stdout.write(
      pending.length === 0
        ? `up to date: ${applied.length} applied, none pending\n`
        : `${pending.length} pending, ${applied.length} applied: run \`npm run migrate up\`\n`,
    );
    if (pending.length > 0) exitCode = EXIT_PENDING;
  } else {
    const applied = await migrate(database.orm);
    for (const name of applied) process.stdout.write(`applied  ${name}\n`);
    process.stdout.write(
      applied.length === 0 ? 'nothing to apply: up to date\n' : `${applied.length} applied\n`,
    );
  }
} catch (error) {
  // The message only: a migration error names the migration and PostgreSQL's reason; no stack trace.
  process.stderr.write(
    `migrate ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  exitCode = 1;
} finally {
  await database?.close().catch(() => undefined);
}
process.exit(exitCode);
