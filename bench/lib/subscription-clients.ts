import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';

/**
 * The client side of bench:subscriptions, run in a worker thread of the benchmark process: its own V8
 * heap (so the hub's heap and the clients' heap are measured apart) and its own event loop (so receiving
 * 1,000 messages does not queue behind the hub's work, and vice versa). The main thread drives it with
 * the requests below; arrival times are process.hrtime in ms (one monotonic clock for all threads).
 *
 * The commit moment is observed here too, by a LISTEN connection of this thread on the hub's channel:
 * PostgreSQL sends the NOTIFY at commit, and this event loop is not the hub's, so its arrival is not held
 * up by the fan-out (the release's HTTP response, read on the hub's thread, is).
 */

export interface ConnectionPlan {
  /** Bearer token; none: the public. */
  token?: string;
  subscriptions: number;
}

/** What the main thread asks of the worker; each request carries an id its reply repeats. */
export type ClientCommand =
  | { type: 'open'; url: string; connections: ConnectionPlan[]; concurrency: number }
  | { type: 'subscribe'; query: string; variables: Record<string, unknown> }
  | { type: 'memory' }
  | { type: 'listen'; databaseUrl: string; channel: string }
  | { type: 'arm' }
  | { type: 'collect'; deadlineMs: number; quietMs: number }
  | { type: 'close' }
  | { type: 'floorOpen'; url: string; connections: number; concurrency: number }
  | { type: 'floorArm' }
  | { type: 'floorCollect'; perConnection: number; deadlineMs: number }
  | { type: 'floorClose' };

/** A floor round: when the first and the last message arrived (ms, process.hrtime), and what is missing. */
export interface FloorResult {
  first: number;
  last: number;
  missing: number;
}

export type ClientRequest = ClientCommand & { id: number };

export interface MemorySample {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Whether globalThis.gc ran before sampling (node --expose-gc). */
  collected: boolean;
}

export interface Delivery {
  /** Arrival of each event of the round at this subscription (ms, process.hrtime). */
  arrivals: number[];
  /** The first event's data, as received. */
  first?: unknown;
}

export interface CollectResult {
  deliveries: Delivery[];
  /** Subscriptions that errored or completed since the last collect. */
  errors: string[];
  completed: number;
  /** Whether every subscription had an event before the deadline. */
  allArrived: boolean;
  /** Notifications seen since `arm`: event id (the NOTIFY payload) → arrival (ms, process.hrtime). */
  notified: Record<string, number>;
  /** CPU time of this thread between `arm` and the end of the collection (ms). */
  cpuMs: number;
}

export type ClientReply =
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: string };

export const hrMs = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * CPU time the calling thread has run (ms; Linux, from the scheduler): unlike event-loop busy time it does
 * not grow while the thread waits for a core, so it survives a machine shared with other work. NaN elsewhere.
 */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

interface Sub {
  viewer: 'public' | 'partner';
  /** Set before the benchmark unsubscribes: the completion that follows is not a finding. */
  closing?: boolean;
  arrivals: number[];
  first?: unknown;
}

const clients: Client[] = [];
const plans: ConnectionPlan[] = [];
/** Per connection: when its latest message arrived (set before graphql-ws handles the message). */
const arrivalOf: { lastArrival: number }[] = [];
let subs: Sub[] = [];
let errors: string[] = [];
let completed = 0;
let unsubscribers: (() => void)[] = [];
let listener: pg.Client | undefined;
let notified: Record<string, number> = {};
let cpuAtArm = 0;

async function listen(databaseUrl: string, channel: string) {
  listener = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-commit-observer' });
  listener.on('notification', (message) => {
    notified[message.payload ?? ''] = hrMs();
  });
  await listener.connect();
  await listener.query(`listen ${channel}`);
}

/**
 * A WebSocket that notes when each message arrived, before graphql-ws parses it: with 1,000 sockets in one
 * thread, a delivery's time is when this thread reads it, not when the client library is done with it.
 */
function timedWebSocket(connection: { lastArrival: number }) {
  return class TimedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      // Registered before graphql-ws sets onmessage, so it runs first for every message.
      this.on('message', () => {
        connection.lastArrival = hrMs();
      });
    }
  };
}

async function open(url: string, connections: ConnectionPlan[], concurrency: number) {
  const wsUrl = url.replace(/^http/, 'ws');
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < connections.length; i = next++) {
      const plan = connections[i]!;
      await new Promise<void>((resolve) => {
        const connection = { lastArrival: 0 };
        arrivalOf.push(connection);
        const client = createClient({
          url: wsUrl,
          webSocketImpl: timedWebSocket(connection),
          retryAttempts: 0,
          lazy: false,
          // No keep-alive pings: idle means idle.
          keepAlive: 0,
          connectionParams: plan.token ? { authorization: `Bearer ${plan.token}` } : {},
          on: {
            connected: () => resolve(),
            closed: (event) => {
              const code = (event as { code?: number }).code;
              if (code !== 1000) failures.push(`connection ${i} closed (${code ?? 'no code'})`);
              resolve();
            },
            error: (error) => {
              failures.push(`connection ${i}: ${error instanceof Error ? error.message : String(error)}`);
              resolve();
            },
          },
        });
        clients.push(client);
        plans.push(plan);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, connections.length) }, worker));
  return { failures: failures.slice(0, 20), failed: failures.length };
}

