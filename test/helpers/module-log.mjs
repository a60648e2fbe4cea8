// Preloaded (`node --import`) by startup-footprint.test.ts: appends every module the process loads to
// the file in MODULE_LOG — ES modules (and CommonJS ones imported from ESM) as the loader sees them, the
// CommonJS modules that those require() when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.MODULE_LOG;
if (!file) throw new Error('MODULE_LOG names the file the loaded modules are appended to');

// Module hooks run on their own thread; a data: URL keeps them in this one file.
const hooks = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) {
  appendFileSync(file, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url, { data: { file } });

const require = createRequire(import.meta.url);
process.on('exit', () => {
  appendFileSync(file, `${Object.keys(require.cache).join('\n')}\n`);
});
