import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { type WebSocket, WebSocketServer } from 'ws';
import { type RunningHub, startHub } from '../src/app.js';
import { TokenService } from '../src/auth/tokens.js';
import { Role } from '../src/domain/enums.js';
import { HUB_EVENTS_CHANNEL } from '../src/events/event-bus.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { ms, percentile, table } from './lib/figures.js';
import {
  appendLoggedErrors,
  BenchSession,
  benchHubConfig,
  capturingLogger,
  progress,
  runBench,
} from './lib/session.js';
import type {
  ClientCommand,
  ClientReply,
  CollectResult,
  ConnectionPlan,
  FloorResult,
  MemorySample,
} from './lib/subscription-clients.js';
import { threadCpuMs } from './lib/subscription-clients.js';
import {
  parseSubscriptionsBenchArgs,
  type SubscriptionsBenchOptions,
  type ViewerMix,
} from './lib/subscriptions-args.js';

/**
 * `npm run -s bench:subscriptions -- [--subscribers N] [--rounds R] [--layouts 1,10] [--viewers mixed]`:
 * N open `placesAvailable` subscriptions (graphql-ws over WebSocket to 127.0.0.1) on a real hub started in
 * this process on a scratch database of the DATABASE_URL server; the clients run in a worker thread of
 * the same process (own heap, own event loop). Per layout (subscriptions per connection): memory per open
 * connection and per idle subscription, then R rounds of "reserve the period's one place, release it":
 * time from the release's commit to each delivery and to the last one, with exactly-once checks.
 * Progress goes to stderr, the result tables to stdout; exit code 1 when a check fails.
 */

const SUBSCRIPTION = `subscription($f: OfferFilter) { placesAvailable(filter: $f) {
  offer { id } capacityPeriod { id available availability } } }`;
const FILTER = { f: { kinds: ['JOB_LANGUAGE_COURSE'] } };
const RESERVE = `mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id status } }`;
const RELEASE = `mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }`;
/** Connections being opened at once (the listen backlog is 511). */
const OPEN_CONCURRENCY = 50;
/** A small unreported run first (JIT, pools), so the first layout measures no one-time costs. */
const PREWARM = { connections: 10, rounds: 2 };
/** How long a round waits for every subscriber, and then for duplicates. */
const DEADLINE_MS = 10_000;
const WARMUP_DEADLINE_MS = 20_000;
const QUIET_MS = 300;
/** Pause after the reservation: its event (no rise, so no delivery) is filtered before the release. */
const AFTER_RESERVE_MS = 150;
/** Hub heap per subscription still held after all closed that counts as a leak. */
const LEAK_KIB = 10;

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const hrMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));
const kib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)}` : '–');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)}`;

// ---------------------------------------------------------------------------------------------------
// SQL statements of the hub: every pg client in this thread (the hub's pool and its LISTEN connection)

interface SqlCounter {
  on: boolean;
  total: number;
  shapes: Map<string, number>;
}

const sql: SqlCounter = { on: false, total: 0, shapes: new Map() };

const shapes = new Map<string, string>();

/** A statement's shape: whitespace collapsed, parameter lists and literals folded (memoised). */
function shape(text: string): string {
  let known = shapes.get(text);
  if (known === undefined) {
    known = fold(text);
    if (shapes.size > 10_000) shapes.clear();
    shapes.set(text, known);
  }
  return known;
}

function fold(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\$\d+(\s*,\s*\$\d+)*/g, '$…')
    .replace(/'[^']*'/g, "'…'")
    .trim()
    .slice(0, 140);
}

function countStatements(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (sql.on) {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
      if (text) {
        sql.total++;
        const key = shape(text);
        sql.shapes.set(key, (sql.shapes.get(key) ?? 0) + 1);
      }
    }
    return original.apply(this, args);
  };
}

// ---------------------------------------------------------------------------------------------------
// The client worker

class Clients {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failed?: Error;

