import { readFile, writeFile } from 'node:fs/promises';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildHubSchema } from '../schema.js';

export const SCHEMA_FILE = new URL('../../../schema.graphql', import.meta.url);

const HEADER =
  '# Generated from the code by `npm run schema:print`; `npm run schema:check` fails when it differs.\n\n';

/** The SDL as committed: sorted, so that reordering code does not churn the file. */
export async function printHubSchema(): Promise<string> {
  return `${HEADER}${printSchema(lexicographicSortSchema(await buildHubSchema()))}\n`;
}

export async function schemaFileMatches(
  file: URL = SCHEMA_FILE,
): Promise<{ matches: boolean; expected: string; actual: string }> {
  const expected = await printHubSchema();
  const actual = await readFile(file, 'utf8').catch(() => '');
  return { matches: actual === expected, expected, actual };
}

export async function writeSchemaFile(file: URL = SCHEMA_FILE): Promise<void> {
  await writeFile(file, await printHubSchema());
}
