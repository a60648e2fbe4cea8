import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { type RunningHub, startHub } from '../src/app.js';
import { TokenService } from '../src/auth/tokens.js';
import { Role } from '../src/domain/enums.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { ActivitySampler, type ActivitySummary } from './lib/activity-sampler.js';
import { ms, percentile, table } from './lib/figures.js';
import { type PlacesBenchOptions, parsePlacesBenchArgs } from './lib/places-args.js';
import {
  appendLoggedErrors,
  BenchSession,
  benchHubConfig,
  capturingLogger,
  progress,
  runBench,
} from './lib/session.js';

/**
 * `npm run -s bench:places -- [--concurrency N] [--scale X] [--keep]`: sustained throughput of the
 * `reservePlace` mutation over HTTP against a real hub started in this process on a scratch database of
 * the DATABASE_URL server — all reservations on one period (one hot row), spread over 100 periods, and an
 * overload check (500 requests at once for 50 places) followed by consistency checks in SQL. Progress
 * goes to stderr, the result tables to stdout; exit code 1 when a check fails.
 */

const RESERVE = `mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id status } }`;
/** Requests of the unreported warm-up (JIT, connection pool, HTTP keep-alive sockets). */
const WARMUP = 100;
const SPREAD_PERIODS = 100;
const OVERLOAD_PLACES = 50;
const OVERLOAD_REQUESTS = 500;
/** At least this many cases exist (the benchmark uses a distinct case for every request). */
const MIN_CASES = 20_000;

interface ScenarioPlan {
  key: string;
  name: string;
  /** Places per period; one entry per period. */
  periods: number[];
  requests: number;
  concurrency: number;
  reported: boolean;
}

interface Period {
  id: string;
  gid: string;
  total: number;
}

interface Outcome {
  ms: number;
  kind: 'ok' | 'full' | 'other';
  /** For "other": code and message, as the client saw them. */
  detail?: string;
}

