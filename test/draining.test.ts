import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import { type Socket, connect as tcpConnect } from 'node:net';
import path from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toGlobalId } from '../src/graphql/global-id.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, TEST_JWT_SECRET } from './helpers/hub.js';

/**
 * Draining on SIGTERM: /readyz says 503 at once while everything is still served, then the stop as
 * before. Checked as an operator sees it: two real hub processes behind a load balancer (a small one
 * below, no retries of its own), restarted one after the other while a client keeps sending requests
 * and subscribers keep listening.
 */

const root = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number, what: string) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('draining in one hub', () => {
  it('answers /readyz with 503 "draining" at once and keeps serving everything else', async () => {
    const t = await startTestHub('draining-single', { seed: false });
    try {
      expect((await fetch(`${t.origin}/readyz`)).status).toBe(200);
      const drained = t.hub.drain(60);
      const ready = await fetch(`${t.origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'draining' });
      expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
      const response = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organisations(first: 1) { totalCount } }' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { organisations: { totalCount: 0 } } });
      // No kept-alive connection is left behind for the stop to cut.
      expect(response.headers.get('connection')).toBe('close');
      t.hub.skipDrain();
      await drained;
    } finally {
      await t.stop();
    }
  });
});

// ── Two hub processes behind a load balancer ─────────────────────────────────────────────────────────

const DRAIN_SECONDS = 1;
/** How often the load balancer asks each instance's /readyz (a tenth of the drain: ample margin). */
const CHECK_INTERVAL_MS = 100;

interface Instance {
  name: string;
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

async function startInstance(name: string, databaseUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SEED_DEMO: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      SHUTDOWN_TIMEOUT_MS: '3000',
      DRAIN_SECONDS: String(DRAIN_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/läuft: http:\/\/[^:]+:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return { name, child, port, exited };
}

interface Upstream {
  instance: Instance;
  ready: boolean;
  agent: Agent;
  served: number;
  sockets: number;
  /** Probes in a row that got no answer in time. */
  missed: number;
  lastVerdict: string;
}

/**
 * Round-robin over the instances whose /readyz answered 200 at the last check, for HTTP (kept-alive
 * connections per instance, as nginx's `keepalive`) and WebSocket upgrades (a TCP pipe). It never retries:
 * a request that reaches an instance that cannot answer is a failed request.
 */
class LoadBalancer {
  readonly upstreams: Upstream[] = [];
  private next = 0;
  private readonly server: Server;
  private readonly timer: NodeJS.Timeout;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const upstream = this.pick();
      if (!upstream) {
        res.writeHead(502).end('no ready instance');
        return;
      }
      upstream.served++;
      const forwarded = request(
        {
          host: '127.0.0.1',
          port: upstream.instance.port,
          method: req.method,
          path: req.url,
          headers: withoutHopByHop(req.headers),
          agent: upstream.agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(forwarded);
    });
    this.server.on('upgrade', (req, client: Socket, head: Buffer) => {
      const upstream = this.pick();
      if (!upstream) {
        client.destroy();
        return;
      }
      upstream.sockets++;
      const socket = tcpConnect(upstream.instance.port, '127.0.0.1', () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2)
          lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) socket.write(head);
        socket.pipe(client).pipe(socket);
      });
      const end = () => {
        socket.destroy();
        client.destroy();
      };
      socket.once('close', () => {
        upstream.sockets--;
        end();
      });
      socket.on('error', end);
      client.on('error', end);
      client.once('close', end);
    });
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  add(instance: Instance): Upstream {
    const upstream = {
      instance,
      ready: false,
      agent: new Agent({ keepAlive: true }),
      served: 0,
      sockets: 0,
      missed: 0,
      lastVerdict: 'unknown',
    };
    this.upstreams.push(upstream);
    return upstream;
  }

  remove(upstream: Upstream): void {
    this.upstreams.splice(this.upstreams.indexOf(upstream), 1);
    upstream.agent.destroy();
  }

  private pick(): Upstream | undefined {
    let ready = this.upstreams.filter((u) => u.ready);
    // Fail open, as Envoy's panic mode and nginx do when no instance passes: an instance that only answered
    // too slowly (a saturated machine) still gets requests; one that said 503 or refused does not.
    if (ready.length === 0) ready = this.upstreams.filter((u) => u.lastVerdict === 'timeout');
    if (ready.length === 0) return undefined;
    return ready[this.next++ % ready.length];
  }

  /** Why instances were taken out (the test prints it: a probe that timed out on a busy machine). */
  readonly outages: string[] = [];

  private checking = false;

  private async check(): Promise<void> {
    // One round at a time: a slow probe answering after a newer one must not flip an instance back in.
    if (this.checking) return;
    this.checking = true;
    await Promise.all(
      this.upstreams.map(async (upstream) => {
        const verdict = await new Promise<string>((resolve) => {
          const probe = request(
            {
              host: '127.0.0.1',
              port: upstream.instance.port,
              path: '/readyz',
              agent: false,
              timeout: 1_000,
            },
            (res) => {
              let body = '';
              res.on('data', (chunk) => (body += chunk));
              res.on('end', () => resolve(res.statusCode === 200 ? 'ready' : `${res.statusCode} ${body}`));
            },
          );
          probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          probe.on('timeout', () => probe.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
          probe.end();
        });
        // An answer other than 200 takes the instance out at once (draining says so); a probe that got no
        // answer in time counts only three times in a row, as load balancers' failure thresholds do.
        upstream.lastVerdict = verdict;
        if (verdict === 'ready') {
          upstream.ready = true;
          upstream.missed = 0;
        } else if (verdict !== 'timeout' || ++upstream.missed >= 3) {
          if (upstream.ready) this.outages.push(`${upstream.instance.name} (${verdict})`);
          upstream.ready = false;
        }
      }),
    );
    this.checking = false;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const upstream of this.upstreams) upstream.agent.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function withoutHopByHop(headers: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

describe('rolling restart of two instances behind a load balancer', () => {
  let database: TestDatabase;
  let f: PartnerFixture;
  let db: pg.Client;
  let balancer: LoadBalancer;
  const running: Instance[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('draining');
    // One after the other: the first applies the migrations.
    running.push(await startInstance('A', database.url));
    running.push(await startInstance('B', database.url));
    f = await createPartnerFixture(database.url, 'draining');
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    balancer = new LoadBalancer();
    await balancer.listen();
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await balancer?.close();
    for (const instance of running) instance.child.kill('SIGKILL');
    await db?.end();
    await database?.drop();
  });

  it('loses no request and every subscriber hears the next event from the other instance', async () => {
    for (const instance of running) balancer.add(instance);
    await until(() => balancer.upstreams.every((u) => u.ready), 5_000, 'both instances ready');
    const url = `http://127.0.0.1:${balancer.port}/graphql`;
    const caseManager = await f.token(f.accounts.ownerCaseManager);
    const partner = await f.token(f.accounts.otherStaff);

    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as any;
    };

    // Subscribers: the public and a partner, spread over both instances by the round robin.
    const PLACES = 'subscription { placesAvailable { reason capacityPeriod { id } } }';
    const subscribers = [undefined, partner, undefined, partner].map((token) => {
      const sub = { events: [] as any[], errors: [] as unknown[], connected: 0 };
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: Number.POSITIVE_INFINITY,
        // A client of the hub reconnects at once when told "going away"; the default backoff waits seconds.
        retryWait: () => sleep(100),
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        on: { connected: () => sub.connected++ },
      });
      clients.push(client);
      client.subscribe(
        { query: PLACES },
        { next: (v) => sub.events.push(v), error: (e) => sub.errors.push(e), complete: () => undefined },
      );
      return sub;
    });
    await until(() => subscribers.every((s) => s.connected === 1), 5_000, 'subscribers connected');
    expect(balancer.upstreams.map((u) => u.sockets)).toEqual([2, 2]);

    // A client sending requests throughout, three at a time, each on the answer of the one before.
    let sending = true;
    const results = { ok: 0, failed: [] as string[] };
    const began = performance.now();
    const at = () => `at ${(performance.now() - began).toFixed(0)} ms:`;
    const loops = [1, 2, 3].map(async () => {
      while (sending) {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ organisations(first: 1) { totalCount } }' }),
          });
          const body = (await response.json()) as any;
          if (response.status === 200 && body.data?.organisations) results.ok++;
          else results.failed.push(`${at()} ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
        } catch (error) {
          results.failed.push(`${at()} ${String((error as { cause?: unknown }).cause ?? error)}`);
        }
      }
    });

    /** A full one-place period with a hold, released through the balancer: a place freed. */
    const freePlace = async (): Promise<string> => {
      const periodId = randomUUID();
      await db.query(
        `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, current_date - $3::int, current_date + 60, 1)`,
        [periodId, f.ids.offer, 1 + Math.floor(Math.random() * 100_000)],
      );
      const caseId = randomUUID();
      await db.query(
        `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
         values ($1, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE')`,
        [caseId, f.ids.ownerOrg],
      );
      const held = await gql(
        'mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }',
        {
          i: { capacityPeriodId: toGlobalId('CapacityPeriod', periodId), caseId: toGlobalId('Case', caseId) },
        },
        caseManager,
      );
      const released = await gql(
        'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
        { id: held.data.reservePlace.id },
        caseManager,
      );
      expect(released.data.releasePlace.status).toBe('RELEASED');
      return toGlobalId('CapacityPeriod', periodId);
    };

    const timings: { instance: string; exitMs: number; replacedMs: number }[] = [];
    for (const name of ['A', 'B']) {
      const upstream = balancer.upstreams.find((u) => u.instance.name === name)!;
      const other = balancer.upstreams.find((u) => u !== upstream)!;
      const reconnectedBefore = subscribers.reduce((n, s) => n + s.connected, 0);
      const onIt = upstream.sockets;
      await sleep(500); // requests flow to both before the stop
      const signalled = performance.now();
      upstream.instance.child.kill('SIGTERM');
      expect(await upstream.instance.exited).toBe(0);
      const exitMs = performance.now() - signalled;
      running.splice(running.indexOf(upstream.instance), 1);

      // Its subscribers were told "going away" (1001) and came back through the balancer on the other one.
      await until(
        () => subscribers.reduce((n, s) => n + s.connected, 0) === reconnectedBefore + onIt,
        5_000,
        `subscribers of ${name} reconnected`,
      );
      expect(other.sockets).toBe(subscribers.length);
      await sleep(300); // their subscriptions are registered again
      const period = await freePlace();
      await until(
        () =>
          subscribers.every((s) =>
            s.events.some(
              (e) =>
                e.data?.placesAvailable?.capacityPeriod?.id === period &&
                e.data.placesAvailable.reason === 'released',
            ),
          ),
        5_000,
        `every subscriber hears of the place freed while ${name} is away`,
      );

      // The replacement comes up and takes its share again.
      const replacement = await startInstance(name, database.url);
      running.push(replacement);
      balancer.remove(upstream);
      const next = balancer.add(replacement);
      await until(() => next.ready, 5_000, `${name} ready again`);
      timings.push({ instance: name, exitMs, replacedMs: performance.now() - signalled });
      await until(() => next.served > 10, 5_000, `${name} serving again`);
    }
    sending = false;
    await Promise.all(loops);

    for (const sub of subscribers) expect(sub.errors).toEqual([]);
    console.log(
      `rolling restart of 2 instances (DRAIN_SECONDS=${DRAIN_SECONDS}, readiness checked every ${CHECK_INTERVAL_MS} ms): ` +
        `${results.ok} requests answered, ${results.failed.length} failed; taken out: ${balancer.outages.join(', ')}; ` +
        timings
          .map(
            (t) =>
              `${t.instance}: SIGTERM → exit ${t.exitMs.toFixed(0)} ms, → replacement ready ${t.replacedMs.toFixed(0)} ms`,
          )
          .join('; '),
    );
    expect(results.failed).toEqual([]);
    expect(results.ok).toBeGreaterThan(100);
  }, 180_000);
});
