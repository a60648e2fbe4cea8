import { parseArgs } from 'node:util';
import { benchServerUrl, USAGE_ERROR } from './args.js';

export const SUBSCRIPTIONS_USAGE = [
  'Usage: npm run -s bench:subscriptions -- [--subscribers N] [--rounds R] [--layouts K[,K…]]',
  '                                         [--viewers mixed|public|partner] [--keep]',
  '  DATABASE_URL    a PostgreSQL server (postgres://…); its database name is only used to connect.',
  '                  The benchmark creates and drops its own scratch database hub_bench_<random>.',
  '  --subscribers   open placesAvailable subscriptions (default 1000, 1–5000)',
  '  --rounds        measured reserve → release rounds per layout (default 20, 1–200)',
  '  --layouts       subscriptions per WebSocket connection, one run per entry (default "1,10":',
  '                  1,000 connections × 1, then 100 connections × 10; each 1–1000)',
  '  --viewers       who subscribes: mixed (default: every other connection public / a PARTNER_STAFF',
  '                  token of another organisation), public, or partner',
  '  --keep          keep the scratch database (its URL is printed) instead of dropping it',
  '  Run node with --expose-gc for stable memory figures (the benchmark says whether it could collect).',
].join('\n');

export type ViewerMix = 'mixed' | 'public' | 'partner';

export interface SubscriptionsBenchOptions {
  subscribers: number;
  rounds: number;
  /** Subscriptions per connection, one measured run each. */
  layouts: number[];
  viewers: ViewerMix;
  keep: boolean;
  /** The server to create the scratch database on. */
  serverUrl: string;
}

function usageError(message: string): never {
  process.stderr.write(`${message}\n${SUBSCRIPTIONS_USAGE}\n`);
  process.exit(USAGE_ERROR);
}

function integer(name: string, raw: string, min: number, max: number): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    usageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

/** Flags and DATABASE_URL, or a clear message and exit code 2. */
export function parseSubscriptionsBenchArgs(
  argv = process.argv.slice(2),
  env = process.env,
): SubscriptionsBenchOptions {
  let values: {
    subscribers?: string;
    rounds?: string;
    layouts?: string;
    viewers?: string;
    keep?: boolean;
    help?: boolean;
  } = {};
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        subscribers: { type: 'string' },
        rounds: { type: 'string' },
        layouts: { type: 'string' },
        viewers: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${SUBSCRIPTIONS_USAGE}\n`);
    process.exit(0);
  }
  const subscribers =
    values.subscribers === undefined ? 1000 : integer('subscribers', values.subscribers, 1, 5000);
  const rounds = values.rounds === undefined ? 20 : integer('rounds', values.rounds, 1, 200);
  const layouts =
    values.layouts === undefined
      ? [1, 10]
      : values.layouts.split(',').map((part) => integer('layouts', part, 1, 1000));
  if (layouts.length === 0 || layouts.length > 4) usageError('--layouts takes one to four entries.');
  const viewers = (values.viewers ?? 'mixed').trim();
  if (viewers !== 'mixed' && viewers !== 'public' && viewers !== 'partner') {
    usageError(`--viewers must be mixed, public or partner, got "${values.viewers}".`);
  }
  const serverUrl = benchServerUrl(env, 'bench:subscriptions', usageError);
  return { subscribers, rounds, layouts, viewers, keep: values.keep ?? false, serverUrl };
}