interface ScenarioResult {
  plan: ScenarioPlan;
  periods: Period[];
  outcomes: Outcome[];
  seconds: number;
  activity: ActivitySummary;
  /** CPU cores this process (hub and load generator together) used on average. */
  cores: number;
  /** Event-loop delay of this process, p50 and p99, in ms. */
  loopDelay: [number, number];
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const count = (outcomes: Outcome[], kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function plans(options: PlacesBenchOptions): ScenarioPlan[] {
  const hot = Math.max(100, Math.round(2_000 * options.scale));
  const perPeriod = Math.max(1, Math.round(20 * options.scale));
  return [
    {
      key: 'warm-up',
      name: 'warm-up (not reported)',
      periods: [WARMUP],
      requests: WARMUP,
      concurrency: options.concurrency,
      reported: false,
    },
    {
      key: 'a',
      name: `(a) 1 period × ${hot} places`,
      periods: [hot],
      requests: hot,
      concurrency: options.concurrency,
      reported: true,
    },
    {
      key: 'b',
      name: `(b) ${SPREAD_PERIODS} periods × ${perPeriod} places, round-robin`,
      periods: Array.from({ length: SPREAD_PERIODS }, () => perPeriod),
      requests: SPREAD_PERIODS * perPeriod,
      concurrency: options.concurrency,
      reported: true,
    },
    {
      key: 'c',
      name: `(c) overload: 1 period × ${OVERLOAD_PLACES} places`,
      periods: [OVERLOAD_PLACES],
      requests: OVERLOAD_REQUESTS,
      concurrency: OVERLOAD_REQUESTS,
      reported: true,
    },
  ];
}

/** One organisation with a location and an offer, a case manager and an editor, and `cases` open cases. */
async function createData(db: pg.Client, cases: number) {
  const ids = { org: randomUUID(), location: randomUUID(), offer: randomUUID() };
  const caseManager = randomUUID();
  const editor = randomUUID();
  const caseIds = Array.from({ length: cases }, () => randomUUID());
  await db.query('begin');
  await db.query(
    `insert into organisation (id, name, kind, description) values ($1, 'Bench-Träger', 'EDUCATION_PROVIDER', 'bench:places')`,
    [ids.org],
  );
  await db.query(
    `insert into account (id, organisation_id, email, display_name, roles)
     values ($1, $3, 'case-manager@bench.example', 'Bench Fallmanagement', '{CASE_MANAGER}'),
            ($2, $3, 'editor@bench.example', 'Bench Redaktion', '{PARTNER_EDITOR}')`,
    [caseManager, editor, ids.org],
  );
  await db.query(
    `insert into location (id, organisation_id, name, street, postal_code, city, district)
     values ($1, $2, 'Haus', 'Weg 1', '51373', 'Leverkusen', 'Wiesdorf')`,
    [ids.location, ids.org],
  );
  await db.query(
    `insert into offer (id, organisation_id, location_id, kind, title, description)
     values ($1, $2, $3, 'JOB_LANGUAGE_COURSE', 'Berufssprachkurs B2 (bench)', 'Kurs')`,
    [ids.offer, ids.org, ids.location],
  );
  await db.query(
    `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
     select id, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE'
       from unnest($1::uuid[]) as id`,
    [caseIds, ids.org],
  );
  await db.query('commit');
  return { ids, caseManager, caseIds };
}

/**
 * The periods of all scenarios, all running today. (offer_id, starts_on) is unique, so period k starts k
 * days ago; every period ends a year from now.
 */
async function createPeriods(db: pg.Client, offerId: string, all: ScenarioPlan[]): Promise<Period[][]> {
  const perScenario = all.map((plan) =>
    plan.periods.map((total) => {
      const id = randomUUID();
      return { id, gid: toGlobalId('CapacityPeriod', id), total, label: `bench ${plan.key}` };
    }),
  );
  const flat = perScenario.flat();
  await db.query(
    `insert into capacity_period (id, offer_id, label, starts_on, ends_on, total)
     select p.id, $1, p.label, current_date - (p.k - 1)::int, current_date + 365, p.total
       from unnest($2::uuid[], $3::text[], $4::int[]) with ordinality as p(id, label, total, k)`,
    [offerId, flat.map((p) => p.id), flat.map((p) => p.label), flat.map((p) => p.total)],
  );
  return perScenario.map((ps) => ps.map(({ id, gid, total }) => ({ id, gid, total })));
}

interface GraphQLBody {
  data?: { reservePlace?: { id: string; status: string } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function reserve(url: string, token: string, periodGid: string, caseGid: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        query: RESERVE,
        variables: { i: { capacityPeriodId: periodGid, caseId: caseGid } },
      }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const elapsed = performance.now() - started;
    let body: GraphQLBody;
    try {
      body = JSON.parse(text) as GraphQLBody;
    } catch {
      return { ms: elapsed, kind: 'other', detail: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    }
    const error = body.errors?.[0];
    if (!error && body.data?.reservePlace?.status === 'HELD') return { ms: elapsed, kind: 'ok' };
    if (error?.extensions?.code === 'NO_PLACES_LEFT') return { ms: elapsed, kind: 'full' };
    const detail = error
      ? `${error.extensions?.code ?? 'no code'}: ${error.message}`
      : `HTTP ${response.status}: ${text.slice(0, 200)}`;
    return { ms: elapsed, kind: 'other', detail };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ms: performance.now() - started, kind: 'other', detail: `client: ${message}` };
  }
}

/** `jobs` calls of `work`, at most `concurrency` at a time, each index exactly once. */
async function bounded(jobs: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs) }, worker));
}

