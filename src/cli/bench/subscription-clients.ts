import { parentPort } from 'node:worker_threads';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The client side of bench:subscriptions, run in a worker thread of the benchmark process: its own V8
 * heap (so the hub's heap and the clients' heap are measured apart) and its own event loop (so receiving
 * 1,000 messages does not queue behind the hub's work, and vice versa). The main thread drives it with
 * the requests below; arrival times are process.hrtime in ms (one monotonic clock for all threads).
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
  | { type: 'arm' }
  | { type: 'collect'; deadlineMs: number; quietMs: number }
  | { type: 'close' };

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
}

export type ClientReply =
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: string };

export const hrMs = () => Number(process.hrtime.bigint()) / 1e6;

interface Sub {
  viewer: 'public' | 'partner';
  /** Set before the benchmark unsubscribes: the completion that follows is not a finding. */
  closing?: boolean;
  arrivals: number[];
  first?: unknown;
}

const clients: Client[] = [];
const plans: ConnectionPlan[] = [];
let subs: Sub[] = [];
let errors: string[] = [];
let completed = 0;
let unsubscribers: (() => void)[] = [];

async function open(url: string, connections: ConnectionPlan[], concurrency: number) {
  const wsUrl = url.replace(/^http/, 'ws');
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < connections.length; i = next++) {
      const plan = connections[i]!;
      await new Promise<void>((resolve) => {
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
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
    for (let k = 0; k < plan.subscriptions; k++) {
      const sub: Sub = { viewer: plan.token ? 'partner' : 'public', arrivals: [] };
      subs.push(sub);
      unsubscribers.push(
        client.subscribe(
          { query, variables },
          {
            next: (value) => {
              sub.arrivals.push(hrMs());
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
  };
  errors = [];
  completed = 0;
  return result;
}

function arm() {
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
  subs = [];
  unsubscribers = [];
  errors = [];
  completed = 0;
}

async function handle(request: ClientRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      return open(request.url, request.connections, request.concurrency);
    case 'subscribe':
      return subscribe(request.query, request.variables);
    case 'memory':
      return memory();
    case 'arm':
      return arm();
    case 'collect':
      return collect(request.deadlineMs, request.quietMs);
    case 'close':
      return close();
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
