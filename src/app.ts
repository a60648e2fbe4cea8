import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { AccountAccessCache } from './auth/account-access.js';
import { OidcIssuer } from './auth/oidc-issuer.js';
import { ensureSigningKey, TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Context, ContextDeps } from './context.js';
import { type Database, openDatabase } from './db/database.js';
import { EventBus } from './events/event-bus.js';
import { EventFanOut } from './events/fan-out.js';
import { OutboxRetention } from './events/outbox-retention.js';
import { type LimiterStore, openLimiterStore } from './limits/limiter-store.js';
import type { Logger } from './logger.js';
import { LoginGuard } from './modules/account/login-guard.js';
import { expireHolds } from './modules/capacity/places.service.js';
import { entities } from './modules/entities.js';
import { SessionCookies } from './modules/identity/cookies.js';
import { SessionService } from './modules/identity/session.service.js';
import { SessionKeys } from './modules/identity/session-keys.js';
import { readPlanPlugin } from './modules/read-plan/read-plan.plugin.js';
import { requestScope } from './modules/request-scope.js';
import { MailTransport } from './modules/saved-search/mail-transport.js';
import { SavedSearchSignup } from './modules/saved-search/public-saving.js';
import { SavedSearchMailer } from './modules/saved-search/saved-search.mailer.js';
import { SavedSearchRecipient } from './modules/saved-search/saved-search.recipient.js';
import { SavedSearchTokens } from './modules/saved-search/saved-search-tokens.js';
import { StatisticsService } from './modules/statistics/statistics.service.js';
import { webhookRecipient } from './modules/webhooks/webhook.recipient.js';
import { WebhookSender } from './modules/webhooks/webhook.sender.js';
import { WebhookPayloads } from './modules/webhooks/webhook-payload.js';
import { buildHubSchema } from './schema.js';
import { createHubServer, GRAPHQL_PATH, type HubServer } from './server/hub-server.js';

export interface RunningHub {
  url: string;
  database: Database;
  server: HubServer;
  /** The domain-event bus (fault tests check what it delivered). */
  bus: EventBus;
  /** The accounts authenticate checks, as this instance remembers them. */
  accounts: AccountAccessCache;
  /** The statistics releases and their protection (tests and benchmarks warm and audit them). */
  statistics: StatisticsService;
  /** Where sign-in attempts and request budgets are counted. */
  limiterStore: LimiterStore;
  /** Hub sessions of the sign-in with the identity provider (undefined without OIDC_ISSUER). */
  sessions?: SessionService;
  /** Deletes outbox events older than EVENT_RETENTION (tests run a round with pruneOnce). */
  outboxRetention: OutboxRetention;
  /** Hands committed events on to the durable recipients, once across instances (tests call drain). */
  fanOut: EventFanOut;
  /** Sends the webhook deliveries the fan-out recorded (tests wait with idle()). */
  webhooks: WebhookSender;
  /** Sends the saved searches' mails (tests run a round with runOnce). */
  savedSearchMail: SavedSearchMailer;
  /** Records saved-search hits from the outbox's places events (the fan-out's recipient 'saved-searches'). */
  savedSearchRecipient: SavedSearchRecipient;
  /**
   * Answers /readyz with 503 and keeps serving for `seconds` (DRAIN_SECONDS unless given), so that a load
   * balancer stops sending requests before the stop; `skipDrain()` ends the wait early.
   */
  drain(seconds?: number): Promise<void>;
  skipDrain(): void;
  stop(): Promise<void>;
}

