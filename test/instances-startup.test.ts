import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { PendingMigrationsError } from '../src/db/migration-lock.js';
import { migrationsList } from '../src/db/migrations/index.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';
import { runScript } from './helpers/run.js';

/** Several instances starting on one database at once, and migrating as a job of its own. */

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function freshDatabase(label: string): Promise<TestDatabase> {
  const database = await createTestDatabase(label);
  cleanup.push(() => database.drop());
  return database;
}

const ORGANISATIONS = '{ organisations(first: 100) { totalCount } }';

describe('two hubs started at once on one empty database', () => {
  it('both come up and answer; migrations and the demo seed ran once', async () => {
    const database = await freshDatabase('startup_pair');
    const started = await Promise.allSettled([
      startTestHub('a', { database }),
      startTestHub('b', { database }),
    ]);
    const hubs = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const hub of hubs) cleanup.push(() => hub.stop());
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(['ok', 'ok']);

    const [a, b] = hubs as [TestHub, TestHub];
    const answers = await Promise.all([a.gql(ORGANISATIONS), b.gql(ORGANISATIONS)]);
    expect(answers[0].errors).toBeUndefined();
    expect(answers[0].data).toEqual(answers[1].data);

    const migrations = await query<{ name: string; times: string }>(
      database.url,
      'select name, count(*) as times from mikro_orm_migrations group by name order by name',
    );
    expect(migrations.map((m) => m.name)).toEqual(migrationsList.map((m) => m.name));
    expect(migrations.every((m) => Number(m.times) === 1)).toBe(true);
    // The demo seed serialises on its own advisory lock: the second instance found the data present.
    const [organisations] = await query<{ total: string; names: string }>(
      database.url,
      'select count(*) as total, count(distinct name) as names from organisation',
    );
    expect(Number(organisations!.total)).toBeGreaterThan(0);
    expect(organisations!.total).toBe(organisations!.names);
  });
});

describe('MIGRATIONS_AT_START=false', () => {
  const configFor = (url: string) =>
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      MIGRATIONS_AT_START: 'false',
    });

  it('refuses to start while migrations are pending, naming npm run migrate up', async () => {
    const database = await freshDatabase('startup_pending');
    const refused = await startHub(configFor(database.url), createLogger('silent')).then(
      (hub) => hub.stop().then(() => undefined),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PendingMigrationsError);
    expect((refused as Error).message).toContain('npm run migrate up');
    // It only looked: nothing was applied.
    expect(await query(database.url, 'select * from mikro_orm_migrations')).toEqual([]);
  });

  it('the compiled hub exits with one clear line and no stack trace', async () => {
    const database = await freshDatabase('startup_pending_process');
    const { status, stdout, stderr } = await runScript('dist/src/main.js', [], {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      MIGRATIONS_AT_START: 'false',
    });
    expect(status).toBe(1);
    const fatal = `${stdout}${stderr}`.split('\n').filter((line) => line.includes('"level":60'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toContain('npm run migrate up');
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
  });

  it('npm run migrate: status reports pending (exit 3), up applies them once, then status is clean', async () => {
    const database = await freshDatabase('startup_cli');
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
    const before = await runScript('dist/src/cli/migrate.js', ['status'], env);
    expect(before.status).toBe(3);
    expect(before.stdout).toContain(`pending  ${migrationsList[0]!.name}`);
    expect(before.stdout).toContain(`${migrationsList.length} pending, 0 applied`);

    // Two jobs at once (a retried deployment): the lock lets one apply, the other finds nothing to do.
    const ups = await Promise.all([
      runScript('dist/src/cli/migrate.js', ['up'], env),
      runScript('dist/src/cli/migrate.js', ['up'], env),
    ]);
    expect(ups.map((u) => u.status)).toEqual([0, 0]);
    expect(ups.map((u) => u.stdout).join('')).toContain('nothing to apply');

    const after = await runScript('dist/src/cli/migrate.js', ['status'], env);
    expect(after.status).toBe(0);
    expect(after.stdout).toContain(`up to date: ${migrationsList.length} applied, none pending`);

    expect((await runScript('dist/src/cli/migrate.js', ['sideways'], env)).status).toBe(2);

    // Now the hub starts without migrating.
    const hub = await startHub(configFor(database.url), createLogger('silent'));
    await hub.stop();
  });
});
