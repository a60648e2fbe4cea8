import { benchServerUrl, integerFlag, readFlags, usageErrorFor } from './args.js';

export const SUBSCRIPTIONS_USAGE = [
  'Usage: npm run -s bench:subscriptions -- [--subscribers N] [--rounds R] [--layouts K[,K…]]',
  '                                         [--viewers mixed|public|partner] [--json FILE] [--keep]',
  '                                         [--cpu-prof FILE]',
  '  DATABASE_URL    a PostgreSQL server (postgres://…); its database name is only used to connect.',
  '                  The benchmark creates and drops its own scratch database hub_bench_<random>.',
  '  --subscribers   open placesAvailable subscriptions (default 1000, 1–5000)',
  '  --rounds        measured reserve → release rounds per layout (default 20, 1–200)',
  '  --layouts       subscriptions per WebSocket connection, one run per entry (default "1,10":',
  '                  1,000 connections × 1, then 100 connections × 10; each 1–1000)',
  '  --viewers       who subscribes: mixed (default: every other connection public / a PARTNER_STAFF',
  '                  token of another organisation), public, or partner',
  '  --json          also write the key figures as JSON to FILE (npm run bench reads them)',
  '  --keep          keep the scratch database (its URL is printed) instead of dropping it',
  '  --cpu-prof      write a CPU profile of the hub’s thread during the measured rounds only (not the',
  '                  setup) to FILE (one file per layout: FILE with the layout before .cpuprofile)',
  '  Run node with --expose-gc for stable memory figures (the benchmark says whether it could collect).',
].join('\n');

export type ViewerMix = 'mixed' | 'public' | 'partner';

export interface SubscriptionsBenchOptions {
  subscribers: number;
  rounds: number;
  /** Subscriptions per connection, one measured run each. */
  layouts: number[];
  viewers: ViewerMix;
  json?: string;
  /** Where to write a CPU profile of the hub's thread during the measured rounds. */
  cpuProf?: string;
  keep: boolean;
  /** The server to create the scratch database on. */
  serverUrl: string;
}

const usageError: (message: string) => never = usageErrorFor(SUBSCRIPTIONS_USAGE);
const integer = (name: string, raw: string, min: number, max: number) =>
  integerFlag(usageError, name, raw, min, max);

/** Flags and DATABASE_URL, or a clear message and exit code 2. */
export function parseSubscriptionsBenchArgs(
  argv = process.argv.slice(2),
  env = process.env,
): SubscriptionsBenchOptions {
  const { strings: values, keep } = readFlags(
    argv,
    { strings: ['subscribers', 'rounds', 'layouts', 'viewers', 'json', 'cpu-prof'] },
    SUBSCRIPTIONS_USAGE,
  );
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
  return {
    subscribers,
    rounds,
    layouts,
    viewers,
    json: values.json,
    cpuProf: values['cpu-prof'],
    keep,
    serverUrl,
  };
}
