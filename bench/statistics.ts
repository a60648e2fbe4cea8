import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { seedScale } from '../seeds/scale.js';
import { type RunningHub, startHub } from '../src/app.js';
import { statisticsAudienceOf } from '../src/auth/access-control.js';
import { TokenService } from '../src/auth/tokens.js';
import { PUBLIC_VIEWER, type Viewer } from '../src/auth/viewer.js';
import { createOrmConfig } from '../src/db/mikro-orm.config.js';
import { Role } from '../src/domain/enums.js';
import { StatisticsDimension, StatisticsMeasure } from '../src/domain/statistics.js';
import { createLogger } from '../src/logger.js';
import { findAccountWithRoles } from '../src/modules/account/account-lookup.js';
import { entities } from '../src/modules/entities.js';
import { StatisticsService } from '../src/modules/statistics/statistics.service.js';
import type { CaseStatisticsArgs } from '../src/modules/statistics/statistics.types.js';
import { integerFlag, usageErrorFor } from './lib/args.js';
import { BenchSession, benchHubConfig, progress, runBench } from './lib/session.js';
import { PAIRS, statisticsTimings } from './lib/statistics-timings.js';

const USAGE = [
  'Usage: npm run -s bench:statistics -- [--scale-cases N] [--rounds N] [--keep]',
  '  DATABASE_URL    a PostgreSQL server; the benchmark creates and drops its own scratch database.',
  '  --scale-cases   cases added for the timing run (default 20000; 0: demo data only)',
  '  --rounds        warm requests per table (default 5)',
  '  --keep          keep the scratch database',
].join('\n');
const fail = usageErrorFor(USAGE);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

/**
 * Information loss on the demo data: of the cells that primary suppression alone would show (n ≥ k or
 * n = 0), how many stay published after secondary suppression — every 2-dimension table of 2026 (CASES)
 * and of 2025 (transitions into Ausbildung), per audience.
 */
async function informationLoss(orm: MikroORM, viewers: Record<string, Viewer>) {
  const service = new StatisticsService(
    { subscribe: () => () => undefined },
    {
      updateIntervalMs: 60_000,
      backdateMaxDays: 90,
    },
  );
  const lines: string[] = [];
  for (const [audience, viewer] of Object.entries(viewers)) {
    const k = audience === 'public' ? 5 : 3;
    let eligible = 0;
    let published = 0;
    let positiveEligible = 0;
    let positivePublished = 0;
    for (const [measure, year, stage] of [
      [StatisticsMeasure.CASES, 2026, undefined],
      [StatisticsMeasure.TRANSITIONS, 2025, 'AUSBILDUNG'],
    ] as const) {
      for (const pair of PAIRS) {
        if (audience === 'public' && pair.includes(StatisticsDimension.ORGANISATION_KIND)) continue;
        const args = { measure, stage, dimensions: pair, period: { year } } as unknown as CaseStatisticsArgs;
        const publicK10 =
          audience === 'public' &&
          pair.includes(StatisticsDimension.RESIDENCE_STATUS) &&
          pair.includes(StatisticsDimension.NATIONALITY_GROUP);
        for (const cell of await service.audit(orm.em.fork(), statisticsAudienceOf(viewer), args)) {
          if (cell.n > 0 && cell.n < (publicK10 ? 10 : k)) continue;
          eligible++;
          if (cell.status === 'PUBLISHED') published++;
          if (cell.n > 0) {
            positiveEligible++;
            if (cell.status === 'PUBLISHED') positivePublished++;
          }
        }
      }
    }
    lines.push(
      `${audience.padEnd(8)} cells with n ≥ k or 0 kept published: ${published}/${eligible} (${((100 * published) / eligible).toFixed(1)} %); ` +
        `with n ≥ k (zeros aside): ${positivePublished}/${positiveEligible} (${((100 * positivePublished) / positiveEligible).toFixed(1)} %)`,
    );
  }
  service.stop();
  return lines;
}