  constructor() {
    this.worker = new Worker(new URL('./lib/subscription-clients.js', import.meta.url));
    this.worker.on('message', (reply: ClientReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`client worker: ${reply.error}`));
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const w of this.pending.values()) w.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`client worker exited (${code})`)));
  }

  request<T>(request: ClientCommand): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Busy time of the worker's event loop so far (ms). */
  activeMs(): number {
    return this.worker.performance.eventLoopUtilization().active;
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------------
// Data

interface Data {
  org: string;
  offerGid: string;
  periodGid: string;
  caseGids: string[];
  caseManager: string;
  partnerStaff: string;
  partnerOrg: string;
}

/**
 * A provider with one JOB_LANGUAGE_COURSE offer and its one period of total 1 (running today), a case
 * manager and `cases` open cases; another organisation with a PARTNER_STAFF account (the subscribing
 * partner: sees `available`, the public only `availability`).
 */
async function createData(db: pg.Client, cases: number): Promise<Data> {
  const org = randomUUID();
  const partnerOrg = randomUUID();
  const location = randomUUID();
  const offer = randomUUID();
  const period = randomUUID();
  const caseManager = randomUUID();
  const partnerStaff = randomUUID();
  const caseIds = Array.from({ length: cases }, () => randomUUID());
  await db.query('begin');
  await db.query(
    `insert into organisation (id, name, kind, description)
     values ($1, 'Bench-Träger', 'EDUCATION_PROVIDER', 'bench:subscriptions'),
            ($2, 'Bench-Partner', 'EDUCATION_PROVIDER', 'bench:subscriptions')`,
    [org, partnerOrg],
  );
  await db.query(
    `insert into account (id, organisation_id, email, display_name, roles)
     values ($1, $2, 'case-manager@bench.example', 'Bench Fallmanagement', '{CASE_MANAGER}'),
            ($3, $4, 'staff@partner.bench.example', 'Bench Partner', '{PARTNER_STAFF}')`,
    [caseManager, org, partnerStaff, partnerOrg],
  );
  await db.query(
    `insert into location (id, organisation_id, name, street, postal_code, city, district)
     values ($1, $2, 'Haus', 'Weg 1', '51373', 'Leverkusen', 'Wiesdorf')`,
    [location, org],
  );
  await db.query(
    `insert into offer (id, organisation_id, location_id, kind, title, description)
     values ($1, $2, $3, 'JOB_LANGUAGE_COURSE', 'Berufssprachkurs B2 (bench)', 'Kurs')`,
    [offer, org, location],
  );
  await db.query(
    `insert into capacity_period (id, offer_id, label, starts_on, ends_on, total)
     values ($1, $2, 'bench', current_date - 1, current_date + 365, 1)`,
    [period, offer],
  );
  await db.query(
    `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
     select id, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE'
       from unnest($1::uuid[]) as id`,
    [caseIds, org],
  );
  await db.query('commit');
  return {
    org,
    offerGid: toGlobalId('Offer', offer),
    periodGid: toGlobalId('CapacityPeriod', period),
    caseGids: caseIds.map((id) => toGlobalId('Case', id)),
    caseManager,
    partnerStaff,
    partnerOrg,
  };
}

// ---------------------------------------------------------------------------------------------------
// Rounds

interface GraphQLBody {
  data?: Record<string, { id?: string; status?: string } | null> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function mutate(url: string, token: string, query: string, variables: object): Promise<GraphQLBody> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLBody;
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
}

interface RoundResult {
  /** releasePlace: request sent → response read (ms). */
  mutationMs: number;
  /** Per subscription with an event: its first arrival − the release's response (ms). */
  latencies: number[];
  /** Per subscription with an event, by viewer: its first arrival − the commit (ms). */
  byViewer: { public: number[]; partner: number[] };
  /** Latest first-arrival − response; NaN when nobody got it. */
  lastMs: number;
  firstMs: number;
  /** Latest arrival − the event's occurred_at (set in the hub inside the transaction, before commit). */
  lastFromOccurredMs: number;
  /** Latest arrival − the commit, as an independent LISTEN connection in the clients' thread saw it. */
  lastFromCommitMs: number;
  /** Per subscription with an event: its first arrival − the commit seen by that listener (ms). */
  fromCommit: number[];
  /** The hub's event bus handed the event to its subscribers − the commit (ms): NOTIFY + the bus's read. */
  dispatchFromCommitMs: number;
  misses: number;
  duplicates: number;
  badPayloads: number;
  badExamples: string[];
  errors: string[];
  completed: number;
  statements: number;
  shapes: Map<string, number>;
  hubActiveMs: number;
  clientActiveMs: number;
  /** CPU time of the hub's thread (main) and of the clients' thread over the round (ms). */
  hubCpuMs: number;
  clientCpuMs: number;
  /** One delivered message (the first subscription's), for the floor's message size. */
  sample?: unknown;
}

interface RoundContext {
  url: string;
  /** When the hub's bus dispatched each event (id → ms, process.hrtime), seen by its first listener. */
  dispatched: Map<string, number>;
  token: string;
  data: Data;
  clients: Clients;
  db: pg.Client;
  viewers: ('public' | 'partner')[];
  /** Date.now() − hrMs(), to place the hub's occurred_at on the monotonic clock. */
  wallOffset: number;
}

let nextCase = 0;

async function round(ctx: RoundContext, deadlineMs: number): Promise<RoundResult> {
  const { data } = ctx;
  const caseGid = data.caseGids[nextCase++ % data.caseGids.length]!;
  const reserved = await mutate(ctx.url, ctx.token, RESERVE, {
    i: { capacityPeriodId: data.periodGid, caseId: caseGid },
  });
  const reservation = reserved.data?.reservePlace;
  if (!reservation?.id || reservation.status !== 'HELD') {
    throw new Error(`reservePlace failed: ${JSON.stringify(reserved.errors ?? reserved).slice(0, 400)}`);
  }
  await sleep(AFTER_RESERVE_MS);
  await ctx.clients.request({ type: 'arm' });

  sql.total = 0;
  sql.shapes = new Map();
  const hubBefore = performance.eventLoopUtilization().active;
  const hubCpuBefore = threadCpuMs();
  const clientBefore = ctx.clients.activeMs();
  sql.on = true;
  const sent = hrMs();
  const released = await mutate(ctx.url, ctx.token, RELEASE, { id: reservation.id });
  const answered = hrMs();
  if (released.data?.releasePlace?.status !== 'RELEASED') {
    sql.on = false;
    throw new Error(`releasePlace failed: ${JSON.stringify(released.errors ?? released).slice(0, 400)}`);
  }
  const collected = await ctx.clients.request<CollectResult>({
    type: 'collect',
    deadlineMs,
    quietMs: QUIET_MS,
  });
  sql.on = false;
  const hubActiveMs = performance.eventLoopUtilization().active - hubBefore;
  const hubCpuMs = threadCpuMs() - hubCpuBefore;
  const clientActiveMs = ctx.clients.activeMs() - clientBefore;

  const [event] = (
    await ctx.db.query<{ id: string; occurred_at: Date }>(
      `select id, occurred_at from domain_event
        where type = 'places.changed' and payload->>'reason' = 'released' order by id desc limit 1`,
    )
  ).rows;
  const occurred = event ? event.occurred_at.getTime() - ctx.wallOffset : Number.NaN;
  const dispatched = (event && ctx.dispatched.get(event.id)) ?? Number.NaN;
  // The commit came before the NOTIFY reached either thread: the earlier of the two (the clients' thread
  // may itself be waiting for a core when it arrives; the hub's bus dispatches only after a read).
  const committed = Math.min((event && collected.notified[event.id]) ?? Number.NaN, dispatched);
  ctx.dispatched.clear();

  const result: RoundResult = {
    mutationMs: answered - sent,
    latencies: [],
    byViewer: { public: [], partner: [] },
    lastMs: Number.NaN,
    firstMs: Number.NaN,
    lastFromOccurredMs: Number.NaN,
    lastFromCommitMs: Number.NaN,
    fromCommit: [],
    dispatchFromCommitMs: dispatched - committed,
    misses: 0,
    duplicates: 0,
    badPayloads: 0,
    badExamples: [],
    errors: collected.errors,
    completed: collected.completed,
    statements: sql.total,
    shapes: sql.shapes,
    hubActiveMs,
    clientActiveMs,
    hubCpuMs,
    clientCpuMs: collected.cpuMs,
    sample: collected.deliveries[0]?.first,
  };
  let last = Number.NEGATIVE_INFINITY;
  let first = Number.POSITIVE_INFINITY;
  for (const [i, delivery] of collected.deliveries.entries()) {
    const viewer = ctx.viewers[i]!;
    if (delivery.arrivals.length === 0) {
      result.misses++;
      continue;
    }
    if (delivery.arrivals.length > 1) result.duplicates += delivery.arrivals.length - 1;
    const arrival = delivery.arrivals[0]!;
    const latency = arrival - answered;
    result.latencies.push(latency);
    result.fromCommit.push(arrival - committed);
    result.byViewer[viewer].push(arrival - committed);
    last = Math.max(last, arrival);
    first = Math.min(first, arrival);
    const problem = checkPayload(delivery.first, viewer, data);
    if (problem) {
      result.badPayloads++;
      if (result.badExamples.length < 3) result.badExamples.push(problem);
    }
  }
  if (result.latencies.length > 0) {
    result.lastMs = last - answered;
    result.firstMs = first - answered;
    result.lastFromOccurredMs = last - occurred;
    result.lastFromCommitMs = last - committed;
  }
  return result;
}

/** What is wrong with a delivered event (null: nothing). */
function checkPayload(value: unknown, viewer: 'public' | 'partner', data: Data): string | null {
  const body = value as {
    data?: {
      placesAvailable?: {
        offer?: { id?: string };
        capacityPeriod?: { id?: string; available?: number | null; availability?: string };
      };
    };
    errors?: unknown;
  };
  const event = body?.data?.placesAvailable;
  const period = event?.capacityPeriod;
  const expected = viewer === 'public' ? null : 1;
  if (
    body?.errors === undefined &&
    event?.offer?.id === data.offerGid &&
    period?.id === data.periodGid &&
    period.available === expected &&
    period.availability === 'FEW'
  ) {
    return null;
  }
  return `${viewer}: ${JSON.stringify(value).slice(0, 300)}`;
}

// ---------------------------------------------------------------------------------------------------
// Memory

interface Memory {
  /** This thread's heap: the hub (the clients live in the worker's heap). */
  hubHeap: number;
  hubExternal: number;
  clientHeap: number;
  clientExternal: number;
  /** The whole process. */
  rss: number;
  collected: boolean;
}

async function memory(clients: Clients): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Let closes and timers settle, then collect twice (weak references, finalisers).
  await sleep(200);
  if (gc) {
    gc();
    await sleep(50);
    gc();
  }
  const client = await clients.request<MemorySample>({ type: 'memory' });
  const m = process.memoryUsage();
  return {
    hubHeap: m.heapUsed,
    hubExternal: m.external,
    clientHeap: client.heapUsed,
    clientExternal: client.external,
    rss: m.rss,
    collected: !!gc && client.collected,
  };
}