async function runScenario(
  plan: ScenarioPlan,
  periods: Period[],
  cases: string[],
  url: string,
  token: string,
  sampler: ActivitySampler,
): Promise<ScenarioResult> {
  const outcomes: Outcome[] = new Array(plan.requests);
  const stopSampling = sampler.start();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await bounded(plan.requests, plan.concurrency, async (i) => {
    // Round-robin over the scenario's periods; every request has its own case.
    outcomes[i] = await reserve(url, token, periods[i % periods.length]!.gid, cases[i]!);
  });
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  loop.disable();
  const activity = await stopSampling();
  const result: ScenarioResult = {
    plan,
    periods,
    outcomes,
    seconds: elapsed,
    activity,
    cores: (used.user + used.system) / 1e6 / elapsed,
    loopDelay: [loop.percentile(50) / 1e6, loop.percentile(99) / 1e6],
  };
  progress(
    `  ${plan.name}: ${count(outcomes, 'ok')} ok, ${count(outcomes, 'full')} NO_PLACES_LEFT, ` +
      `${count(outcomes, 'other')} other in ${elapsed.toFixed(1)} s ` +
      `(${fixed(count(outcomes, 'ok') / elapsed)} reservations/s)`,
  );
  return result;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function checks(db: pg.Client, results: ScenarioResult[]): Promise<Check[]> {
  const out: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => out.push({ name, ok, detail });
  const overload = results.find((r) => r.plan.key === 'c');
  if (overload) {
    const ok = count(overload.outcomes, 'ok');
    const full = count(overload.outcomes, 'full');
    check(
      `(c) exactly ${OVERLOAD_PLACES} succeed, ${OVERLOAD_REQUESTS - OVERLOAD_PLACES} get NO_PLACES_LEFT`,
      ok === OVERLOAD_PLACES && full === OVERLOAD_REQUESTS - OVERLOAD_PLACES,
      `${ok} ok, ${full} NO_PLACES_LEFT, ${count(overload.outcomes, 'other')} other`,
    );
  }
  for (const r of results.filter((r) => r.plan.key === 'a' || r.plan.key === 'b')) {
    const ok = count(r.outcomes, 'ok');
    check(
      `(${r.plan.key}) every reservation succeeds`,
      ok === r.plan.requests,
      `${ok} of ${r.plan.requests}`,
    );
  }
  const [periods] = (
    await db.query<{ periods: number; bad_reserved: number; bad_occupied: number; overbooked: number }>(
      `select count(*)::int as periods,
              count(*) filter (where p.reserved <> coalesce(r.held, 0))::int as bad_reserved,
              count(*) filter (where p.occupied <> coalesce(r.confirmed, 0))::int as bad_occupied,
              count(*) filter (where p.occupied + p.reserved > p.total)::int as overbooked
         from capacity_period p
         left join (select capacity_period_id,
                           count(*) filter (where status = 'HELD') as held,
                           count(*) filter (where status = 'CONFIRMED') as confirmed
                      from reservation group by capacity_period_id) r on r.capacity_period_id = p.id`,
    )
  ).rows;
  check(
    'reserved = HELD reservations, occupied = CONFIRMED ones, for every period',
    periods!.bad_reserved === 0 && periods!.bad_occupied === 0,
    `${periods!.periods} periods, ${periods!.bad_reserved} with reserved ≠ HELD, ${periods!.bad_occupied} with occupied ≠ CONFIRMED`,
  );
  check(
    'occupied + reserved <= total for every period',
    periods!.overbooked === 0,
    `${periods!.overbooked} overbooked`,
  );
  const okTotal = results.reduce((n, r) => n + count(r.outcomes, 'ok'), 0);
  const [totals] = (
    await db.query<{ events: number; held: number; audits: number }>(
      `select (select count(*)::int from domain_event where type = 'places.changed') as events,
              (select count(*)::int from reservation where status = 'HELD') as held,
              (select count(*)::int from audit_entry where action = 'reservation.held') as audits`,
    )
  ).rows;
  check(
    "'places.changed' domain events = successful reservations",
    totals!.events === okTotal,
    `${totals!.events} events, ${okTotal} successful reservations (warm-up included)`,
  );
  check(
    'HELD reservations and reservation.held audit entries = successful reservations',
    totals!.held === okTotal && totals!.audits === okTotal,
    `${totals!.held} HELD, ${totals!.audits} audit entries`,
  );
  // Per scenario: the counters of its periods add up to its successful requests.
  for (const r of results) {
    const { rows } = await db.query<{ reserved: number; events: number }>(
      `select (select coalesce(sum(reserved), 0)::int from capacity_period where id = any($1::uuid[])) as reserved,
              (select count(*)::int from domain_event
                where type = 'places.changed' and payload->>'capacityPeriodId' = any($2::text[])) as events`,
      [r.periods.map((p) => p.id), r.periods.map((p) => p.id)],
    );
    const ok = count(r.outcomes, 'ok');
    check(
      `${r.plan.key}: reserved places and events of its periods = its successes`,
      rows[0]!.reserved === ok && rows[0]!.events === ok,
      `reserved ${rows[0]!.reserved}, events ${rows[0]!.events}, successes ${ok}`,
    );
  }
  return out;
}

function waitsText(activity: ActivitySummary): string {
  if (activity.failure) return `sampling failed: ${activity.failure}`;
  return (
    [...activity.waits.entries()]
      .slice(0, 3)
      .map(([k, share]) => `${k} ${Math.round(share * 100)}%`)
      .join(', ') || '–'
  );
}

function report(
  results: ScenarioResult[],
  verified: Check[],
  serverErrors: string[],
  context: string[],
): boolean {
  const reported = results.filter((r) => r.plan.reported);
  const lines: string[] = ['', ...context, ''];
  lines.push(
    table(
      [
        'scenario',
        'in flight',
        'requests',
        'ok',
        'NO_PLACES_LEFT',
        'other errors',
        'seconds',
        'reservations/s',
        'p50 ms',
        'p95 ms',
      ],
      reported.map((r) => {
        const times = r.outcomes.map((o) => o.ms);
        return [
          r.plan.name,
          String(r.plan.concurrency),
          String(r.plan.requests),
          String(count(r.outcomes, 'ok')),
          String(count(r.outcomes, 'full')),
          String(count(r.outcomes, 'other')),
          fixed(r.seconds, 2),
          fixed(count(r.outcomes, 'ok') / r.seconds),
          ms(percentile(times, 50)),
          ms(percentile(times, 95)),
        ];
      }),
      [false, true, true, true, true, true, true, true, true, true],
    ),
  );
  const rate = (key: string) => {
    const r = results.find((x) => x.plan.key === key);
    return r ? count(r.outcomes, 'ok') / r.seconds : Number.NaN;
  };
  lines.push(
    '',
    `Throughput (b)/(a): ${fixed(rate('b') / rate('a'), 2)}× ` +
      `(${fixed(rate('b'))} vs ${fixed(rate('a'))} reservations/s)`,
    '',
    'While each scenario ran: backends of the scratch database (pg_stat_activity sampled every 50 ms),',
    'active backends of other databases on the server, and this Node process (hub + load generator):',
    '',
    table(
      [
        'scenario',
        'samples',
        'active backends',
        'waiting on a lock (mean / max)',
        'top wait events',
        'other DBs active',
        'node CPU cores',
        'event-loop delay p50 / p99 ms',
      ],
      reported.map((r) => [
        r.plan.name,
        String(r.activity.samples),
        fixed(r.activity.meanActive, 2),
        `${fixed(r.activity.meanLockWaiting, 2)} / ${r.activity.maxLockWaiting}`,
        waitsText(r.activity),
        fixed(r.activity.meanOtherActive, 2),
        fixed(r.cores, 2),
        `${fixed(r.loopDelay[0])} / ${fixed(r.loopDelay[1])}`,
      ]),
      [false, true, true, true, false, true, true, true],
    ),
    '',
    'Checks:',
    ...verified.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} — ${c.detail}`),
  );
  const others = new Map<string, number>();
  for (const r of results)
    for (const o of r.outcomes)
      if (o.kind === 'other') {
        const key = `${r.plan.key}: ${o.detail}`;
        others.set(key, (others.get(key) ?? 0) + 1);
      }
  if (others.size > 0) {
    lines.push('', 'Errors other than NO_PLACES_LEFT (as the client saw them):');
    for (const [detail, n] of [...others.entries()].slice(0, 20)) lines.push(`  ${n}× ${detail}`);
  }
  appendLoggedErrors(
    lines,
    serverErrors,
    'Errors the hub logged (internal errors are masked in the responses):',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return verified.every((c) => c.ok);
}

async function main(): Promise<void> {
  const options = parsePlacesBenchArgs();
  const startedAll = performance.now();
  const loadBefore = os.loadavg();
  let hub: RunningHub | undefined;
  let db: pg.Client | undefined;
  let sampler: ActivitySampler | undefined;
  const session = new BenchSession(options.keep);
  session.onCleanup(async () => {
    await sampler?.close();
    await db?.end();
    await hub?.stop();
  });

  try {
    const database = await session.createDatabase(options.serverUrl);
    const config = benchHubConfig(database.url);
    const serverErrors: string[] = [];
    let t = performance.now();
    hub = await startHub(config, capturingLogger(serverErrors, 'error'));
    const origin = new URL(hub.url).origin.replace('localhost', '127.0.0.1');
    const url = `${origin}/graphql`;
    progress(`hub on ${origin} (migrated in ${seconds(t)})`);

    const all = plans(options);
    const needed = all.reduce((n, p) => n + p.requests, 0);
    t = performance.now();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const data = await createData(db, Math.max(MIN_CASES, needed));
    const periods = await createPeriods(db, data.ids.offer, all);
    await db.query('analyze');
    progress(
      `data: 1 organisation, 1 offer, ${periods.flat().length} periods, ${data.caseIds.length} cases (${seconds(t)})`,
    );
    const { token } = await new TokenService(config.auth).sign(
      { accountId: data.caseManager, organisationId: data.ids.org, roles: [Role.CASE_MANAGER] },
      86_400,
    );

    sampler = new ActivitySampler(database.url);
    await sampler.open();
    const stat = async () =>
      (
        await db!.query<{ deadlocks: string; xact_rollback: string }>(
          `select deadlocks, xact_rollback from pg_stat_database where datname = current_database()`,
        )
      ).rows[0]!;
    await db.query('select pg_stat_clear_snapshot()');
    const statBefore = await stat();

    const results: ScenarioResult[] = [];
    let nextCase = 0;
    for (const [i, plan] of all.entries()) {
      const cases = data.caseIds
        .slice(nextCase, nextCase + plan.requests)
        .map((id) => toGlobalId('Case', id));
      nextCase += plan.requests;
      progress(`${plan.name}: ${plan.requests} reservations, ${plan.concurrency} in flight …`);
      results.push(await runScenario(plan, periods[i]!, cases, url, token, sampler));
    }

    progress('checking counters, reservations, events and audit entries in SQL …');
    const verified = await checks(db, results);
    // Idle backends report their statistics with a delay of up to 10 s, exiting ones at once: stop the
    // hub (its pool disconnects) and the sampler, then read the counters.
    await hub.stop();
    await sampler.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await db.query('select pg_stat_clear_snapshot()');
    const statAfter = await stat();
    const delta = (k: keyof typeof statBefore) => Number(statAfter[k]) - Number(statBefore[k]);

    const [server] = (await db.query<{ server_version: string }>('show server_version')).rows;
    const loadAfter = os.loadavg();
    const passed = report(results, verified, serverErrors, [
      `bench:places — reservePlace over HTTP to 127.0.0.1, one CASE_MANAGER token, a distinct case per request`,
      `Node ${process.version}, PostgreSQL ${server?.server_version}, ${os.cpus().length} CPU(s), ` +
        `hub DB pool ${config.dbPoolMax}; warm-up ${WARMUP} reservations first; total ${seconds(startedAll)}`,
      `load average (1 min) ${loadBefore[0]!.toFixed(2)} at start, ${loadAfter[0]!.toFixed(2)} at end` +
        ' (other processes on this machine included; see "other DBs active" below)',
      `scratch database while measuring (pg_stat_database): ${delta('deadlocks')} deadlocks, ` +
        `${delta('xact_rollback')} rolled-back transactions (a refused reservation rolls back)`,
    ]);
    if (options.json) {
      const summary = results
        .filter((r) => r.plan.reported)
        .map((r) => ({
          key: r.plan.key,
          scenario: r.plan.name,
          concurrency: r.plan.concurrency,
          requests: r.plan.requests,
          ok: count(r.outcomes, 'ok'),
          full: count(r.outcomes, 'full'),
          other: count(r.outcomes, 'other'),
          seconds: r.seconds,
          reservationsPerSecond: count(r.outcomes, 'ok') / r.seconds,
          p50: percentile(
            r.outcomes.map((o) => o.ms),
            50,
          ),
          p95: percentile(
            r.outcomes.map((o) => o.ms),
            95,
          ),
        }));
      await writeFile(
        options.json,
        JSON.stringify({ scenarios: summary, checksPassed: passed, hubDbPool: config.dbPoolMax }),
      );
    }
    if (!passed) process.exitCode = 1;
  } finally {
    await session.cleanup();
  }
}

runBench('bench:places', main);
