import 'reflect-metadata';
import { startHub } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { EmbeddedDatabaseError } from './db/embedded.js';
import { createLogger } from './logger.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);

const started = performance.now();
let hub: Awaited<ReturnType<typeof startHub>>;
try {
  hub = await startHub(config, logger);
} catch (error) {
  // What the person starting the hub can fix is said in one message, not as a stack trace.
  if (error instanceof EmbeddedDatabaseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, 'the hub could not start');
  process.exit(1);
}
// Signals are handled before readiness is announced: whoever waits for "läuft" may stop the hub at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Hard stop if something hangs; the drain itself is bounded by SHUTDOWN_TIMEOUT_MS.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 3_000).unref();
    hub.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}

logger.info(
  {
    url: hub.url,
    database: hub.database.embedded ? 'embedded' : 'DATABASE_URL',
    startupMs: Math.round(performance.now() - started),
  },
  'ready',
);
// For people at a terminal: where to go.
const origin = new URL(hub.url).origin;
process.stderr.write(
  `\nBündnis Hub läuft: ${hub.url}\n` +
    `  Start ${origin}/ · Angebote & Plätze ${origin}/angebote · Bündnis-Sitzung ${origin}/sitzung` +
    (config.playground ? ` · Playground ${origin}/playground` : '') +
    '\n',
);