interface MemoryDelta {
  hubHeap: number;
  hubExternal: number;
  clientHeap: number;
  clientExternal: number;
  rss: number;
}

/**
 * Waits (at most 10 s) until the hub's event loop is below 5 % busy in two 200 ms windows in a row: the
 * subscribe messages are all processed then (a public subscription needs no I/O, a partner's one query).
 */
async function hubQuiet(): Promise<boolean> {
  let quiet = 0;
  for (let i = 0; i < 50 && quiet < 2; i++) {
    const start = performance.eventLoopUtilization();
    await sleep(200);
    quiet = performance.eventLoopUtilization(start).utilization < 0.05 ? quiet + 1 : 0;
  }
  return quiet >= 2;
}

const per = (after: Memory, before: Memory, n: number): MemoryDelta => ({
  hubHeap: (after.hubHeap - before.hubHeap) / n,
  hubExternal: (after.hubExternal - before.hubExternal) / n,
  clientHeap: (after.clientHeap - before.clientHeap) / n,
  clientExternal: (after.clientExternal - before.clientExternal) / n,
  rss: (after.rss - before.rss) / n,
});

/**
 * A CPU profile of this thread (the hub's; the clients run in the worker) from now until `stop`: the
 * measured rounds only, without the minutes of connecting and subscribing that `node --cpu-prof` would
 * mix in.
 */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The floor

