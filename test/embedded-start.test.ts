import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * `npm start` with no configuration: the compiled hub (as `npm start` runs it after building) starts
 * its embedded PostgreSQL in EMBEDDED_DATA_DIR, migrates, seeds once, serves, and stops cleanly.
 */
const root = path.resolve(import.meta.dirname, '..');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hub-embedded-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  startupMs: number;
}

function startHubProcess(): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMBEDDED_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.SEED_DEMO;
  const began = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in time:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/läuft: (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, startupMs: performance.now() - began });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${output}`));
    });
  });
}

async function stopHubProcess(started: Started): Promise<{ code: number | null; ms: number }> {
  const began = performance.now();
  started.child.removeAllListeners('exit');
  const exited = new Promise<number | null>((resolve) => started.child.on('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  const code = await exited;
  return { code, ms: performance.now() - began };
}

async function offersTotal(url: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        '{ offers(first: 1) { totalCount nodes { location { district } capacityPeriods { available } } } }',
    }),
  });
  const body = (await response.json()) as { data: { offers: { totalCount: number } } };
  return body.data.offers.totalCount;
}

it('starts with no configuration on the embedded database, seeds once, and stops cleanly on SIGTERM', async () => {
  const first = await startHubProcess();
  expect(first.output()).toContain('demo data seeded');
  // No key configured: a development signing key is generated, and the hub says so.
  expect(first.output()).toContain('generated development signing key');
  expect(await offersTotal(first.url)).toBeGreaterThanOrEqual(100);
  const ready = await fetch(first.url.replace('/graphql', '/readyz'));
  expect(ready.status).toBe(200);
  const firstStop = await stopHubProcess(first);
  expect(firstStop.code).toBe(0);
  expect(firstStop.ms).toBeLessThan(10_000);
  // The embedded server was shut down, not left behind.
  expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

  const second = await startHubProcess();
  expect(second.output()).not.toContain('demo data seeded');
  expect(await offersTotal(second.url)).toBe(await offersTotal(second.url));
  expect(await offersTotal(second.url)).toBeGreaterThanOrEqual(100);
  const secondStop = await stopHubProcess(second);
  expect(secondStop.code).toBe(0);
  console.info(
    `embedded start to ready: ${Math.round(first.startupMs)} ms with init+seed, ${Math.round(second.startupMs)} ms without`,
  );
}, 180_000);
