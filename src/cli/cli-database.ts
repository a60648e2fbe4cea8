import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { embeddedClusterDir, embeddedDatabaseUrl, startEmbeddedDatabase } from '../db/embedded.js';
import { createOrmConfig } from '../db/mikro-orm.config.js';
import { fromGlobalIdOf } from '../graphql/global-id.js';
import type { Logger } from '../logger.js';
import { entities } from '../modules/entities.js';

/**
 * The database a command-line tool works on: DATABASE_URL, else the embedded PostgreSQL — the running
 * one, or started for the moment (and stopped by `close`).
 */
export async function openCliDatabase(config: Config, logger: Logger, poolMax = 1) {
  let stopEmbedded: (() => Promise<void>) | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const running = await runningEmbeddedPort(config.embedded.dataDir);
    if (running) url = embeddedDatabaseUrl(running);
    else {
      const embedded = await startEmbeddedDatabase(config.embedded, logger);
      url = embedded.url;
      stopEmbedded = () => embedded.stop();
    }
  }
  const orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: url, poolMax }));
  return {
    orm,
    async close() {
      await orm.close(true);
      await stopEmbedded?.();
    },
  };
}

/** `--org` as the tools take it: a UUID or an Organisation global id; undefined when it is neither. */
export function organisationIdArg(raw: string): string | undefined {
  const text = raw.trim();
  if (/^[0-9a-f-]{36}$/i.test(text)) return text.toLowerCase();
  try {
    return fromGlobalIdOf('Organisation', text, 'org');
  } catch {
    return undefined;
  }
}

/** The port of an embedded PostgreSQL already running on this data folder (line 4 of postmaster.pid). */
async function runningEmbeddedPort(dataDir: string): Promise<number | undefined> {
  const pidFile = await readFile(path.join(embeddedClusterDir(dataDir), 'postmaster.pid'), 'utf8').catch(
    () => '',
  );
  const [pid, , , port] = pidFile.split('\n');
  if (!pid || !port) return undefined;
  try {
    process.kill(Number(pid), 0);
    return Number(port);
  } catch {
    return undefined;
  }
}