interface FloorRound {
  /** First send → last / first arrival (ms). */
  lastMs: number;
  firstMs: number;
  /** CPU time of this thread for the round (ms). */
  cpuMs: number;
  missing: number;
}

/**
 * What the fan-out cannot beat on this machine: a plain `ws` server in this (the hub's) thread sends a
 * ready-made message of a delivery's size to as many plain WebSocket connections of the clients' thread,
 * as many per connection as the layout has subscriptions — no database, no GraphQL, no protocol library.
 */
class Floor {
  private readonly sockets: WebSocket[] = [];

  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
  ) {
    server.on('connection', (socket) => this.sockets.push(socket));
  }

  static async start(): Promise<Floor> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    return new Floor(server, `ws://127.0.0.1:${port}`);
  }

  async open(clients: Clients, connections: number): Promise<void> {
    await clients.request({ type: 'floorOpen', url: this.url, connections, concurrency: OPEN_CONCURRENCY });
    while (this.sockets.length < connections) await sleep(10);
  }

  async round(clients: Clients, perConnection: number, message: string): Promise<FloorRound> {
    await clients.request({ type: 'floorArm' });
    const cpu = threadCpuMs();
    const start = hrMs();
    for (const socket of this.sockets) for (let k = 0; k < perConnection; k++) socket.send(message);
    const result = await clients.request<FloorResult>({
      type: 'floorCollect',
      perConnection,
      deadlineMs: DEADLINE_MS,
    });
    return {
      lastMs: result.last - start,
      firstMs: result.first - start,
      cpuMs: threadCpuMs() - cpu,
      missing: result.missing,
    };
  }

  async close(clients: Clients): Promise<void> {
    await clients.request({ type: 'floorClose' });
    this.sockets.length = 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------
// Layouts

interface LayoutResult {
  /** The floor round after each measured round (same connections count, same message size). */
  floor: FloorRound[];
  perConnection: number;
  connections: number;
  subscriptions: number;
  publicSubs: number;
  openMs: number;
  subscribeReadyMs: number;
  openFailures: string[];
  warmup: RoundResult;
  rounds: RoundResult[];
  memory: {
    before: Memory;
    connected: Memory;
    /** Subscribed, the hub idle again, no event yet. */
    fresh: Memory;
    /** Idle after the warm-up event (each subscription keeps the unit of work of its last event). */
    subscribed: Memory;
    closed: Memory;
  };
  /** Whether the hub's event loop went quiet after subscribing (else `fresh` was taken anyway). */
  quietAfterSubscribing: boolean;
}

function connectionPlans(
  subscribers: number,
  perConnection: number,
  viewers: ViewerMix,
  partnerToken: string,
): ConnectionPlan[] {
  const count = Math.ceil(subscribers / perConnection);
  return Array.from({ length: count }, (_, i) => {
    const partner = viewers === 'partner' || (viewers === 'mixed' && i % 2 === 1);
    return {
      ...(partner ? { token: partnerToken } : {}),
      subscriptions: i < count - 1 ? perConnection : subscribers - perConnection * (count - 1),
    };
  });
}

async function openAll(
  clients: Clients,
  url: string,
  plans: ConnectionPlan[],
): Promise<{ failures: string[]; ms: number }> {
  const t = hrMs();
  const opened = await clients.request<{ failures: string[]; failed: number }>({
    type: 'open',
    url,
    connections: plans,
    concurrency: OPEN_CONCURRENCY,
  });
  if (opened.failed > 0) {
    throw new Error(`${opened.failed} of ${plans.length} connections failed: ${opened.failures.join('; ')}`);
  }
  return { failures: opened.failures, ms: hrMs() - t };
}

async function subscribeAll(
  clients: Clients,
): Promise<{ subscriptions: number; viewers: ('public' | 'partner')[] }> {
  return clients.request({ type: 'subscribe', query: SUBSCRIPTION, variables: FILTER });
}

async function runLayout(
  options: SubscriptionsBenchOptions,
  perConnection: number,
  base: Omit<RoundContext, 'viewers'>,
  partnerToken: string,
  floor: Floor,
): Promise<LayoutResult> {
  const { clients } = base;
  const plans = connectionPlans(options.subscribers, perConnection, options.viewers, partnerToken);
  const label = `${plans.length} connections × ${perConnection}`;
  const before = await memory(clients);
  progress(`${label}: opening connections …`);
  const opened = await openAll(clients, base.url, plans);
  const connected = await memory(clients);
  progress(`  ${plans.length} connections acknowledged in ${(opened.ms / 1000).toFixed(1)} s; subscribing …`);
  const t = hrMs();
  const { subscriptions, viewers } = await subscribeAll(clients);
  const ctx: RoundContext = { ...base, viewers };
  const quietAfterSubscribing = await hubQuiet();
  const fresh = await memory(clients);
  // The first round doubles as the readiness check: every subscription is live once it has an event.
  const warmup = await round(ctx, WARMUP_DEADLINE_MS);
  const subscribeReadyMs = hrMs() - t;
  progress(
    `  ${subscriptions} subscriptions; warm-up round: ${subscriptions - warmup.misses} delivered, ` +
      `last after ${ms(warmup.lastMs)} ms`,
  );
  if (warmup.misses > 0) {
    progress(`  warning: ${warmup.misses} subscriptions had no event within ${WARMUP_DEADLINE_MS / 1000} s`);
  }
  const subscribed = await memory(clients);
  const rounds: RoundResult[] = [];
  const floorRounds: FloorRound[] = [];
  await floor.open(clients, plans.length);
  const message = JSON.stringify({ id: randomUUID(), type: 'next', payload: warmup.sample });
  const profiler = options.cpuProf ? await startProfile() : undefined;
  for (let r = 0; r < options.rounds; r++) {
    const result = await round(ctx, DEADLINE_MS);
    rounds.push(result);
    // Interleaved: each hub round is followed by a floor round, so both meet the same machine load.
    floorRounds.push(await floor.round(clients, perConnection, message));
    if ((r + 1) % 5 === 0 || r + 1 === options.rounds) {
      progress(
        `  round ${r + 1}/${options.rounds}: last delivery ${ms(result.lastFromCommitMs)} ms after the commit, ` +
          `${result.statements} SQL statements, ${result.misses} missed, ${result.duplicates} duplicates`,
      );
    }
  }
  if (profiler && options.cpuProf) {
    const file = options.cpuProf.replace(/(\.cpuprofile)?$/, `-${perConnection}.cpuprofile`);
    await profiler.stop(file);
    progress(`  CPU profile of the measured rounds: ${file}`);
  }
  await floor.close(clients);
  await clients.request({ type: 'close' });
  // The hub notices the closes asynchronously.
  await sleep(500);
  const closed = await memory(clients);
  return {
    floor: floorRounds,
    perConnection,
    connections: plans.length,
    subscriptions,
    publicSubs: viewers.filter((v) => v === 'public').length,
    openMs: opened.ms,
    subscribeReadyMs,
    openFailures: opened.failures,
    warmup,
    rounds,
    memory: { before, connected, fresh, subscribed, closed },
    quietAfterSubscribing,
  };
}

async function prewarm(base: Omit<RoundContext, 'viewers'>, partnerToken: string): Promise<void> {
  const plans = connectionPlans(PREWARM.connections, 1, 'mixed', partnerToken);
  await openAll(base.clients, base.url, plans);
  const { viewers } = await subscribeAll(base.clients);
  for (let r = 0; r < PREWARM.rounds; r++) await round({ ...base, viewers }, WARMUP_DEADLINE_MS);
  await base.clients.request({ type: 'close' });
}

// ---------------------------------------------------------------------------------------------------
// Report

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function report(
  options: SubscriptionsBenchOptions,
  results: LayoutResult[],
  context: string[],
  serverErrors: string[],
): boolean {
  const lines: string[] = ['', ...context, ''];
  const name = (r: LayoutResult) => `${r.connections} conn × ${r.perConnection}`;

  const pick = (r: LayoutResult, f: (x: RoundResult) => number) => r.rounds.map(f);
  lines.push(
    `Latency over ${options.rounds} measured rounds per layout (ms), from the commit: the moment a LISTEN`,
    'connection in the clients’ thread got the event’s NOTIFY (PostgreSQL sends it at commit; that thread is',
    'not the hub’s, so the fan-out cannot delay it), or the hub’s bus dispatch if that came earlier. Arrival:',
    'when the clients’ thread read the message (before graphql-ws parsed it). "bus dispatch": when the hub’s',
    'event bus handed the event to its subscribers (NOTIFY + one read of the outbox). Per delivery: all',
    'subscriptions × rounds.',
    '',
    table(
      [
        'layout',
        'subs',
        'last delivery p50',
        'p99',
        'max',
        'per delivery p50',
        'p99',
        'first delivery p50',
        'bus dispatch p50',
        'p99',
      ],
      results.map((r) => {
        const last = pick(r, (x) => x.lastFromCommitMs);
        const all = r.rounds.flatMap((x) => x.fromCommit);
        const dispatch = pick(r, (x) => x.dispatchFromCommitMs);
        return [
          name(r),
          String(r.subscriptions),
          ms(percentile(last, 50)),
          ms(percentile(last, 99)),
          ms(Math.max(...last)),
          ms(percentile(all, 50)),
          ms(percentile(all, 99)),
          ms(percentile(all.length ? r.rounds.map((x) => Math.min(...x.fromCommit)) : [], 50)),
          ms(percentile(dispatch, 50)),
          ms(percentile(dispatch, 99)),
        ];
      }),
      [false, true, true, true, true, true, true, true, true, true],
    ),
    '',
    'The floor, measured after each hub round (interleaved, so both meet the same machine load): a plain `ws`',
    'server in the hub’s thread sends a message of a delivery’s size to as many plain WebSocket connections',
    'of the clients’ thread (no database, no GraphQL, no protocol library); first send → last arrival (ms),',
    'and the CPU time of the hub’s thread per round — the hub’s figure is from the commit:',
    '',
    table(
      [
        'layout',
        'floor last delivery p50',
        'p99',
        'hub / floor p50',
        'hub / floor p99',
        'floor CPU ms',
        'hub CPU ms',
        'hub / floor CPU',
      ],
      results.map((r) => {
        const floorLast = r.floor.map((x) => x.lastMs);
        const hubLast = pick(r, (x) => x.lastFromCommitMs);
        const floorCpu = percentile(
          r.floor.map((x) => x.cpuMs),
          50,
        );
        const hubCpu = percentile(
          pick(r, (x) => x.hubCpuMs),
          50,
        );
        const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
        return [
          name(r),
          ms(percentile(floorLast, 50)),
          ms(percentile(floorLast, 99)),
          ratio(percentile(hubLast, 50), percentile(floorLast, 50)),
          ratio(percentile(hubLast, 99), percentile(floorLast, 99)),
          ms(floorCpu),
          ms(hubCpu),
          ratio(hubCpu, floorCpu),
        ];
      }),
      [false, true, true, true, true, true, true, true],
    ),
    '',
    'The older reference points (ms): "response": from the releasePlace HTTP response as the hub’s thread',
    'read it — after the commit, but read late while that thread is busy fanning out, so it flatters;',
    '"occurred_at": from the event row’s time, set inside the transaction (before the commit: an upper bound).',
    '',
    table(
      [
        'layout',
        'last from response p50',
        'p99',
        'per delivery from response p50',
        'p99',
        'last from occurred_at p50',
        'p99',
        'release mutation p50',
      ],
      results.map((r) => {
        const last = pick(r, (x) => x.lastMs);
        const all = r.rounds.flatMap((x) => x.latencies);
        const occurred = pick(r, (x) => x.lastFromOccurredMs);
        return [
          name(r),
          ms(percentile(last, 50)),
          ms(percentile(last, 99)),
          ms(percentile(all, 50)),
          ms(percentile(all, 99)),
          ms(percentile(occurred, 50)),
          ms(percentile(occurred, 99)),
          ms(
            percentile(
              pick(r, (x) => x.mutationMs),
              50,
            ),
          ),
        ];
      }),
      [false, true, true, true, true, true, true, true],
    ),
  );
  if (options.viewers === 'mixed') {
    lines.push(
      '',
      'Per delivery by viewer (ms from the commit):',
      '',
      table(
        ['layout', 'public subs', 'public p50', 'public p99', 'partner subs', 'partner p50', 'partner p99'],
        results.map((r) => {
          const pub = r.rounds.flatMap((x) => x.byViewer.public);
          const partner = r.rounds.flatMap((x) => x.byViewer.partner);
          return [
            name(r),
            String(r.publicSubs),
            ms(percentile(pub, 50)),
            ms(percentile(pub, 99)),
            String(r.subscriptions - r.publicSubs),
            ms(percentile(partner, 50)),
            ms(percentile(partner, 99)),
          ];
        }),
        [false, true, true, true, true, true, true],
      ),
    );
  }

  lines.push(
    '',
    'Work per round (release → last delivery + 300 ms quiet), medians: SQL statements the hub sent',
    '(every pg client of the hub, its event listener included), busy time of the hub’s event loop',
    '(main thread) and of the clients’ (worker thread), and the CPU time each thread ran (from the',
    'scheduler: unlike busy time it does not grow while a thread waits for a core on a loaded machine):',
    '',
    table(
      [
        'layout',
        'SQL statements',
        'per subscription',
        'hub busy ms',
        'clients busy ms',
        'hub CPU ms',
        'clients CPU ms',
      ],
      results.map((r) => {
        const statements = percentile(
          r.rounds.map((x) => x.statements),
          50,
        );
        return [
          name(r),
          String(statements),
          (statements / r.subscriptions).toFixed(2),
          ms(
            percentile(
              r.rounds.map((x) => x.hubActiveMs),
              50,
            ),
          ),
          ms(
            percentile(
              r.rounds.map((x) => x.clientActiveMs),
              50,
            ),
          ),
          ms(
            percentile(
              r.rounds.map((x) => x.hubCpuMs),
              50,
            ),
          ),
          ms(
            percentile(
              r.rounds.map((x) => x.clientCpuMs),
              50,
            ),
          ),
        ];
      }),
      [false, true, true, true, true, true, true],
    ),
  );
  for (const r of results) {
    const shapes = new Map<string, number>();
    for (const x of r.rounds) for (const [k, v] of x.shapes) shapes.set(k, (shapes.get(k) ?? 0) + v);
    const top = [...shapes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    lines.push('', `Most frequent statements per round, ${name(r)} (mean over rounds):`);
    for (const [text, n] of top) lines.push(`  ${(n / r.rounds.length).toFixed(1).padStart(8)}  ${text}`);
  }

  const collected = results.every((r) => Object.values(r.memory).every((m: Memory) => m.collected));
  lines.push(
    '',
    `Memory (${collected ? 'after global.gc() in both threads' : 'WITHOUT forced GC: run node --expose-gc for stable figures'}),`,
    'KiB per connection (connected − before, no subscriptions yet) and per idle subscription (− connected):',
    '"before any event" = subscribed, hub quiet, nothing delivered yet; "after an event" = idle after the',
    'warm-up delivery (a subscription keeps the unit of work and loaders of its last event until the next',
    'one). Hub heap = the main thread’s V8 heap (hub only); client heap = the worker’s (graphql-ws + ws',
    'clients only); external = Buffers etc. of that thread; RSS = the whole process (hub + clients + both',
    'threads), allocator-dependent:',
    '',
    table(
      ['layout', 'per', 'hub heap', 'hub external', 'client heap', 'client external', 'process RSS'],
      results.flatMap((r) => {
        const conn = per(r.memory.connected, r.memory.before, r.connections);
        const fresh = per(r.memory.fresh, r.memory.connected, r.subscriptions);
        const sub = per(r.memory.subscribed, r.memory.connected, r.subscriptions);
        const row = (label: string, d: MemoryDelta) => [
          name(r),
          label,
          kib(d.hubHeap),
          kib(d.hubExternal),
          kib(d.clientHeap),
          kib(d.clientExternal),
          kib(d.rss),
        ];
        return [
          row('connection', conn),
          row('idle subscription, before any event', fresh),
          row('idle subscription, after an event', sub),
        ];
      }),
      [false, false, true, true, true, true, true],
    ),
    '',
    table(
      [
        'layout',
        'hub heap MiB: before',
        'connected',
        'subscribed',
        'after an event',
        'after close',
        'RSS MiB: before',
        'after an event',
        'after close',
      ],
      results.map((r) => [
        name(r),
        mib(r.memory.before.hubHeap),
        mib(r.memory.connected.hubHeap),
        mib(r.memory.fresh.hubHeap),
        mib(r.memory.subscribed.hubHeap),
        mib(r.memory.closed.hubHeap),
        mib(r.memory.before.rss),
        mib(r.memory.subscribed.rss),
        mib(r.memory.closed.rss),
      ]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  const noisy = results.filter((r) => !r.quietAfterSubscribing);
  if (noisy.length > 0)
    lines.push(
      `(${noisy.map(name).join(', ')}: the hub did not go quiet within 10 s after subscribing; ` +
        '"before any event" was measured anyway)',
    );

  const checks: Check[] = [];
  for (const r of results) {
    const rounds = r.rounds;
    const misses = sum(rounds.map((x) => x.misses));
    const duplicates = sum(rounds.map((x) => x.duplicates));
    const bad = sum(rounds.map((x) => x.badPayloads));
    const errors = rounds.flatMap((x) => x.errors).concat(r.warmup.errors);
    const completed = sum(rounds.map((x) => x.completed)) + r.warmup.completed;
    const floorMissing = sum(r.floor.map((x) => x.missing));
    checks.push(
      {
        name: `${name(r)}: the floor’s messages all arrived`,
        ok: floorMissing === 0,
        detail: `${r.floor.length} rounds: ${floorMissing} missing`,
      },
      {
        name: `${name(r)}: the warm-up event reached every subscription`,
        ok: r.warmup.misses === 0 && r.warmup.duplicates === 0,
        detail: `${r.warmup.misses} missed, ${r.warmup.duplicates} duplicates`,
      },
      {
        name: `${name(r)}: every subscription got exactly one event per round`,
        ok: misses === 0 && duplicates === 0,
        detail: `${rounds.length} rounds × ${r.subscriptions}: ${misses} missed, ${duplicates} duplicates`,
      },
      {
        name: `${name(r)}: every event as the viewer may see it (public: available null; partner: 1)`,
        ok: bad === 0 && errors.length === 0 && completed === 0,
        detail:
          `${bad} wrong payloads, ${errors.length} subscription errors, ${completed} completed early` +
          (bad > 0 ? ` — e.g. ${rounds.flatMap((x) => x.badExamples)[0]}` : '') +
          (errors.length > 0 ? ` — e.g. ${errors[0]}` : ''),
      },
      {
        // One-time growth (pool connections, caches, compiled code) stays; a leaked subscription would
        // keep its whole per-subscription cost (tens of KiB, see above).
        name: `${name(r)}: after all subscriptions close, the hub’s heap keeps < ${LEAK_KIB} KiB per subscription (+ 2 MiB)`,
        ok: r.memory.closed.hubHeap - r.memory.before.hubHeap < (LEAK_KIB * r.subscriptions + 2048) * 1024,
        detail:
          `${mib(r.memory.before.hubHeap)} → ${mib(r.memory.closed.hubHeap)} MiB ` +
          `(${kib((r.memory.closed.hubHeap - r.memory.before.hubHeap) / r.subscriptions)} KiB per subscription)`,
      },
    );
  }
  lines.push('', 'Checks:', ...checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} — ${c.detail}`));
  appendLoggedErrors(lines, serverErrors, 'Warnings and errors the hub logged:');
  process.stdout.write(`${lines.join('\n')}\n`);
  return checks.every((c) => c.ok);
}

async function main(): Promise<void> {
  const options = parseSubscriptionsBenchArgs();
  const startedAll = performance.now();
  const loadBefore = os.loadavg();
  let hub: RunningHub | undefined;
  let db: pg.Client | undefined;
  let clients: Clients | undefined;
  let floor: Floor | undefined;
  const session = new BenchSession(options.keep);
  session.onCleanup(async () => {
    await floor?.stop();
    await clients?.request({ type: 'close' });
    await clients?.terminate();
    await db?.end();
    await hub?.stop();
  });

  try {
    countStatements();
    const database = await session.createDatabase(options.serverUrl);
    const config = benchHubConfig(database.url, {
      SUBSCRIPTIONS_PER_CONNECTION: String(Math.max(25, ...options.layouts)),
      SUBSCRIPTIONS_PER_VIEWER: '100000',
    });
    const serverErrors: string[] = [];
    let t = performance.now();
    hub = await startHub(config, capturingLogger(serverErrors, 'warn'));
    const origin = new URL(hub.url).origin.replace('localhost', '127.0.0.1');
    const url = `${origin}/graphql`;
    progress(`hub on ${origin} (migrated in ${seconds(t)})`);
    // Registered before any subscription: called first when the bus dispatches an event.
    const dispatched = new Map<string, number>();
    hub.bus.subscribe((event) => dispatched.set(String(event.id), hrMs()));

    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const cases = PREWARM.rounds + options.layouts.length * (options.rounds + 1);
    const data = await createData(db, cases);
    await db.query('analyze');
    const tokens = new TokenService(config.auth);
    const { token } = await tokens.sign(
      { accountId: data.caseManager, organisationId: data.org, roles: [Role.CASE_MANAGER] },
      86_400,
    );
    const { token: partnerToken } = await tokens.sign(
      { accountId: data.partnerStaff, organisationId: data.partnerOrg, roles: [Role.PARTNER_STAFF] },
      86_400,
    );

    floor = await Floor.start();
    clients = new Clients();
    await clients.request({ type: 'listen', databaseUrl: database.url, channel: HUB_EVENTS_CHANNEL });
    const wallOffset = Date.now() - hrMs();
    const base = { url, dispatched, token, data, clients, db, wallOffset };
    t = performance.now();
    await prewarm(base, partnerToken);
    progress(`pre-warm: ${PREWARM.connections} subscriptions, ${PREWARM.rounds} rounds (${seconds(t)})`);

    const results: LayoutResult[] = [];
    for (const perConnection of options.layouts) {
      results.push(await runLayout(options, perConnection, base, partnerToken, floor));
    }

    const [server] = (await db.query<{ server_version: string }>('show server_version')).rows;
    const loadAfter = os.loadavg();
    const viewers =
      options.viewers === 'mixed'
        ? 'every other connection public (no token) / PARTNER_STAFF of another organisation'
        : options.viewers === 'public'
          ? 'all public (no token)'
          : 'all PARTNER_STAFF of another organisation';
    const passed = report(
      options,
      results,
      [
        `bench:subscriptions — ${options.subscribers} placesAvailable(filter: { kinds: [JOB_LANGUAGE_COURSE] }) ` +
          'subscriptions over graphql-ws to 127.0.0.1; hub in the main thread, all clients in one worker thread',
        `viewers: ${viewers}; each round: reservePlace (no delivery: available falls), then releasePlace ` +
          '(1 → delivery to every subscription) with a CASE_MANAGER token over HTTP',
        `Node ${process.version}, PostgreSQL ${server?.server_version}, ${os.cpus().length} CPU(s), ` +
          `hub DB pool ${config.dbPoolMax}; pre-warm ${PREWARM.connections} subscriptions × ${PREWARM.rounds} rounds, ` +
          `then per layout 1 warm-up round + ${options.rounds} measured; total ${seconds(startedAll)}`,
        `load average (1 min) ${loadBefore[0]!.toFixed(2)} at start, ${loadAfter[0]!.toFixed(2)} at end`,
      ],
      serverErrors,
    );
    if (options.json) {
      const layouts = results.map((r) => {
        const last = r.rounds.map((x) => x.lastMs);
        const occurred = r.rounds.map((x) => x.lastFromOccurredMs);
        const fromCommit = r.rounds.map((x) => x.lastFromCommitMs);
        const all = r.rounds.flatMap((x) => x.latencies);
        return {
          connections: r.connections,
          perConnection: r.perConnection,
          subscriptions: r.subscriptions,
          rounds: r.rounds.length,
          lastFromResponse: { p50: percentile(last, 50), p99: percentile(last, 99), max: Math.max(...last) },
          lastFromOccurredAt: { p50: percentile(occurred, 50), p99: percentile(occurred, 99) },
          lastFromCommit: {
            p50: percentile(fromCommit, 50),
            p99: percentile(fromCommit, 99),
            max: Math.max(...fromCommit),
          },
          hubCpuMs: percentile(
            r.rounds.map((x) => x.hubCpuMs),
            50,
          ),
          floor: {
            p50: percentile(
              r.floor.map((x) => x.lastMs),
              50,
            ),
            p99: percentile(
              r.floor.map((x) => x.lastMs),
              99,
            ),
            cpuMs: percentile(
              r.floor.map((x) => x.cpuMs),
              50,
            ),
          },
          perDelivery: { n: all.length, p50: percentile(all, 50), p99: percentile(all, 99) },
          misses: r.rounds.reduce((n, x) => n + x.misses, 0),
          duplicates: r.rounds.reduce((n, x) => n + x.duplicates, 0),
        };
      });
      await writeFile(
        options.json,
        JSON.stringify({ layouts, checksPassed: passed, viewers: options.viewers }),
      );
    }
    if (!passed) process.exitCode = 1;
  } finally {
    await session.cleanup();
  }
}

runBench('bench:subscriptions', main);
