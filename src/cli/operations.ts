import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { OperationsAllowlist, sha256 } from '../operations-allowlist.js';

/**
 * Builds the allow-list for OPERATIONS_ALLOWLIST from .graphql files, one operation document (with its
 * fragments) per file: `{ "<sha256 of the file's text>": "<the text>" }`. Clients send exactly that text,
 * or only its hash in `extensions.persistedQuery.sha256Hash`.
 *
 *   npm run -s operations:allowlist -- dashboard/*.graphql [--out operations.json]
 */
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex === -1 ? undefined : args[outIndex + 1];
const files = outIndex === -1 ? args : args.filter((_, i) => i !== outIndex && i !== outIndex + 1);
if (files.length === 0 || (outIndex !== -1 && !out)) {
  process.stderr.write('usage: operations.js FILE.graphql … [--out operations.json]\n');
  process.exit(2);
}
const entries: [string, string][] = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  try {
    parse(text);
  } catch (error) {
    process.stderr.write(`${file}: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
  entries.push([sha256(text), text]);
}
const json = `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
// The same checks the hub makes at start.
OperationsAllowlist.from(JSON.parse(json));
if (out) {
  writeFileSync(out, json);
  process.stderr.write(`wrote ${entries.length} operation(s) to ${out}\n`);
} else {
  process.stdout.write(json);
}
