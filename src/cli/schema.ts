import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE, schemaFileMatches, writeSchemaFile } from '../graphql/print-schema.js';

/** `--write` prints the schema into schema.graphql; `--check` fails when the file differs from the code. */
const mode = process.argv[2];
if (mode === '--write') {
  await writeSchemaFile();
  process.stdout.write(`wrote ${fileURLToPath(SCHEMA_FILE)}\n`);
} else if (mode === '--check') {
  const { matches } = await schemaFileMatches();
  if (!matches) {
    process.stderr.write(
      'schema.graphql differs from the schema the code builds. Run `npm run schema:print` and commit it.\n',
    );
    process.exit(1);
  }
  process.stdout.write('schema.graphql is up to date\n');
} else {
  process.stderr.write('usage: schema.js --write | --check\n');
  process.exit(2);
}
