import 'reflect-metadata';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import { seedScale } from '../seeds/scale.js';
import { type RunningHub, startHub } from '../src/app.js';
import { TokenService } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { createOrmConfig } from '../src/db/mikro-orm.config.js';
import { Role } from '../src/domain/enums.js';
import { fromGlobalId } from '../src/graphql/global-id.js';
import { createLogger } from '../src/logger.js';
import { findAccountWithRoles } from '../src/modules/account/account-lookup.js';
import { entities } from '../src/modules/entities.js';
import { benchServerUrl, integerFlag, readFlags, usageErrorFor } from './lib/args.js';
import { Child, cpuMillis, freePort, rssBytes, sampleRss, sleep, waitReady } from './lib/children.js';
import { ms, percentile, range, table } from './lib/figures.js';
import type { LoadOptions, LoadResult } from './lib/load-generator.js';
import { OffersClient } from './lib/offers-client.js';
import { VARIANTS, type Variant } from './lib/offers-variants.js';
import { measure, type Result, seconds } from './lib/sequential.js';
import { BenchSession, benchHubConfig, benchHubEnv, progress, runBench } from './lib/session.js';
import { statisticsTimings } from './lib/statistics-timings.js';

/**
 * `npm run bench`: the hub against the physical floor, on one scratch database of DATABASE_URL with the
 * demo data and `seedScale` data. Prints a table (stdout), writes bench/results/<timestamp>.json and
 * bench/results/latest.md. Progress goes to stderr. See README, "Benchmarks".
 */

const USAGE = [
  'Usage: npm run -s bench -- [--quick] [--offers N] [--cases N] [--duration S] [--connections N]',
  '                          [--requests N] [--skip-places] [--skip-subscriptions] [--keep]',
  '  DATABASE_URL    a PostgreSQL server; the benchmark creates and drops its own scratch database.',
  '  --quick         a 1–2 minute smoke run: 20,000 offers, 5,000 cases, 5 s load, fewer rounds',
  '  --offers        scale offers (default 100000)       --cases     scale cases (default 20000)',
  '  --duration      seconds of load per target and round for floor vs hub (default 10)',
  '  --rounds        interleaved rounds of floor vs hub (default 3)',
  '  --connections   autocannon connections (default 10)',
  '  --requests      measured sequential requests per filtered page (default 200)',
  '  --skip-places, --skip-subscriptions   leave out the reservation / fan-out benchmarks',
  '  --keep          keep the scratch database',
].join('\n');
const fail = usageErrorFor(USAGE);

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** dist/bench → the repository. */
const ROOT = path.resolve(HERE, '../..');

/** The offers page of the floor comparison: the fields the floor server returns, nothing more. */
const PAGE_QUERY = `query($n: Int!) {
  offers(first: $n, orderBy: { field: TITLE, direction: ASC }) {
    nodes {
      id title kind
      organisation { id name }
      location { name district }
      currentCapacityPeriod { startsOn endsOn total available }
    }
  }
}`;

/** The partner dashboard's page of issue 21: every capacity period of each offer. */
const ALL_PERIODS_QUERY = `query($n: Int!) {
  offers(first: $n, orderBy: { field: TITLE, direction: ASC }) {
    nodes { id title organisation { name } location { district } capacityPeriods { id startsOn endsOn total available } }
  }
}`;

/** Nested pages: 20 organisations by name, each with its first 10 offers by title and every period. */
const NESTED_QUERY = `{
  organisations(first: 20) {
    nodes { name offers(first: 10, orderBy: { field: TITLE, direction: ASC }) { nodes { id title capacityPeriods { id startsOn endsOn total available } } } }
  }
}`;

interface RoundTarget {
  key: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  pid: number;
}
type RoundResult = LoadResult & { cpuPerRequest: number };

const TITLE = { field: 'TITLE', direction: 'ASC' } as const;

const FTS: Variant = {
  name: 'search "Ausbildung" + kinds AUSBILDUNG/ASSISTED_TRAINING, RELEVANCE',
  variables: {
    n: 50,
    f: { search: 'Ausbildung', kinds: ['AUSBILDUNG', 'ASSISTED_TRAINING'] },
    o: { field: 'RELEVANCE', direction: 'DESC' },
  },
};
const ELIGIBILITY: Variant = VARIANTS.find((v) => v.name.startsWith('eligibleFor'))!;

