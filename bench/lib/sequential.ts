import { ms, percentile, range } from './figures.js';
import type { OffersBenchOptions } from './offers-args.js';
import type { OffersClient } from './offers-client.js';
import type { Variant } from './offers-variants.js';
import { progress } from './session.js';

/** A variant measures at least this many requests, even past its time budget. */
const MIN_MEASURED = 5;

export interface Result {
  dataset: string;
  variant: string;
  n: number;
  p50: number;
  p95: number;
  statements: number[];
  totalCount: number;
  rows: number;
}

export const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/**
 * Sequential requests of one variant: `warmup` unmeasured, then up to `requests` measured (at least
 * MIN_MEASURED), cut by the time budget; p50/p95 and statements per request.
 */
export async function measure(
  client: OffersClient,
  dataset: string,
  variant: Variant,
  options: Pick<OffersBenchOptions, 'warmup' | 'requests' | 'budgetSeconds'>,
): Promise<Result> {
  const started = performance.now();
  const budgetMs = options.budgetSeconds * 1000;
  let warm = 0;
  for (; warm < options.warmup; warm++) {
    if (performance.now() - started > budgetMs / 4) break;
    await client.run(variant.variables);
  }
  const times: number[] = [];
  const statements: number[] = [];
  let totalCount = 0;
  let rows = 0;
  for (let i = 0; i < options.requests; i++) {
    if (i >= MIN_MEASURED && performance.now() - started > budgetMs) break;
    const r = await client.run(variant.variables);
    times.push(r.ms);
    statements.push(r.statements);
    totalCount = r.page.totalCount;
    rows = r.page.nodes.length;
    if (i === 0 && r.redactions)
      progress(`  note: "${variant.name}" reports redacted fields for this viewer`);
  }
  const result = {
    dataset,
    variant: variant.name,
    n: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    statements,
    totalCount,
    rows,
  };
  const cut = times.length < options.requests || warm < options.warmup;
  progress(
    `  ${variant.name}: p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms, ${range(statements)} statements, ` +
      `${result.n} measured after ${warm} warm-up (${seconds(started)})${cut ? ' — cut by --budget-seconds' : ''}`,
  );
  return result;
}
