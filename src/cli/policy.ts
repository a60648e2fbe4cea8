import { readFile, writeFile } from 'node:fs/promises';
import { renderPolicyDocument } from '../auth/policy-document.js';

/** `--write` renders docs/permissions.md from the policy; `--check` fails when it differs. */
const file = new URL('../../../docs/permissions.md', import.meta.url);
const expected = renderPolicyDocument();
if (process.argv[2] === '--write') {
  await writeFile(file, expected);
} else {
  const actual = await readFile(file, 'utf8').catch(() => '');
  if (actual !== expected) {
    process.stderr.write('docs/permissions.md differs from the policy. Run `npm run policy:print`.\n');
    process.exit(1);
  }
}
