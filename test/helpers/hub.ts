import type { ApolloServerPlugin } from '@apollo/server';
import { pino } from 'pino';
import { type RunningHub, startHub } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Context } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** HS256 key of the test hubs; tests sign their own tokens with it. */
export const TEST_JWT_SECRET = 'test-secret-of-the-buendnis-hub-suite-0123456789';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  extensions?: Record<string, unknown>;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: Record<string, unknown> & { code?: string };
  }[];
}

export interface TestHub {
  hub: RunningHub;
  database: TestDatabase;
  /** http://127.0.0.1:<port> */
  origin: string;
  graphqlUrl: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  /** SQL statements run since the last reset (MikroORM's query log). */
  statements: string[];
  /**
   * Signs the token's account in until the hub remembers it (the account check then costs no statement):
   * an account change the event bus delivers during the first check keeps it from being remembered.
   */
  rememberAccount(token: string): Promise<void>;
  stop(): Promise<void>;
}

/** A real hub (HTTP + WebSocket) on a free port, over its own fresh database, optionally with the demo data. */
export async function startTestHub(
  label: string,
  options: {
    seed?: boolean;
    env?: Record<string, string>;
    logs?: string[];
    /** The hub reaches its database through this URL instead (a proxy that a fault test can cut). */
    databaseUrlVia?: (url: string) => string;
    /** The statistics' clock (tests move it across release periods). */
    now?: () => Date;
    /** Another instance on this database (which its first hub owns and drops): several-instance tests. */
    database?: TestDatabase;
    /** Passed on to startHub (tracing's operation span). */
    apolloPlugins?: ApolloServerPlugin<Context>[];
  } = {},
): Promise<TestHub> {
  const shared = options.database;
  const ACCOUNT_CHECK = 'select a.roles, a.active and o.active as active';
  /**
   * The event fan-out and the webhook and mail senders look for work on timers of their own: their
   * statements (their tables, and bare transaction control, which the counted reads never use) are not
   * the request's.
   */
  const BACKGROUND_STATEMENT =
    /\b(domain_event|webhook_delivery|webhook_endpoint|saved_search|saved_search_hit)\b|\[query\]\s*\S*?(begin|commit|rollback)\b/i;
  const database = shared ?? (await createTestDatabase(label));
  const statements: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrlVia?.(database.url) ?? database.url,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: options.seed === false ? 'false' : 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SHUTDOWN_TIMEOUT_MS: '1000',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...options.env,
  });
  // With `logs`, every JSON log line (level info and up) is collected there instead of printed.
  const logger = options.logs
    ? pino({ level: 'info' }, { write: (line: string) => void options.logs!.push(line) })
    : createLogger(config.logLevel);
  const hub = await startHub(config, logger, {
    apolloPlugins: options.apolloPlugins,
    onQuery: (message) => {
      if (message.includes('[query]') && !BACKGROUND_STATEMENT.test(message)) statements.push(message);
    },
    now: options.now,
  });
  const origin = new URL(hub.url).origin.replace('localhost', '127.0.0.1');
  const graphqlUrl = `${origin}/graphql`;
  return {
    hub,
    database,
    origin,
    graphqlUrl,
    statements,
    async gql(
      query,
      variables,
      { token, headers = {} }: { token?: string; headers?: Record<string, string> } = {},
    ) {
      const send = () =>
        fetch(graphqlUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
          body: JSON.stringify({ query, variables }),
        });
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        // The hub runs in this process: after a long synchronous stretch (an LP attack, a busy machine)
        // its keep-alive timer can close the idle socket just as fetch reuses it. Such a request never
        // reached the hub, so it is sent once more on a new connection.
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
        response = await send();
      }
      return (await response.json()) as never;
    },
    async rememberAccount(token) {
      for (let attempt = 0; attempt < 50; attempt++) {
        statements.length = 0;
        await (this as TestHub).gql('{ __typename }', {}, { token });
        if (!statements.some((s) => s.includes(ACCOUNT_CHECK))) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the hub never remembered the account');
    },
    async stop() {
      await hub.stop();
      if (!shared) await database.drop();
    },
  };
}
