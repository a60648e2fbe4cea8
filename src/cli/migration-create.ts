import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '../db/mikro-orm.config.js';
import { entities } from '../modules/entities.js';

/**
 * Writes a new migration (src/db/migrations) with the difference between the entities and the
 * database at DATABASE_URL. Review it, then add it to migrations/index.ts.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL must point at a database that has all current migrations applied.\n');
  process.exit(2);
}
const orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: url }));
try {
  const initial = process.argv.includes('--initial');
  const result = initial ? await orm.migrator.createInitialMigration() : await orm.migrator.createMigration();
  process.stdout.write(result.fileName ? `created ${result.fileName}\n` : 'no changes\n');
} finally {
  await orm.close(true);
}
