import { connect, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { HubEvent } from '../src/events/event-bus.js';
import { OUTBOX_RETENTION_LOCK_KEY } from '../src/events/outbox-retention.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * Outbox retention: events older than EVENT_RETENTION go, in batches, pruned by one instance at a time;
 * an instance whose listener was away for less than the retention still receives what it missed.
 */

let a: TestHub;
let b: TestHub;
let db: pg.Client;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  a = await startTestHub('retention_a', { seed: false });
  const real = new URL(a.database.url);
  proxy = await startProxy({ host: real.hostname, port: Number(real.port || 5432) });
  // The second instance reaches PostgreSQL through a proxy the test can cut.
  b = await startTestHub('retention_b', {
    seed: false,
    database: a.database,
    databaseUrlVia: (url) => {
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String(proxy.port);
      return via.toString();
    },
  });
  db = new pg.Client({ connectionString: a.database.url });
  db.on('error', () => undefined);
  await db.connect();
});

afterAll(async () => {
  await db?.end().catch(() => undefined);
  await b?.stop().catch(() => undefined);
  await proxy?.close();
  await a?.stop().catch(() => undefined);
});

/** Events of a test type, `ageDays` old, written straight to the outbox. */
async function insertEvents(count: number, ageDays: number, marker: string): Promise<void> {
  await db.query(
    `insert into domain_event (type, occurred_at, payload)
     select 'test.retention', now() - make_interval(days => $2::int), jsonb_build_object('marker', $3::text, 'n', n)
     from generate_series(1, $1::int) as n`,
    [count, ageDays, marker],
  );
}

async function countByMarker(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ marker: string; n: string }>(
    `select payload->>'marker' as marker, count(*) as n from domain_event where type = 'test.retention' group by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.marker, Number(r.n)]));
}

describe('EVENT_RETENTION', () => {
  it('is validated: whole days, 1 to 3650, "7" or "7d"', () => {
    expect(loadConfig({}).eventRetention.days).toBe(7);
    expect(loadConfig({ EVENT_RETENTION: '30d' }).eventRetention.days).toBe(30);
    for (const wrong of ['0', '-1', '1.5', 'a week', '7h', '9999']) {
      expect(() => loadConfig({ EVENT_RETENTION: wrong }), wrong).toThrow(/EVENT_RETENTION/);
    }
  });
});

describe('pruning', () => {
  it('deletes old events in batches of 1,000, keeps recent ones, one instance at a time', async () => {
    await insertEvents(2_500, 30, 'old');
    await insertEvents(10, 1, 'recent');

    // While another instance holds the lock, both skip their round.
    const holder = new pg.Client({ connectionString: a.database.url });
    await holder.connect();
    await holder.query(`select pg_advisory_lock(${OUTBOX_RETENTION_LOCK_KEY})`);
    expect(await Promise.all([a.hub.outboxRetention.pruneOnce(), b.hub.outboxRetention.pruneOnce()])).toEqual(
      [null, null],
    );
    expect(await countByMarker()).toEqual({ old: 2_500, recent: 10 });
    await holder.end();

    // Both try at once: one prunes all of it, the other finds the lock taken (or, later, nothing left).
    const results = await Promise.all([a.hub.outboxRetention.pruneOnce(), b.hub.outboxRetention.pruneOnce()]);
    const pruned = results.filter((r) => r !== null && r.deleted > 0);
    expect(pruned).toHaveLength(1);
    expect(pruned[0]).toMatchObject({ deleted: 2_500, batches: 3 });
    expect(await countByMarker()).toEqual({ recent: 10 });
  });

  it('an instance whose listener was cut for less than the retention still gets every event it missed', async () => {
    const received: HubEvent[] = [];
    const unsubscribe = b.hub.bus.subscribe((event) => {
      if (event.type === 'test.retention') received.push(event);
    });
    await insertEvents(1, 0, 'before-cut');
    await until(() => received.some((e) => e.payload.marker === 'before-cut'), 10_000);

    proxy.cut();
    await until(() => !b.hub.bus.stats.connected, 10_000);
    // Written while B is away, and a pruning round by A meanwhile (old events go, these stay).
    await insertEvents(5, 0, 'during-cut');
    await insertEvents(100, 8, 'old-during-cut');
    expect((await a.hub.outboxRetention.pruneOnce())?.deleted).toBe(100);
    proxy.restore();

    await until(() => received.filter((e) => e.payload.marker === 'during-cut').length === 5, 20_000);
    unsubscribe();
    expect(received.filter((e) => e.payload.marker === 'old-during-cut')).toEqual([]);
  });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP proxy to PostgreSQL: cut() drops every connection and refuses new ones until restore(). */
async function startProxy(target: { host: string; port: number }) {
  let open = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
