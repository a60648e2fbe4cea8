import 'reflect-metadata';
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
// Tracing first, the hub after it: the instrumentations patch `pg` and `http` as they are first required,
// which the hub's modules do as they load (hence startHub is imported only here).
const tracing = config.tracing
  ? (await import('./observability/tracing.js')).startTracing({ serviceName: config.tracing.serviceName })
  : undefined;
if (config.tracing)
  logger.info({ endpoint: config.tracing.endpoint }, 'tracing: spans are exported over OTLP');
const { startHub } = await import('./app.js');
let hub: Awaited<ReturnType<typeof startHub>>;
try {
  hub = await startHub(config, logger, { apolloPlugins: tracing ? [tracing.apolloPlugin] : [] });
} catch (error) {
  // What the person starting the hub can fix is said in one message, not as a stack trace.
  if (error instanceof EmbeddedDatabaseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // An outdated schema is an operator's step, not a fault: one line saying which, no stack trace.
  // (Imported here, not above: it loads `pg`, which tracing must patch first.)
  const { PendingMigrationsError } = await import('./db/migration-lock.js');
  if (error instanceof PendingMigrationsError) logger.fatal({ pending: error.pending }, error.message);
  else logger.fatal({ err: error }, 'the hub could not start');
  process.exit(1);
}
// Signals are handled before readiness is announced: whoever waits for "läuft" may stop the hub at once.
// SIGTERM (an orchestrator, a rolling update) drains first: /readyz answers 503 for DRAIN_SECONDS while
// requests and WebSockets are still served, so the load balancer moves new traffic away before anything
// is refused. SIGINT (Ctrl-C at a terminal) and a second signal during the drain stop at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      hub.skipDrain();
      return;
    }
    stopping = true;
    const drainSeconds = signal === 'SIGTERM' ? config.drainSeconds : 0;
    logger.info({ signal, drainSeconds }, 'stopping');
    // Hard stop if something hangs; after the drain, the stop is bounded by SHUTDOWN_TIMEOUT_MS.
    setTimeout(
      () => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      },
      drainSeconds * 1_000 + config.shutdownTimeoutMs + 3_000,
    ).unref();
    hub
      .drain(drainSeconds)
      .then(() => hub.stop())
      // The last spans (the stop's own statements included) go out before the process ends.
      .then(() => tracing?.shutdown())
      .then(
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
