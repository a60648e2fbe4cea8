import { benchServerUrl, integerFlag, readFlags, usageErrorFor } from './args.js';

export const OFFERS_USAGE = [
  'Usage: npm run -s bench:offers -- [--scale-offers N] [--scale-cases N] [--requests N] [--warmup N]',
  '                                  [--budget-seconds N] [--keep]',
  '  DATABASE_URL     a PostgreSQL server (postgres://…); its database name is only used to connect.',
  '                   The benchmark creates and drops its own scratch database hub_bench_<random>.',
  '  --scale-offers   offers added for the scale run (default 100000; 0: demo data only)',
  '  --scale-cases    cases added for the scale run (default 20000)',
  '  --requests       measured requests per variant (default 200)',
  '  --warmup         unmeasured requests per variant before measuring (default 20)',
  '  --budget-seconds time cap per variant (default 30): a variant that is still running then stops',
  '                   early and reports how many requests it measured (column n)',
  '  --keep           keep the scratch database (its URL is printed) instead of dropping it',
].join('\n');

export interface OffersBenchOptions {
  scaleOffers: number;
  scaleCases: number;
  requests: number;
  warmup: number;
  budgetSeconds: number;
  keep: boolean;
  /** The server to create the scratch database on. */
  serverUrl: string;
}

const usageError: (message: string) => never = usageErrorFor(OFFERS_USAGE);

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  return raw === undefined ? fallback : integerFlag(usageError, name, raw, min, max);
}

/** Flags and DATABASE_URL, or a clear message and exit code 2. */
export function parseOffersBenchArgs(argv = process.argv.slice(2), env = process.env): OffersBenchOptions {
  const { strings: values, keep } = readFlags(
    argv,
    { strings: ['scale-offers', 'scale-cases', 'requests', 'warmup', 'budget-seconds'] },
    OFFERS_USAGE,
  );
  const options = {
    scaleOffers: integer('scale-offers', values['scale-offers'], 100_000, 0, 2_000_000),
    scaleCases: integer('scale-cases', values['scale-cases'], 20_000, 0, 1_000_000),
    requests: integer('requests', values.requests, 200, 1, 100_000),
    warmup: integer('warmup', values.warmup, 20, 0, 10_000),
    budgetSeconds: integer('budget-seconds', values['budget-seconds'], 30, 1, 3_600),
    keep,
  };
  const serverUrl = benchServerUrl(env, 'bench:offers', usageError);
  return { ...options, serverUrl };
}
