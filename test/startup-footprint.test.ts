import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { TEST_JWT_SECRET } from './helpers/hub.js';

/**
 * What a real hub process (`node dist/src/main.js` against DATABASE_URL) loads by the time it is ready:
 * packages only some paths need stay unloaded, because every loaded package costs resident memory for the
 * process's lifetime (README, "Memory").
 */

const root = path.resolve(import.meta.dirname, '..');
let database: TestDatabase;
let logs: string;

beforeAll(async () => {
  database = await createTestDatabase('footprint');
  logs = await mkdtemp(path.join(os.tmpdir(), 'hub-modules-'));
});

afterAll(async () => {
  await database?.drop();
  if (logs) await rm(logs, { recursive: true, force: true });
});

/** Starts the hub with `env`, waits until it is ready, stops it; the packages it had loaded. */
async function packagesLoaded(name: string, env: Record<string, string>): Promise<Set<string>> {
  const log = path.join(logs, `${name}.log`);
  const child = spawn(process.execPath, ['--import', './test/helpers/module-log.mjs', 'dist/src/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      SEED_DEMO: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      MODULE_LOG: log,
      // The stop is not what this test looks at.
      DRAIN_SECONDS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('läuft: http')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`hub exited with ${code}:\n${output}`)));
  });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const packages = new Set<string>();
  for (const line of (await readFile(log, 'utf8')).split('\n')) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (match) packages.add(match[1]!);
  }
  return packages;
}

it('loads neither the demo data (faker), prom-client, ExcelJS nor OpenTelemetry when they are not asked for', async () => {
  const packages = await packagesLoaded('lean', { METRICS_ENABLED: 'false' });
  // The log sees what the hub runs on (ESM packages and CommonJS ones alike), so an absence means something.
  for (const used of ['graphql', 'type-graphql', '@mikro-orm/core', 'express'])
    expect(packages).toContain(used);
  expect(packages).not.toContain('@faker-js/faker');
  expect(packages).not.toContain('prom-client');
  expect(packages).not.toContain('exceljs');
  // Without OTEL_EXPORTER_OTLP_ENDPOINT not a line of OpenTelemetry, not even the API.
  expect([...packages].filter((p) => p.startsWith('@opentelemetry/'))).toEqual([]);
  expect(packages).not.toContain('require-in-the-middle');
}, 90_000);

it('loads prom-client when metrics are enabled', async () => {
  const packages = await packagesLoaded('metrics', { METRICS_ENABLED: 'true' });
  expect(packages).toContain('prom-client');
}, 90_000);