interface Options {
  quick: boolean;
  offers: number;
  cases: number;
  duration: number;
  rounds: number;
  connections: number;
  requests: number;
  skipPlaces: boolean;
  skipSubscriptions: boolean;
  keep: boolean;
  serverUrl: string;
}

function parse(argv = process.argv.slice(2)): Options {
  const flags = ['offers', 'cases', 'duration', 'rounds', 'connections', 'requests'];
  const booleans = ['quick', 'skip-places', 'skip-subscriptions'];
  // readFlags knows string flags only: booleans are taken out first.
  const rest = argv.filter((a) => !booleans.includes(a.replace(/^--/, '')));
  const has = (name: string) => argv.includes(`--${name}`);
  const { strings, keep } = readFlags(rest, { strings: flags }, USAGE);
  const quick = has('quick');
  const int = (name: string, fallback: number, min: number, max: number) =>
    strings[name] === undefined ? fallback : integerFlag(fail, name, strings[name]!, min, max);
  return {
    quick,
    offers: int('offers', quick ? 20_000 : 100_000, 0, 2_000_000),
    cases: int('cases', quick ? 5_000 : 20_000, 0, 1_000_000),
    duration: int('duration', quick ? 3 : 10, 1, 600),
    rounds: int('rounds', quick ? 1 : 3, 1, 20),
    connections: int('connections', 10, 1, 1_000),
    requests: int('requests', quick ? 30 : 200, 1, 100_000),
    skipPlaces: has('skip-places'),
    skipSubscriptions: has('skip-subscriptions'),
    keep,
    serverUrl: benchServerUrl(process.env, 'bench', fail),
  };
}

const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(0) : '–');
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

interface Row {
  section: string;
  figure: string;
  value: string;
  n: string;
  target?: string;
  met?: boolean;
}

async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const child = new Child(
    'load generator',
    [path.join(HERE, 'lib/load-generator.js'), JSON.stringify(options)],
    {
      ...process.env,
    },
  );
  return JSON.parse((await child.output()).trim()) as LoadResult;
}

/** Sequential requests per page size: SQL statements counted by the in-process hub. */
async function statementsPerPage(client: OffersClient): Promise<{ size: number; statements: number[] }[]> {
  const out: { size: number; statements: number[] }[] = [];
  for (const size of [10, 50, 100]) {
    const statements: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await client.run({ n: size, f: null, o: TITLE });
      if (r.page.nodes.length !== size) throw new Error(`page of ${size}: ${r.page.nodes.length} rows`);
      if (i >= 3) statements.push(r.statements);
    }
    out.push({ size, statements });
  }
  return out;
}

async function childJson<T>(
  name: string,
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<T> {
  const file = path.join(os.tmpdir(), `hub-bench-${process.pid}-${name}.json`);
  const child = new Child(
    name,
    [...nodeArgs, path.join(HERE, script), ...args, '--json', file],
    process.env,
    {
      stdout: 'stderr',
    },
  );
  try {
    await child.done();
  } catch (error) {
    // A failed consistency check exits 1 but still writes its figures.
    progress(`${name}: ${String(error).slice(0, 300)}`);
  }
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } finally {
    await rm(file, { force: true });
  }
}

interface PlacesJson {
  scenarios: {
    key: string;
    scenario: string;
    concurrency: number;
    requests: number;
    ok: number;
    seconds: number;
    reservationsPerSecond: number;
    p50: number;
    p95: number;
  }[];
  checksPassed: boolean;
}

interface SubscriptionsJson {
  layouts: {
    connections: number;
    perConnection: number;
    subscriptions: number;
    rounds: number;
    lastFromResponse: { p50: number; p99: number; max: number };
    lastFromOccurredAt: { p50: number; p99: number };
    lastFromCommit: { p50: number; p99: number; max: number };
    hubCpuMs: number;
    floor: { p50: number; p99: number; cpuMs: number };
    perDelivery: { n: number; p50: number; p99: number };
    misses: number;
    duplicates: number;
  }[];
  checksPassed: boolean;
}

