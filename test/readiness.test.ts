import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub('readiness', { seed: false });
});

afterAll(async () => {
  await t?.stop();
});

it('answers /readyz with 503 while the database is unreachable, and /healthz stays 200', async () => {
  expect((await fetch(`${t.origin}/readyz`)).status).toBe(200);
  // Taking the pool away is what an unreachable database looks like to the hub.
  await t.hub.database.orm.close(true);
  const ready = await fetch(`${t.origin}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'database unreachable' });
  expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
  // And GraphQL answers at once with SERVICE_UNAVAILABLE (retry later), not a stack trace.
  const res = await t.gql('{ offers(first: 1) { totalCount } }');
  expect(res.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(JSON.stringify(res)).not.toMatch(/stacktrace|knex|pool/i);
});
