import { readdir } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { schemaFileMatches, subgraphFileMatches } from '../src/cli/print-schema.js';
import { migrationsList } from '../src/db/migrations/index.js';

it('schema.graphql is exactly the schema the code builds (npm run schema:check)', async () => {
  const { matches, expected, actual } = await schemaFileMatches(
    new URL('../schema.graphql', import.meta.url),
  );
  if (!matches) expect(actual, 'run `npm run schema:print` and commit schema.graphql').toBe(expected);
  expect(matches).toBe(true);
});

it('subgraph.graphql is exactly the Federation 2 subgraph SDL the code builds (npm run schema:check)', async () => {
  const { matches, expected, actual } = await subgraphFileMatches(
    new URL('../subgraph.graphql', import.meta.url),
  );
  if (!matches) expect(actual, 'run `npm run schema:print` and commit subgraph.graphql').toBe(expected);
  expect(matches).toBe(true);
});

it('lists every migration file in migrations/index.ts, in order', async () => {
  const files = (await readdir(new URL('../src/db/migrations/', import.meta.url)))
    .filter((f) => /^Migration\d+.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  expect(migrationsList.map((m) => m.name)).toEqual(files);
});
