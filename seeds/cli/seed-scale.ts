import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { seedScale } from '../scale.js';
import { databaseUrl, fail, formatCounts, reportError, withMigratedOrm } from './database.js';

const USAGE = [
  'Usage: npm run seed:scale -- [--offers N] [--cases N] [--seed N]',
  '  --offers  offers to add (default 100000), each with 1 eligibility rule and ~3 capacity periods',
  '  --cases   cases to add (default 20000), each with ~4 events',
  '  --seed    random seed for the generated content (default 1)',
].join('\n');

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    fail(`--${name} must be ${min > 0 ? 'a positive' : 'a non-negative'} integer, got "${raw}".`, USAGE);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  let values: { offers?: string; cases?: string; seed?: string } = {};
  try {
    ({ values } = parseArgs({
      options: { offers: { type: 'string' }, cases: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message, USAGE);
  }
  const offers = integer('offers', values.offers, 100_000, 1);
  const cases = integer('cases', values.cases, 20_000, 1);
  const seed = integer('seed', values.seed, 1, 0);
  const url = databaseUrl(USAGE);
  const started = performance.now();
  const counts = await withMigratedOrm(url, (orm) => seedScale(orm, { offers, cases, seed }));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`scale data added in ${seconds} s (seed ${seed}): ${formatCounts(counts)}`);
}

main().catch(reportError);
