import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScale } from '../seeds/scale.js';
import { ProtectPool } from '../src/modules/statistics/protect-pool.js';
import { StatisticsService } from '../src/modules/statistics/statistics.service.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

const CASES = 3_000;
const YEAR = new Date().getUTCFullYear();

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub('statistics_worker');
  await seedScale(t.hub.database.orm, { offers: 0, cases: CASES, seed: 3 });
  await t.hub.database.orm.em.fork().getConnection().execute('analyze');
});

afterAll(async () => {
  await t?.stop();
});

/** What the main thread does while a year's release is protected: its event-loop delay, /readyz's latency. */
async function whileWarming(statistics: StatisticsService) {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const readyz: number[] = [];
  let warming = true;
  const probe = (async () => {
    while (warming) {
      const sent = performance.now();
      await fetch(`${t.origin}/readyz`);
      readyz.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  lag.enable();
  const started = performance.now();
  await statistics.warm(t.hub.database.orm.em.fork() as never, YEAR);
  const took = performance.now() - started;
  lag.disable();
  warming = false;
  await probe;
  return { took, maxLag: lag.max / 1e6, maxReadyz: Math.max(...readyz) };
}

const storedProtection = async () =>
  t.hub.database.orm.em
    .fork()
    .getConnection()
    .execute(
      `select r.as_of::text as "asOf", p.population, p.tiers from statistics_protection p
       join statistics_release r on r.id = p.release_id where r.year = ? order by 1, 2`,
      [YEAR],
    );

describe(`statistics protection off the main thread (demo + ${CASES} seeded cases)`, () => {
  let threaded: Awaited<ReturnType<typeof whileWarming>>;
  let inline: Awaited<ReturnType<typeof whileWarming>>;
  let protectedThreaded: unknown[];

  it('keeps the event loop and /readyz responsive while every population of a release is protected', async () => {
    threaded = await whileWarming(t.hub.statistics);
    protectedThreaded = await storedProtection();
    expect(protectedThreaded.length).toBeGreaterThan(1);
    // What stays on the main thread (reading and counting a population's rows, building its lattices)
    // comes in stretches of up to a tenth of a second or so; protecting one population takes seconds.
    expect(threaded.took).toBeGreaterThan(1_000);
    expect(threaded.maxLag).toBeLessThan(threaded.took / 10);
    expect(threaded.maxReadyz).toBeLessThan(threaded.took / 10);
  });

  it('protects exactly as inline protection on the main thread does, which stalls the event loop', async () => {
    await t.hub.database.orm.em.fork().getConnection().execute('delete from statistics_protection');
    const onMainThread = new StatisticsService(
      { subscribe: () => () => undefined },
      {
        updateIntervalMs: 60_000,
        // As the hub's default (CASE_BACKDATE_MAX_DAYS): the same year is open or closed for both.
        backdateMaxDays: 90,
        em: () => t.hub.database.orm.em.fork() as never,
        onError: (error) => {
          throw error;
        },
        protection: new ProtectPool({ script: null }),
      },
    );
    try {
      inline = await whileWarming(onMainThread);
    } finally {
      onMainThread.stop();
    }
    expect(await storedProtection()).toEqual(protectedThreaded);
    expect(inline.maxLag).toBeGreaterThan(3 * threaded.maxLag);
    console.log(
      `warm-up of ${YEAR}: worker ${Math.round(threaded.took)} ms, max event-loop delay ${Math.round(threaded.maxLag)} ms, max /readyz ${Math.round(threaded.maxReadyz)} ms; ` +
        `inline ${Math.round(inline.took)} ms, ${Math.round(inline.maxLag)} ms, ${Math.round(inline.maxReadyz)} ms`,
    );
  });
});