async function main(): Promise<void> {
  let values: { 'scale-cases'?: string; rounds?: string; keep?: boolean; help?: boolean } = {};
  try {
    ({ values } = parseArgs({
      options: {
        'scale-cases': { type: 'string' },
        rounds: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) fail('DATABASE_URL is required.');
  const scaleCases = integerFlag(fail, 'scale-cases', values['scale-cases'] ?? '20000', 0, 1_000_000);
  const rounds = integerFlag(fail, 'rounds', values.rounds ?? '5', 1, 1_000);

  let hub: RunningHub | undefined;
  const session = new BenchSession(values.keep ?? false);
  session.onCleanup(async () => {
    await hub?.stop();
  });
  try {
    const database = await session.createDatabase(serverUrl!);
    const config = benchHubConfig(database.url, { SEED_DEMO: 'true' });
    hub = await startHub(config, createLogger(config.logLevel));
    const origin = new URL(hub.url).origin.replace('localhost', '127.0.0.1');
    const account = await findAccountWithRoles(hub.database.orm.em.fork(), [Role.PARTNER_STAFF]);
    if (!account) throw new Error('the demo data has no PARTNER_STAFF account');
    const partner: Viewer = {
      kind: 'account',
      accountId: account.id,
      organisationId: account.organisation.id,
      roles: new Set([Role.PARTNER_STAFF]),
    };
    const output = [
      'bench:statistics',
      `Node ${process.version}, ${os.cpus().length} CPU(s)`,
      '',
      'Information loss on the demo data (207 cases; every 2-dimension table: CASES 2026, TRANSITIONS→AUSBILDUNG 2025):',
      ...(await informationLoss(hub.database.orm, { public: PUBLIC_VIEWER, partner })),
    ];

    if (scaleCases > 0) {
      progress(`adding ${scaleCases} cases …`);
      const orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: database.url, poolMax: 2 }));
      try {
        await seedScale(orm, { offers: 0, cases: scaleCases });
        await orm.em.fork().execute('analyze');
      } finally {
        await orm.close(true);
      }
      // The scale cases arrive in bulk after the releases were cut: new releases are cut from them, and
      // protected ahead — the work a hub does once per release period off the request path.
      await hub.database.orm.em.fork().getConnection().execute('delete from statistics_release');
      hub.statistics.refresh();
      // While it protects, the hub must keep answering: how long the main thread's event loop stalled.
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const warmStarted = performance.now();
      await hub.statistics.warm(hub.database.orm.em.fork() as never, 2026);
      const warmOpen = performance.now() - warmStarted;
      await hub.statistics.warm(hub.database.orm.em.fork() as never, 2025);
      const warmClosed = performance.now() - warmStarted - warmOpen;
      lag.disable();
      output.push(
        '',
        `Releases cut and protected ahead (every population of a year: cases, transitions into each stage; both tiers): 2026 ${(warmOpen / 1000).toFixed(1)} s, 2025 ${(warmClosed / 1000).toFixed(1)} s`,
        `Event-loop delay of the hub's main thread meanwhile: p99 ${ms(lag.percentile(99) / 1e6)}, max ${ms(lag.max / 1e6)}`,
      );
      const { token } = await new TokenService(config.auth).sign(
        { accountId: account.id, organisationId: account.organisation.id, roles: [Role.PARTNER_STAFF] },
        86_400,
      );
      const timings = await statisticsTimings(origin, token, rounds);
      output.push(
        '',
        `2-dimension CASES tables over ${scaleCases} added cases (+207 demo), partner viewer, HTTP on 127.0.0.1, ${PAIRS.length} dimension pairs:`,
      );
      for (const [label, values] of Object.entries(timings))
        output.push(
          `${label.padEnd(62)} n=${String(values.length).padStart(3)}  p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}`,
        );
    }
    process.stdout.write(`${output.join('\n')}\n`);
  } finally {
    await session.cleanup();
  }
}

runBench('bench:statistics', main);
