import { execFileSync } from 'node:child_process';

/**
 * Runs once before all test files: compiles the hub (the embedded-start test runs `node dist/...`
 * exactly as `npm start` does) and checks that a PostgreSQL server is given.
 */
export default function setup() {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