function subscribe(query: string, variables: Record<string, unknown>) {
  for (const [i, client] of clients.entries()) {
    const plan = plans[i]!;
    const connection = arrivalOf[i]!;
    for (let k = 0; k < plan.subscriptions; k++) {
      const sub: Sub = { viewer: plan.token ? 'partner' : 'public', arrivals: [] };
      subs.push(sub);
      unsubscribers.push(
        client.subscribe(
          { query, variables },
          {
            next: (value) => {
              // graphql-ws handles a message synchronously: this is the message that just arrived.
              sub.arrivals.push(connection.lastArrival);
              if (sub.first === undefined) sub.first = value;
            },
            error: (error) => {
              if (sub.closing) return;
              errors.push(error instanceof Error ? error.message : JSON.stringify(error).slice(0, 300));
            },
            complete: () => {
              if (!sub.closing) completed++;
            },
          },
        ),
      );
    }
  }
  return { subscriptions: subs.length, viewers: subs.map((s) => s.viewer) };
}

function memory(): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, collected: !!gc };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collect(deadlineMs: number, quietMs: number): Promise<CollectResult> {
  const deadline = hrMs() + deadlineMs;
  let allArrived = subs.every((s) => s.arrivals.length > 0);
  while (!allArrived && hrMs() < deadline) {
    await sleep(5);
    allArrived = subs.every((s) => s.arrivals.length > 0);
  }
  // Late duplicates would arrive meanwhile.
  await sleep(quietMs);
  const result: CollectResult = {
    deliveries: subs.map((s) => ({ arrivals: s.arrivals, first: s.first })),
    errors,
    completed,
    allArrived,
    notified,
    cpuMs: threadCpuMs() - cpuAtArm,
  };
  errors = [];
  completed = 0;
  return result;
}

function arm() {
  notified = {};
  cpuAtArm = threadCpuMs();
  for (const s of subs) {
    s.arrivals = [];
    s.first = undefined;
  }
}

async function close() {
  for (const sub of subs) sub.closing = true;
  for (const unsubscribe of unsubscribers) unsubscribe();
  await Promise.all(clients.map((c) => c.dispose()));
  clients.length = 0;
  plans.length = 0;
  arrivalOf.length = 0;
  subs = [];
  unsubscribers = [];
  errors = [];
  completed = 0;
}

// ---------------------------------------------------------------------------------------------------
// The floor: plain WebSocket connections to a plain `ws` server in the hub's thread, which sends each a
// ready-made message of the same size as a delivery — what 1,000 deliveries cost on this machine with
// no database, no GraphQL and no protocol library on either side.

const floorSockets: WebSocket[] = [];
let floorArrivals: number[][] = [];

async function floorOpen(url: string, connections: number, concurrency: number) {
  let next = 0;
  const opener = async () => {
    for (let i = next++; i < connections; i = next++) {
      const socket = new WebSocket(url);
      const index = i;
      socket.on('message', () => floorArrivals[index]?.push(hrMs()));
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      floorSockets[index] = socket;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, connections) }, opener));
}

async function floorCollect(perConnection: number, deadlineMs: number): Promise<FloorResult> {
  const deadline = hrMs() + deadlineMs;
  const complete = () => floorArrivals.every((a) => a.length >= perConnection);
  while (!complete() && hrMs() < deadline) await sleep(2);
  const all = floorArrivals.flat();
  const missing = floorArrivals.reduce((n, a) => n + Math.max(0, perConnection - a.length), 0);
  return { first: Math.min(...all), last: Math.max(...all), missing };
}

async function floorClose() {
  await Promise.all(
    floorSockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.close(1000);
        }),
    ),
  );
  floorSockets.length = 0;
  floorArrivals = [];
}

async function handle(request: ClientRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      return open(request.url, request.connections, request.concurrency);
    case 'subscribe':
      return subscribe(request.query, request.variables);
    case 'memory':
      return memory();
    case 'listen':
      return listen(request.databaseUrl, request.channel);
    case 'arm':
      return arm();
    case 'collect':
      return collect(request.deadlineMs, request.quietMs);
    case 'close':
      return close();
    case 'floorOpen':
      return floorOpen(request.url, request.connections, request.concurrency);
    case 'floorArm':
      floorArrivals = floorSockets.map(() => []);
      return;
    case 'floorCollect':
      return floorCollect(request.perConnection, request.deadlineMs);
    case 'floorClose':
      return floorClose();
  }
}

parentPort?.on('message', (request: ClientRequest) => {
  handle(request).then(
    (value) => parentPort?.postMessage({ id: request.id, ok: true, value } satisfies ClientReply),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      } satisfies ClientReply),
  );
});
