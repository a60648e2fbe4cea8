import { parseArgs } from 'node:util';

/** Exit code for usage errors (bad flags, missing DATABASE_URL), as the seed CLIs use. */
export const USAGE_ERROR = 2;

export const USAGE = [
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

export interface BenchOptions {
  scaleOffers: number;
  scaleCases: number;
  requests: number;
  warmup: number;
  budgetSeconds: number;
  keep: boolean;
  /** The server to create the scratch database on. */
  serverUrl: string;
}

/** A usage error of the benchmark whose usage text is `usage`: message, usage, exit code 2. */
export function usageErrorFor(usage: string) {
  return (message: string): never => {
    process.stderr.write(`${message}\n${usage}\n`);
    process.exit(USAGE_ERROR);
  };
}

export const usageError: (message: string) => never = usageErrorFor(USAGE);

/** An integer flag within [min, max], else a usage error. */
export function integerFlag(
  fail: (message: string) => never,
  name: string,
  raw: string,
  min: number,
  max: number,
): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(`--${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

/**
 * Parses a benchmark's flags (strict; `--help`/`-h` prints the usage and exits 0; `--keep` is common to
 * all); anything else wrong is a usage error.
 */
export function readFlags(
  argv: string[],
  names: { strings: readonly string[] },
  usage: string,
): { strings: Record<string, string | undefined>; keep: boolean } {
  const fail = usageErrorFor(usage);
  let values: Record<string, string | boolean | undefined> = {};
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(names.strings.map((n) => [n, { type: 'string' as const }])),
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const { keep, help: _help, ...strings } = values;
  return { strings: strings as Record<string, string | undefined>, keep: keep === true };
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  return raw === undefined ? fallback : integerFlag(usageError, name, raw, min, max);
}

/** Flags and DATABASE_URL, or a clear message and exit code 2. */
export function parseBenchArgs(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const { strings: values, keep } = readFlags(
    argv,
    { strings: ['scale-offers', 'scale-cases', 'requests', 'warmup', 'budget-seconds'] },
    USAGE,
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

/** DATABASE_URL of the server a benchmark creates its scratch database on, or a usage error. */
export function benchServerUrl(
  env: NodeJS.ProcessEnv,
  script: string,
  fail: (message: string) => never,
): string {
  const serverUrl = env.DATABASE_URL?.trim();
  if (!serverUrl) {
    fail(
      'DATABASE_URL is not set. The benchmark needs a PostgreSQL server to create its scratch database on, e.g.\n' +
        `  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run -s ${script}`,
    );
  }
  if (!/^postgres(ql)?:\/\//.test(serverUrl))
    fail('DATABASE_URL must be a postgres:// or postgresql:// URL.');
  try {
    new URL(serverUrl);
  } catch {
    fail('DATABASE_URL is not a valid URL.');
  }
  return serverUrl;
}
