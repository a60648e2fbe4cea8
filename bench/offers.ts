import 'reflect-metadata';
import os from 'node:os';
import { MikroORM } from '@mikro-orm/postgresql';
import { seedScale } from '../seeds/scale.js';
import { type RunningHub, startHub } from '../src/app.js';
import { TokenService } from '../src/auth/tokens.js';
import { createOrmConfig } from '../src/db/mikro-orm.config.js';
import { Role } from '../src/domain/enums.js';
import { createLogger } from '../src/logger.js';
import { findAccountWithRoles } from '../src/modules/account/account-lookup.js';
import { entities } from '../src/modules/entities.js';
import { ms, range, ratio, table } from './lib/figures.js';
import { type OffersBenchOptions, parseOffersBenchArgs } from './lib/offers-args.js';
import { OffersClient } from './lib/offers-client.js';
import {
  FIRST_PAGE,
  LATER_PAGE_AFTER,
  laterPage,
  PAGE_SIZE,
  VARIANTS,
  type Variant,
} from './lib/offers-variants.js';
import { measure, type Result, seconds } from './lib/sequential.js';
import { BenchSession, benchHubConfig, progress, runBench } from './lib/session.js';

/**
 * `npm run -s bench:offers -- [--scale-offers N] [--scale-cases N] [--requests N] [--warmup N] [--keep]`:
 * latency (p50/p95) and SQL statements per request of the partner dashboard's offers page, on the demo
 * data and again after adding the scale data, against a real hub started in this process on a scratch
 * database of the DATABASE_URL server. Progress goes to stderr, the result tables to stdout.
 */

/** Walks pages 1…LATER_PAGE_AFTER by TITLE; the variant continues after the last full page reached. */
async function laterPageVariant(client: OffersClient): Promise<Variant | undefined> {
  let variables = FIRST_PAGE;
  let reached: { page: number; cursor: string } | undefined;
  for (let page = 1; page <= LATER_PAGE_AFTER; page++) {
    const { page: result } = await client.run(variables);
    const cursor = result.pageInfo.endCursor;
    if (result.nodes.length < PAGE_SIZE || !cursor) break;
    reached = { page, cursor };
    variables = { ...FIRST_PAGE, a: cursor };
  }
  if (!reached) return undefined;
  if (reached.page < LATER_PAGE_AFTER)
    progress(`  note: only ${reached.page} full page(s) of ${PAGE_SIZE}; paging after page ${reached.page}`);
  return laterPage(reached.page, reached.cursor);
}

async function runDataset(
  client: OffersClient,
  dataset: string,
  options: OffersBenchOptions,
): Promise<Result[]> {
  progress(`${dataset}: ${VARIANTS.length + 1} variants × (${options.warmup} warm-up + ${options.requests})`);
  const results: Result[] = [];
  for (const variant of VARIANTS) results.push(await measure(client, dataset, variant, options));
  const later = await laterPageVariant(client);
  if (later) results.push(await measure(client, dataset, later, options));
  else progress('  note: not even one full page of offers; later-page variant skipped');
  return results;
}

