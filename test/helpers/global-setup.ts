import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Runs once before all test files: compiles the hub (the embedded-start test runs `node dist/...`
 * exactly as `npm start` does), builds the web pages for the browser tests when their sources changed,
 * and checks that a PostgreSQL server is given.
 */
export default function setup() {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (webBuildIsStale()) {
    // The pages as `npm run build` makes them: vitest sets NODE_ENV=test, which would give Vite
    // React's development build (every effect run twice, warnings shipped).
    execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
}

/** dist/web is older than anything in web/ or the lock file (a rebuild takes a while; skip it if fresh). */
function webBuildIsStale(): boolean {
  const built = path.join(root, 'dist/web/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return (
    Math.max(newestIn(path.join(root, 'web')), statSync(path.join(root, 'package-lock.json')).mtimeMs) >
    builtAt
  );
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}
