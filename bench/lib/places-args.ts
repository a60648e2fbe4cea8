import { benchServerUrl, readFlags, usageErrorFor } from './args.js';

export const PLACES_USAGE = [
  'Usage: npm run -s bench:places -- [--concurrency N] [--scale X] [--json FILE] [--keep]',
  '  DATABASE_URL   a PostgreSQL server (postgres://…); its database name is only used to connect.',
  '                 The benchmark creates and drops its own scratch database hub_bench_<random>.',
  '  --concurrency  reservePlace requests in flight in scenarios (a) and (b) (default 32, 1–256);',
  '                 the overload check (c) always sends its 500 requests at once',
  '  --scale        multiplies the reservations of (a) and (b) (default 1: 2,000 each; 0.1–10)',
  '  --json         also write the key figures as JSON to FILE (npm run bench reads them)',
  '  --keep         keep the scratch database (its URL is printed) instead of dropping it',
].join('\n');

export interface PlacesBenchOptions {
  concurrency: number;
  scale: number;
  json?: string;
  keep: boolean;
  /** The server to create the scratch database on. */
  serverUrl: string;
}

const usageError: (message: string) => never = usageErrorFor(PLACES_USAGE);

/** Flags and DATABASE_URL, or a clear message and exit code 2. */
export function parsePlacesBenchArgs(argv = process.argv.slice(2), env = process.env): PlacesBenchOptions {
  const { strings: values, keep } = readFlags(
    argv,
    { strings: ['concurrency', 'scale', 'json'] },
    PLACES_USAGE,
  );
  let concurrency = 32;
  if (values.concurrency !== undefined) {
    const raw = values.concurrency.trim();
    concurrency = Number(raw);
    if (!/^\d+$/.test(raw) || concurrency < 1 || concurrency > 256)
      usageError(`--concurrency must be an integer from 1 to 256, got "${values.concurrency}".`);
  }
  let scale = 1;
  if (values.scale !== undefined) {
    const raw = values.scale.trim();
    scale = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !(scale >= 0.1 && scale <= 10))
      usageError(`--scale must be a number from 0.1 to 10, got "${values.scale}".`);
  }
  const serverUrl = benchServerUrl(env, 'bench:places', usageError);
  return { concurrency, scale, json: values.json, keep, serverUrl };
}