async function main(): Promise<void> {
  const options = parse();
  const startedAll = performance.now();
  const session = new BenchSession(options.keep);
  let hub: RunningHub | undefined;
  const children: Child[] = [];
  session.onCleanup(async () => {
    for (const child of children) await child.stop();
    await hub?.stop();
  });
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const cores = os.cpus().length;

  try {
    const database = await session.createDatabase(options.serverUrl);

    // 1. An in-process hub (migrations, demo data, SQL statement counter), then the scale data.
    const config = benchHubConfig(database.url, { SEED_DEMO: 'true' });
    const sql = { count: 0 };
    let t = performance.now();
    hub = await startHub(config, createLogger(config.logLevel), {
      onQuery: (message) => {
        if (message.includes('[query]')) sql.count++;
      },
    });
    const origin = new URL(hub.url).origin.replace('localhost', '127.0.0.1');
    progress(`in-process hub on ${origin} (migrated, demo data seeded in ${seconds(t)})`);
    const account = await findAccountWithRoles(hub.database.orm.em.fork(), [Role.PARTNER_STAFF]);
    if (!account) throw new Error('the demo data has no active PARTNER_STAFF account');
    const claims = {
      accountId: account.id,
      organisationId: account.organisation.id,
      roles: [Role.PARTNER_STAFF],
    };

    t = performance.now();
    progress(`adding scale data: ${options.offers} offers, ${options.cases} cases …`);
    const orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: database.url, poolMax: 2 }));
    let counts: Record<string, number>;
    try {
      counts = await seedScale(orm, { offers: options.offers, cases: options.cases });
      await orm.em.fork().execute('analyze');
    } finally {
      await orm.close(true);
    }
    progress(`scale data and ANALYZE in ${seconds(t)}`);
    const [server] = await hub.database.orm.em
      .fork()
      .getConnection()
      .execute<{ server_version: string; offers: string; cases: string }[]>(
        `select current_setting('server_version') as server_version,
                (select count(*) from offer) as offers, (select count(*) from case_record) as cases`,
      );
    const offersTotal = Number(server?.offers);
    const casesTotal = Number(server?.cases);
    raw.data = { seeded: counts, offers: offersTotal, cases: casesTotal };

    const { token } = await new TokenService(config.auth).sign(claims, 86_400);
    const client = new OffersClient(`${origin}/graphql`, token, sql);

    // 2. SQL statements per request by page size.
    progress('SQL statements per page size …');
    const perSize = await statementsPerPage(client);
    raw.statementsPerPageSize = perSize;
    for (const { size, statements } of perSize)
      rows.push({
        section: 'SQL statements / request',
        figure: `offers page of ${size} (dashboard query, partner)`,
        value: range(statements),
        n: String(statements.length),
        target: 'constant in page size',
        met: new Set(perSize.map((p) => Math.max(...p.statements))).size === 1,
      });

    // 3. Filtered pages on the scale data, sequential.
    const sequential: Result[] = [];
    for (const variant of [FTS, ELIGIBILITY]) {
      sequential.push(
        await measure(client, 'scale', variant, {
          warmup: options.quick ? 5 : 20,
          requests: options.requests,
          budgetSeconds: options.quick ? 10 : 45,
        }),
      );
    }
    raw.filteredPages = sequential;
    for (const r of sequential) {
      rows.push({
        section: `Filtered page on ${offersTotal} offers`,
        figure: `${r.variant}: p50 / p95 ms (${r.rows} rows of ${r.totalCount})`,
        value: `${ms(r.p50)} / ${ms(r.p95)}`,
        n: String(r.n),
        target: 'p95 ≤ 20 ms',
        met: r.p95 <= 20,
      });
      rows.push({
        section: `Filtered page on ${offersTotal} offers`,
        figure: `${r.variant}: SQL statements`,
        value: range(r.statements),
        n: String(r.n),
      });
    }

    // 4. Statistics tables over the cases.
    progress('statistics tables …');
    // The scale cases came in bulk after the start: releases are cut from them and protected ahead,
    // as a hub does once per release period; requests then wait only for their own table.
    await hub.database.orm.em.fork().getConnection().execute('delete from statistics_release');
    hub.statistics.refresh();
    const warmStarted = performance.now();
    await hub.statistics.warm(hub.database.orm.em.fork() as never, 2026);
    await hub.statistics.warm(hub.database.orm.em.fork() as never, 2025);
    rows.push({
      section: `Statistics, 2-dimension CASES table over ${casesTotal} cases`,
      figure: 'releases of 2026 and 2025 cut and protected ahead (every population, both tiers): s',
      value: ((performance.now() - warmStarted) / 1000).toFixed(1),
      n: '1',
    });
    const stats = await statisticsTimings(origin, token, options.quick ? 1 : 5);
    raw.statistics = Object.fromEntries(
      Object.entries(stats).map(([k, v]) => [
        k,
        { n: v.length, p50: percentile(v, 50), p95: percentile(v, 95) },
      ]),
    );
    for (const [label, values] of Object.entries(stats)) {
      const p95 = percentile(values, 95);
      rows.push({
        section: `Statistics, 2-dimension CASES table over ${casesTotal} cases`,
        figure: `${label}: p50 / p95 ms`,
        value: `${ms(percentile(values, 50))} / ${ms(p95)}`,
        n: String(values.length),
        target: 'p95 ≤ 50 ms',
        met: p95 <= 50,
      });
    }
    await hub.stop();
    hub = undefined;

    // 5. Floor vs hub: both as child processes, the load generator a third.
    const [hubPort, floorPort] = [await freePort(), await freePort()];
    const hubEnv = benchHubEnv(database.url, {
      PORT: String(hubPort),
      DB_POOL_MAX: String(config.dbPoolMax),
    });
    const hubConfig = loadConfig(hubEnv);
    const childToken = (await new TokenService(hubConfig.auth).sign(claims, 86_400)).token;
    t = performance.now();
    const hubChild = new Child('hub', [path.join(ROOT, 'dist/src/main.js')], { ...process.env, ...hubEnv });
    children.push(hubChild);
    await waitReady(hubChild, `http://127.0.0.1:${hubPort}/readyz`, {});
    progress(`hub child (pid ${hubChild.pid}) ready on port ${hubPort} in ${seconds(t)}`);
    const floorChild = new Child('floor server', [path.join(HERE, 'lib/floor-server.js')], {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(floorPort),
      DB_POOL_MAX: String(config.dbPoolMax),
    });
    children.push(floorChild);
    const pageBody = JSON.stringify({ query: PAGE_QUERY, variables: { n: 50 } });
    const floorUrl = `http://127.0.0.1:${floorPort}/`;
    await waitReady(floorChild, floorUrl, { method: 'POST', body: pageBody });
    await sleep(2_000);
    const rssStarted = await rssBytes(hubChild.pid);
    // What the hub does right after start (statistics protected ahead) is not the page's cost: wait for quiet.
    for (let quiet = 0, waited = 0; quiet < 2 && waited < 180; waited++) {
      const before = await cpuMillis(hubChild.pid);
      await sleep(1_000);
      quiet = (await cpuMillis(hubChild.pid)) - before < 50 ? quiet + 1 : 0;
    }

    // The same page from both: same offers in the same order.
    const hubUrl = `http://127.0.0.1:${hubPort}/graphql`;
    const hubHeaders = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${childToken}`,
    };
    type Page = {
      data?: { offers?: { nodes: { id: string; currentCapacityPeriod: unknown }[] } };
      errors?: unknown;
    };
    const hubPage = (await (
      await fetch(hubUrl, { method: 'POST', headers: hubHeaders, body: pageBody })
    ).json()) as Page;
    const floorPage = (await (await fetch(floorUrl, { method: 'POST', body: pageBody })).json()) as Page;
    if (hubPage.errors || !hubPage.data?.offers)
      throw new Error(`hub page: ${JSON.stringify(hubPage).slice(0, 500)}`);
    const hubIds = hubPage.data.offers.nodes.map((n) => fromGlobalId(n.id).id);
    const floorIds = floorPage.data!.offers!.nodes.map((n) => n.id);
    const samePage =
      hubIds.length === 50 &&
      floorIds.length === 50 &&
      floorIds.every((id, i) => hubIds[i] === id) &&
      JSON.stringify(hubPage.data.offers.nodes.map((n) => n.currentCapacityPeriod)) ===
        JSON.stringify(floorPage.data!.offers!.nodes.map((n) => n.currentCapacityPeriod));
    if (!samePage)
      progress('warning: the hub and the floor returned different pages (ids or periods differ)');

    const allBody = JSON.stringify({ query: ALL_PERIODS_QUERY, variables: { n: 50 } });
    const nestedBody = JSON.stringify({ query: NESTED_QUERY });
    const publicHeaders = { 'content-type': 'application/json', accept: hubHeaders.accept };
    const floorHeaders = { 'content-type': 'application/json' };
    const targets: RoundTarget[] = [
      { key: 'floor-current', url: floorUrl, headers: floorHeaders, body: pageBody, pid: floorChild.pid },
      { key: 'hub-current', url: hubUrl, headers: hubHeaders, body: pageBody, pid: hubChild.pid },
      { key: 'floor-all', url: `${floorUrl}all`, headers: floorHeaders, body: allBody, pid: floorChild.pid },
      { key: 'hub-all', url: hubUrl, headers: hubHeaders, body: allBody, pid: hubChild.pid },
      { key: 'hub-all-public', url: hubUrl, headers: publicHeaders, body: allBody, pid: hubChild.pid },
      {
        key: 'floor-nested',
        url: `${floorUrl}nested`,
        headers: floorHeaders,
        body: allBody,
        pid: floorChild.pid,
      },
      { key: 'hub-nested', url: hubUrl, headers: hubHeaders, body: nestedBody, pid: hubChild.pid },
    ];
    const measureOnce = async (target: RoundTarget, seconds: number): Promise<RoundResult> => {
      const before = await cpuMillis(target.pid);
      const result = await runLoad({
        url: target.url,
        body: target.body,
        headers: target.headers,
        connections: options.connections,
        durationSeconds: seconds,
      });
      const cpu = (await cpuMillis(target.pid)) - before;
      return { ...result, cpuPerRequest: cpu / Math.max(1, result.requests) };
    };
    progress('warm-up: 3 s of load on each target …');
    for (const target of targets) await measureOnce(target, 3);
    await sleep(3_000);
    const rssIdle = await rssBytes(hubChild.pid);
    // Interleaved rounds (floor, hub, floor, hub, …): machine noise falls on every target alike.
    const rounds: Record<string, RoundResult>[] = [];
    let rssLoad: number[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const results: Record<string, RoundResult> = {};
      for (const target of targets) {
        progress(`round ${round}/${options.rounds}: ${target.key}, ${options.duration} s …`);
        const sampler = round === 1 && target.key === 'hub-current' ? sampleRss(hubChild.pid) : undefined;
        results[target.key] = await measureOnce(target, options.duration);
        if (sampler) rssLoad = await sampler.stop();
      }
      rounds.push(results);
    }
    const floor = rounds.at(-1)!['floor-current']!;
    const hubLoad = rounds.at(-1)!['hub-current']!;
    const floorCpu = floor.cpuPerRequest * floor.requests;
    const hubCpu = hubLoad.cpuPerRequest * hubLoad.requests;
    await sleep(2_000);
    const rssAfter = await rssBytes(hubChild.pid);
    raw.rounds = rounds;
    for (const [hubKey, floorKey, label] of [
      ['hub-all', 'floor-all', 'all periods, PARTNER_STAFF'],
      ['hub-all-public', 'floor-all', 'all periods, public'],
      ['hub-current', 'floor-current', 'current period, PARTNER_STAFF'],
      ['hub-nested', 'floor-nested', '20 organisations × their first 10 offers, all periods, PARTNER_STAFF'],
    ] as const) {
      const median = (f: (hub: RoundResult, fl: RoundResult) => number) =>
        percentile(
          rounds.map((r) => f(r[hubKey]!, r[floorKey]!)),
          50,
        );
      const section = `${hubKey === 'hub-nested' ? 'Nested page' : 'Offers page of 50'} (${label}) against the floor, ${options.rounds} interleaved rounds × ${options.connections} connections × ${options.duration} s`;
      const cpu = median((h, f) => h.cpuPerRequest / f.cpuPerRequest);
      const throughput = median((h, f) => h.requestsPerSecond / f.requestsPerSecond);
      const p99 = median((h, f) => h.p99 / f.p99);
      const errors = rounds.reduce(
        (n, r) => n + r[hubKey]!.errors + r[hubKey]!.timeouts + r[hubKey]!.non2xx,
        0,
      );
      rows.push(
        {
          section,
          figure: `CPU per request of the server process (/proc), floor / hub: ms (median)${errors ? ` (${errors} errors!)` : ''}`,
          value: `${fixed(
            percentile(
              rounds.map((r) => r[floorKey]!.cpuPerRequest),
              50,
            ),
            2,
          )} / ${fixed(
            percentile(
              rounds.map((r) => r[hubKey]!.cpuPerRequest),
              50,
            ),
            2,
          )}`,
          n: `${options.rounds} rounds`,
        },
        {
          section,
          figure: 'hub / floor: CPU per request',
          value: `${fixed(cpu, 2)}×`,
          n: `${options.rounds} rounds`,
          target: '≤ 4×',
          met: cpu <= 4,
        },
        {
          section,
          figure: 'hub / floor: throughput',
          value: `${fixed(throughput, 2)}×`,
          n: `${options.rounds} rounds`,
          target: '≥ 0.65×',
          met: throughput >= 0.65,
        },
        {
          section,
          figure: 'hub / floor: p50 latency',
          value: `${fixed(
            median((h, f) => h.p50 / f.p50),
            2,
          )}×`,
          n: `${options.rounds} rounds`,
        },
        {
          section,
          figure: 'hub / floor: p99 latency',
          value: `${fixed(p99, 2)}×`,
          n: `${options.rounds} rounds`,
          target: '≤ 3×',
          met: p99 <= 3,
        },
      );
    }
    const cpuPerRequest = { floor: floorCpu / floor.requests, hub: hubCpu / hubLoad.requests };
    raw.floorVsHub = { floor, hub: hubLoad, samePage, connections: options.connections, cpuPerRequest };
    raw.memory = { rssStarted, rssIdle, rssLoad, rssAfter };
    for (const child of children.splice(0)) await child.stop();

    rows.push(
      {
        section: 'Memory of the hub process (VmRSS)',
        figure: 'started, before any request: MB',
        value: mib(rssStarted),
        n: '1',
        target: '≤ 150 MB',
        met: rssStarted <= 150 * 1024 * 1024,
      },
      {
        section: 'Memory of the hub process (VmRSS)',
        figure: 'idle after warm-up: MB',
        value: mib(rssIdle),
        n: '1',
        target: '≤ 150 MB',
        met: rssIdle <= 150 * 1024 * 1024,
      },
      {
        section: 'Memory of the hub process (VmRSS)',
        figure: 'under load: median / max MB',
        value: `${mib(percentile(rssLoad, 50))} / ${mib(Math.max(...rssLoad))}`,
        n: String(rssLoad.length),
      },
      {
        section: 'Memory of the hub process (VmRSS)',
        figure: 'idle 2 s after the load: MB',
        value: mib(rssAfter),
        n: '1',
      },
    );

    // 6. Reservations and subscription fan-out: their own benchmarks as child processes.
    if (!options.skipPlaces) {
      progress('bench:places (child process) …');
      const places = await childJson<PlacesJson>('places', 'places.js', [
        '--scale',
        options.quick ? '0.25' : '1',
      ]);
      raw.places = places;
      for (const s of places.scenarios.filter((x) => x.key !== 'c'))
        rows.push({
          section: 'Reservations (reservePlace over HTTP, hub in-process with the client)',
          figure: `${s.scenario}, ${s.concurrency} in flight: reservations/s (p50 / p95 ms)`,
          value: `${fixed(s.reservationsPerSecond, 0)} (${ms(s.p50)} / ${ms(s.p95)})`,
          n: String(s.ok),
        });
      rows.push({
        section: 'Reservations (reservePlace over HTTP, hub in-process with the client)',
        figure: 'consistency checks (counters, no overbooking, events, audit)',
        value: places.checksPassed ? 'passed' : 'FAILED',
        n: '1',
      });
    }
    if (!options.skipSubscriptions) {
      progress('bench:subscriptions (child process) …');
      const subs = await childJson<SubscriptionsJson>(
        'subscriptions',
        'subscriptions.js',
        [
          '--subscribers',
          '1000',
          '--rounds',
          options.quick ? '5' : '20',
          '--layouts',
          options.quick ? '10' : '1,10',
        ],
        ['--expose-gc'],
      );
      raw.subscriptions = subs;
      for (const l of subs.layouts) {
        const section = `Subscription fan-out, ${l.subscriptions} subscribers (${l.connections} connections × ${l.perConnection})`;
        rows.push(
          {
            section,
            // The commit as a LISTEN connection outside the hub's thread saw it (bench:subscriptions).
            figure: 'commit → last delivery (commit seen by an independent LISTEN): p50 / p99 ms',
            value: `${ms(l.lastFromCommit.p50)} / ${ms(l.lastFromCommit.p99)}`,
            n: `${l.rounds} rounds`,
            target: 'p99 ≤ 100 ms',
            met: l.lastFromCommit.p99 <= 100,
          },
          {
            section,
            figure: 'floor (plain ws sends of the same messages, interleaved): last delivery p50 / p99 ms',
            value: `${ms(l.floor.p50)} / ${ms(l.floor.p99)}`,
            n: `${l.rounds} rounds`,
          },
          {
            section,
            figure: 'CPU time of the hub’s thread per round (release + fan-out) / of the floor, median ms',
            value: `${ms(l.hubCpuMs)} / ${ms(l.floor.cpuMs)}`,
            n: `${l.rounds} rounds`,
          },
          {
            section,
            figure:
              'release response → last delivery (read late while the hub is busy: flatters): p50 / p99 ms',
            value: `${ms(l.lastFromResponse.p50)} / ${ms(l.lastFromResponse.p99)}`,
            n: `${l.rounds} rounds`,
          },
          {
            section,
            figure: 'occurred_at → last delivery (set before the commit: upper bound): p50 / p99 ms',
            value: `${ms(l.lastFromOccurredAt.p50)} / ${ms(l.lastFromOccurredAt.p99)}`,
            n: `${l.rounds} rounds`,
          },
          {
            section,
            figure: 'missed / duplicate deliveries',
            value: `${l.misses} / ${l.duplicates}`,
            n: String(l.perDelivery.n),
          },
        );
      }
    }

    // 7. Report.
    const context = [
      `npm run bench${options.quick ? ' -- --quick' : ''} — ${new Date().toISOString()}`,
      `${cores} CPU core(s) (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, PostgreSQL ${server?.server_version}, ` +
        `hub DB pool ${config.dbPoolMax}; ${offersTotal} offers, ${casesTotal} cases; total ${seconds(startedAll)}`,
      `load average (1/5 min) at the end: ${os.loadavg()[0]!.toFixed(2)} / ${os.loadavg()[1]!.toFixed(2)} ` +
        '(a shared machine: compare ratios within one run, not figures across runs)',
    ];
    const header = ['section', 'figure', 'value', 'n', 'target', 'met'];
    const body = rows.map((r) => [
      r.section,
      r.figure,
      r.value,
      r.n,
      r.target ?? '',
      r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    ]);
    const text = table(header, body, [false, false, true, true, false, false]);
    process.stdout.write(`\n${context.join('\n')}\n\n${text}\n`);

    const dir = path.join(ROOT, 'bench/results');
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(dir, `${stamp}.json`);
    await writeFile(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          quick: options.quick,
          machine: {
            cores,
            cpu: os.cpus()[0]?.model,
            node: process.version,
            postgres: server?.server_version,
          },
          options: { ...options, serverUrl: undefined },
          rows,
          raw,
        },
        null,
        2,
      )}\n`,
    );
    await writeFile(
      path.join(dir, 'latest.md'),
      `# Benchmark results\n\n${context.map((l) => `${l}  `).join('\n')}\n\nRaw figures: \`${path.basename(file)}\`.\n\n${text}\n`,
    );
    progress(`written: ${path.relative(ROOT, file)}, bench/results/latest.md`);
  } finally {
    await session.cleanup();
  }
}

runBench('bench', main);
