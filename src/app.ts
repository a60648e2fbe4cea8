import path from 'node:path';
import { seedDemoIfEmpty } from '../seeds/demo.js';
import { ensureSigningKey, TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import type { Logger } from './logger.js';
import { LoginGuard } from './modules/account/login-guard.js';
import { buildHubSchema } from './schema.js';
import { createHubServer, GRAPHQL_PATH, type HubServer } from './server.js';

export interface RunningHub {
  url: string;
  database: Database;
  server: HubServer;
  stop(): Promise<void>;
}

/** config → database (+ migrations, + demo seed) → schema → HTTP and WebSocket. */
export async function startHub(
  config: Config,
  logger: Logger,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<RunningHub> {
  const database = await openDatabase(config, logger, options);
  try {
    if (config.seedDemo) {
      const seeded = await seedDemoIfEmpty(database.orm);
      if (seeded) logger.info({ counts: seeded }, 'demo data seeded');
    }
    const auth = await ensureSigningKey(config.auth, config.embedded.dataDir);
    if (auth.jwtSecretGenerated) {
      logger.warn(
        { file: path.resolve(config.embedded.dataDir, 'dev-auth-secret') },
        'no AUTH_JWT_SECRET or AUTH_JWKS_URL configured: using a generated development signing key',
      );
    }
    const schema = await buildHubSchema();
    const server = await createHubServer({
      schema,
      deps: {
        orm: database.orm,
        auth,
        tokens: new TokenService(auth),
        loginGuard: new LoginGuard(auth.loginMaxFailures, auth.loginBlockSeconds),
      },
      logger,
      shutdownGraceMs: config.shutdownTimeoutMs,
      production: config.nodeEnv === 'production',
    });
    const address = await server.listen(config.port, config.host);
    const shownHost = ['0.0.0.0', '::'].includes(address.host) ? 'localhost' : address.host;
    const url = `http://${shownHost}:${address.port}${GRAPHQL_PATH}`;
    let stopping: Promise<void> | undefined;
    return {
      url,
      database,
      server,
      stop: () => {
        stopping ??= (async () => {
          await server.stop();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