/** config → database (+ migrations, + demo seed) → schema → HTTP and WebSocket. */
export async function startHub(
  config: Config,
  logger: Logger,
  options: {
    onQuery?: (sql: string) => void;
    /** The statistics' clock (tests move it across release periods). */
    now?: () => Date;
    /** Extra Apollo plugins (tracing's operation span). */
    apolloPlugins?: ApolloServerPlugin<Context>[];
  } = {},
): Promise<RunningHub> {
  const database = await openDatabase(config, logger, { entities, onQuery: options.onQuery });
  let limiterStore: LimiterStore | undefined;
  try {
    if (config.seedDemo) {
      // Loaded only here: the demo data pulls in faker with all its locales (~20 MB of heap for good).
      const { seedDemoIfEmpty } = await import('../seeds/demo.js');
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
    limiterStore = await openLimiterStore({
      kind: config.limitStore.kind,
      databaseUrl: database.url,
      redisUrl: config.limitStore.redisUrl,
      redisKeyPrefix: config.limitStore.redisKeyPrefix,
      connectTimeoutMs: config.hardening.dbConnectTimeoutMs,
      logger,
    });
    const bus = new EventBus(database.url, logger);
    await bus.start();
    const accounts = new AccountAccessCache(bus, { ttlMs: auth.accessCacheTtlMs });
    const statistics = new StatisticsService(bus, {
      updateIntervalMs: config.statisticsUpdateIntervalMs,
      backdateMaxDays: config.places.backdateMaxDays,
      releasePeriod: config.statistics.releasePeriod,
      releaseMinChanges: config.statistics.releaseMinChanges,
      now: options.now,
      em: () => database.orm.em.fork() as never,
      onError: (error) => logger.error({ err: error }, 'statistics release or warm-up failed'),
    });
    const schema = await buildHubSchema();
    const oidcIssuer = auth.oidc ? new OidcIssuer(auth.oidc) : undefined;
    // The session keys come from SESSION_SECRET, else from the token key (HKDF keeps their uses apart).
    const sessionSecret = auth.session.secret ?? auth.jwtSecret;
    const sessions =
      oidcIssuer && sessionSecret
        ? new SessionService({
            orm: database.orm,
            bus,
            issuer: oidcIssuer,
            keys: new SessionKeys(sessionSecret),
            // Secure (and __Host-) cookies whenever the hub is reached over https, as its redirect URI says.
            cookies: new SessionCookies(new URL(auth.oidc!.redirectUri).protocol === 'https:'),
            maxAgeSeconds: auth.session.maxAgeSeconds,
            cacheTtlMs: auth.accessCacheTtlMs,
            logger,
          })
        : undefined;
    if (oidcIssuer && !sessions) {
      throw new Error('OIDC_ISSUER needs SESSION_SECRET or AUTH_JWT_SECRET for the hub’s sessions');
    }
    // The links in saved-search mails are signed with a key of their own (HKDF) from the same secret.
    if (config.mail.smtpUrl && !sessionSecret) {
      throw new Error(
        'SMTP_URL needs SESSION_SECRET or AUTH_JWT_SECRET: the links in saved-search mails are signed',
      );
    }
    const mailTransport = new MailTransport(
      config.mail,
      // Without SMTP_URL no link ever leaves the hub: a key of this process is enough.
      new SavedSearchTokens(sessionSecret ?? randomBytes(32).toString('base64url')),
      logger,
    );
    const savedSearchSignup = new SavedSearchSignup(limiterStore, mailTransport, logger);
    const deps: ContextDeps = {
      orm: database.orm,
      auth,
      places: config.places,
      bus,
      statistics,
      tokens: new TokenService(auth, oidcIssuer),
      sessions,
      accounts,
      loginGuard: new LoginGuard(limiterStore, auth.loginMaxFailures, auth.loginBlockSeconds),
      savedSearches: savedSearchSignup,
      scope: requestScope,
      webhooks: config.webhooks,
    };
    const server = await createHubServer({
      schema,
      deps,
      logger,
      shutdownGraceMs: config.shutdownTimeoutMs,
      production: config.nodeEnv === 'production',
      playground: config.playground,
      subscriptionLimits: config.subscriptionLimits,
      hardening: config.hardening,
      limiterStore,
      identity: {
        passwordLogin: auth.session.passwordLogin,
        oidc:
          auth.oidc && oidcIssuer && sessions
            ? { config: auth.oidc, issuer: oidcIssuer, sessions }
            : undefined,
      },
      apolloPlugins: [
        ...(config.readPlans ? [readPlanPlugin(logger)] : []),
        ...(options.apolloPlugins ?? []),
      ],
    });
    // Holds that expired while the hub was down are freed before it answers.
    const expiry = await startExpirySweep(database, config, logger);
    const outboxRetention = new OutboxRetention(
      database.url,
      { retentionDays: config.eventRetention.days, intervalMs: config.eventRetention.intervalMs },
      logger,
    );
    const address = await server.listen(config.port, config.host);
    if (config.statistics.warmAtStart) {
      // The open year and the one before are protected off the request path (a few seconds of work).
      const year = (options.now?.() ?? new Date()).getUTCFullYear();
      void statistics
        .warm(database.orm.em.fork() as never, year)
        .then(() => statistics.warm(database.orm.em.fork() as never, year - 1));
    }
    outboxRetention.start();
    // Committed events → delivery rows (once across instances) → signed requests, off the request path.
    const webhooks = new WebhookSender(
      database.orm,
      new WebhookPayloads(schema, deps),
      config.webhooks,
      logger,
    );
    const savedSearchMail = new SavedSearchMailer({
      orm: database.orm,
      schema,
      deps,
      transport: mailTransport,
      intervalMs: config.mail.workerIntervalMs,
      logger,
    });
    savedSearchMail.start();
    const savedSearchRecipient = new SavedSearchRecipient(database.orm, () => savedSearchMail.wake());
    const fanOut = new EventFanOut(database.orm, logger);
    fanOut.register(webhookRecipient(() => webhooks.wake()));
    fanOut.register(savedSearchRecipient);
    fanOut.start(bus);
    webhooks.start();
    const shownHost = ['0.0.0.0', '::'].includes(address.host) ? 'localhost' : address.host;
    const url = `http://${shownHost}:${address.port}${GRAPHQL_PATH}`;
    let stopping: Promise<void> | undefined;
    let draining: { done: Promise<void>; end: () => void } | undefined;
    return {
      url,
      database,
      server,
      bus,
      accounts,
      statistics,
      limiterStore,
      sessions,
      outboxRetention,
      fanOut,
      webhooks,
      savedSearchMail,
      savedSearchRecipient,
      drain: (seconds = config.drainSeconds) => {
        if (!draining) {
          server.startDraining();
          let end: () => void = () => undefined;
          const done = new Promise<void>((resolve) => {
            end = resolve;
          });
          const timer = setTimeout(end, seconds * 1_000);
          void done.then(() => clearTimeout(timer));
          draining = { done, end };
          logger.info({ drainSeconds: seconds }, 'draining: /readyz answers 503, requests are still served');
        }
        return draining.done;
      },
      skipDrain: () => draining?.end(),
      stop: () => {
        stopping ??= (async () => {
          await outboxRetention.stop();
          await fanOut.stop();
          await webhooks.stop();
          await savedSearchSignup.settle();
          await savedSearchMail.stop();
          await expiry.stop();
          await server.stop();
          statistics.stop();
          sessions?.stop();
          accounts.stop();
          await bus.stop();
          await limiterStore?.close();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await limiterStore?.close();
    await database.close();
    throw error;
  }
}

/**
 * Frees expired holds every EXPIRY_SWEEP_INTERVAL_MS (and once at start). Every instance runs it; the
 * sweep itself makes sure each place is freed once.
 */
async function startExpirySweep(database: Database, config: Config, logger: Logger) {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = expireHolds(database.orm, config.places)
      .then((n) => {
        if (n > 0) logger.info({ expired: n }, 'expired holds freed');
      })
      .catch((error) => logger.error({ err: error }, 'expiry sweep failed'));
    return running;
  };
  await sweep();
  const timer = setInterval(sweep, config.places.expirySweepIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
