import autocannon from 'autocannon';

/**
 * The load generator of `npm run bench`, in its own process so that it takes no CPU from the server it
 * measures inside that server's process: `node load-generator.js '<json options>'` runs autocannon once
 * and prints one JSON line with the figures (LoadResult).
 */

export interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  durationSeconds: number;
  connections: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const result = await autocannon({
  url: options.url,
  method: 'POST',
  body: options.body,
  headers: options.headers,
  connections: options.connections,
  duration: options.durationSeconds,
  timeout: 30,
});
const out: LoadResult = {
  requests: result.requests.total,
  requestsPerSecond: result.requests.total / (result.duration || options.durationSeconds),
  p50: result.latency.p50,
  p99: result.latency.p99,
  mean: result.latency.average,
  max: result.latency.max,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  durationSeconds: result.duration,
  connections: options.connections,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
