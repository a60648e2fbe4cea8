import { MikroORM } from '@mikro-orm/postgresql';
import { migrate } from '../../src/db/database.js';
import { createOrmConfig } from '../../src/db/mikro-orm.config.js';
import { entities } from '../../src/modules/entities.js';

/** Exit code for usage errors (bad flags, missing DATABASE_URL). */
export const USAGE_ERROR = 2;

export function fail(message: string, usage: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(USAGE_ERROR);
}

/** DATABASE_URL or a clear usage error: the seed CLIs never start the embedded database. */
export function databaseUrl(usage: string): string {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    fail(
      'DATABASE_URL is not set. The seed scripts need an explicit PostgreSQL URL, e.g.\n' +
        '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub_dev npm run seed\n' +
        '(Without DATABASE_URL, `npm start` runs the embedded database and seeds the demo data itself.)',
      usage,
    );
  }
  if (!/^postgres(ql)?:\/\//.test(url))
    fail('DATABASE_URL must be a postgres:// or postgresql:// URL.', usage);
  return url;
}

/** Opens the ORM and brings the schema up to date, runs `work`, always closes. */
export async function withMigratedOrm<T>(clientUrl: string, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(createOrmConfig({ entities, clientUrl, poolMax: 2 }));
  try {
    await migrate(orm);
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}

export const formatCounts = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/** Prints an error without dumping whole multi-row INSERT statements. */
export function reportError(error: unknown): void {
  if (error instanceof Error) {
    const detail = (error as { detail?: string }).detail;
    const message = error.message.length > 800 ? `${error.message.slice(0, 800)} …` : error.message;
    process.stderr.write(`${error.name}: ${message}\n${detail ? `detail: ${detail}\n` : ''}`);
  } else {
    process.stderr.write(`${String(error)}\n`);
  }
  process.exitCode = 1;
}
