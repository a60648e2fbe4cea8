import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { seedDemo } from '../demo.js';
import { databaseUrl, fail, formatCounts, reportError, withMigratedOrm } from './database.js';

const USAGE =
  'Usage: npm run seed [-- --reset]\n  --reset  empty all hub tables first, then load the demo data';

async function main(): Promise<void> {
  let reset = false;
  try {
    const { values } = parseArgs({
      options: { reset: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    reset = values.reset ?? false;
  } catch (error) {
    fail((error as Error).message, USAGE);
  }
  const url = databaseUrl(USAGE);
  const started = performance.now();
  const counts = await withMigratedOrm(url, (orm) => seedDemo(orm, { reset }));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (counts)
    console.log(`demo data ${reset ? 'reset and ' : ''}seeded in ${seconds} s: ${formatCounts(counts)}`);
  else console.log('already seeded, nothing changed (use --reset to reload the demo data)');
}

main().catch(reportError);
