import { parseArgs } from 'node:util';

/** Exit code for usage errors (bad flags, missing DATABASE_URL), as the seed CLIs use. */
export const USAGE_ERROR = 2;

/** A usage error of the benchmark whose usage text is `usage`: message, usage, exit code 2. */
export function usageErrorFor(usage: string) {
  return (message: string): never => {
    process.stderr.write(`${message}\n${usage}\n`);
    process.exit(USAGE_ERROR);
  };
}

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