function report(results: Result[], options: OffersBenchOptions, context: string[]): void {
  const lines: string[] = ['', ...context, ''];
  lines.push(
    table(
      ['dataset', 'variant', 'n', 'p50 ms', 'p95 ms', 'statements/request', 'totalCount', 'rows'],
      results.map((r) => [
        r.dataset,
        r.variant,
        String(r.n),
        ms(r.p50),
        ms(r.p95),
        range(r.statements),
        String(r.totalCount),
        String(r.rows),
      ]),
      [false, false, true, true, true, true, true, true],
    ),
  );
  const seed = results.filter((r) => r.dataset === 'seed');
  const scale = results.filter((r) => r.dataset === 'scale');
  if (scale.length > 0) {
    // The later-page variant's name carries its page number, which may differ between datasets.
    const key = (r: Result) => r.variant.replace(/, page \d+ \(after page \d+\)$/, ', later page');
    const rows = scale.flatMap((s) => {
      const base = seed.find((r) => key(r) === key(s));
      if (!base) return [];
      return [[key(s), ms(base.p50), ms(s.p50), ratio(s.p50, base.p50), ratio(s.p95, base.p95)]];
    });
    // The demo data may not reach the later page: say when the two rows compare different pages.
    const later = (rs: Result[]) => rs.find((r) => key(r) !== r.variant);
    const [seedLater, scaleLater] = [later(seed), later(scale)];
    const footnote =
      seedLater && scaleLater && seedLater.variant !== scaleLater.variant
        ? [
            '',
            `Note: "later page" is ${seedLater.variant.split(', ').at(-1)} with ${seedLater.rows} rows on seed, ` +
              `${scaleLater.variant.split(', ').at(-1)} with ${scaleLater.rows} rows on scale.`,
          ]
        : [];
    lines.push(
      '',
      `Scale vs. seed (same run, same machine; ${options.scaleOffers} offers, ${options.scaleCases} cases added):`,
      '',
      table(['variant', 'seed p50 ms', 'scale p50 ms', 'p50 ratio', 'p95 ratio'], rows, [
        false,
        true,
        true,
        true,
        true,
      ]),
      ...footnote,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const options = parseOffersBenchArgs();
  const startedAll = performance.now();
  let hub: RunningHub | undefined;
  const session = new BenchSession(options.keep);
  session.onCleanup(async () => {
    await hub?.stop();
  });

  try {
    const database = await session.createDatabase(options.serverUrl);
    const config = benchHubConfig(database.url, { SEED_DEMO: 'true' });
    const sql = { count: 0 };
    let t = performance.now();
    hub = await startHub(config, createLogger(config.logLevel), {
      onQuery: (message) => {
        if (message.includes('[query]')) sql.count++;
      },
    });
    const origin = new URL(hub.url).origin.replace('localhost', '127.0.0.1');
    progress(`hub on ${origin} (migrated, demo data seeded in ${seconds(t)})`);

    const account = await findAccountWithRoles(hub.database.orm.em.fork(), [Role.PARTNER_STAFF]);
    if (!account) throw new Error('the demo data has no active PARTNER_STAFF account');
    const { token } = await new TokenService(config.auth).sign(
      { accountId: account.id, organisationId: account.organisation.id, roles: [Role.PARTNER_STAFF] },
      86_400,
    );
    progress(`viewer: ${account.email} (PARTNER_STAFF, ${account.organisation.name})`);
    const client = new OffersClient(`${origin}/graphql`, token, sql);

    const results = await runDataset(client, 'seed', options);

    let scaleNote = 'scale run skipped (--scale-offers 0)';
    if (options.scaleOffers > 0) {
      progress(`adding scale data: ${options.scaleOffers} offers, ${options.scaleCases} cases …`);
      t = performance.now();
      // A separate ORM without the statement counter: the bulk inserts are not part of any request.
      const orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: database.url, poolMax: 2 }));
      try {
        const counts = await seedScale(orm, { offers: options.scaleOffers, cases: options.scaleCases });
        const seeded = seconds(t);
        t = performance.now();
        await orm.em.fork().execute('analyze');
        scaleNote = `scale data added in ${seeded}, ANALYZE in ${seconds(t)}: ${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`;
        progress(scaleNote);
      } finally {
        await orm.close(true);
      }
      results.push(...(await runDataset(client, 'scale', options)));
    }

    const [server] = await hub.database.orm.em
      .fork()
      .getConnection()
      .execute<{ server_version: string }[]>('show server_version');
    report(results, options, [
      `bench:offers — ${PAGE_SIZE} offers per page, viewer PARTNER_STAFF, sequential HTTP requests to 127.0.0.1`,
      `Node ${process.version}, PostgreSQL ${server?.server_version}, ${os.cpus().length} CPU(s); ` +
        `${options.warmup} warm-up + up to ${options.requests} measured requests per variant; total ${seconds(startedAll)}`,
      scaleNote,
    ]);
  } finally {
    await session.cleanup();
  }
}

runBench('bench:offers', main);
