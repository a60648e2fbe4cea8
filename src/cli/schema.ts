import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import {
  SCHEMA_FILE,
  SUBGRAPH_FILE,
  schemaFileMatches,
  subgraphFileMatches,
  writeSchemaFile,
  writeSubgraphFile,
} from './print-schema.js';

/**
 * `--write` prints the schema into schema.graphql and the Federation 2 subgraph SDL into subgraph.graphql;
 * `--check` fails when either file differs from the code.
 */
const mode = process.argv[2];
if (mode === '--write') {
  await writeSchemaFile();
  await writeSubgraphFile();
  process.stdout.write(`wrote ${fileURLToPath(SCHEMA_FILE)}\nwrote ${fileURLToPath(SUBGRAPH_FILE)}\n`);
} else if (mode === '--check') {
  const checks = {
    'schema.graphql': await schemaFileMatches(),
    'subgraph.graphql': await subgraphFileMatches(),
  };
  const stale = Object.entries(checks).flatMap(([name, check]) => (check.matches ? [] : [name]));
  if (stale.length > 0) {
    process.stderr.write(
      `${stale.join(' and ')} differ${stale.length === 1 ? 's' : ''} from the schema the code builds. Run \`npm run schema:print\` and commit it.\n`,
    );
    process.exit(1);
  }
  process.stdout.write('schema.graphql and subgraph.graphql are up to date\n');
} else {
  process.stderr.write('usage: schema.js --write | --check\n');
  process.exit(2);
}
