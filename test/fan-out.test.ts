import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FannedEvent, FanOutRecipient } from '../src/events/fan-out.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * EventFanOut: two hub instances on one database hand each committed event on exactly once per
 * recipient, whichever instance claims it.
 */

let a: TestHub;
let b: TestHub;
let db: pg.Client;

beforeAll(async () => {
  a = await startTestHub('fan_out', { seed: false });
  b = await startTestHub('fan_out_b', { seed: false, database: a.database });
  db = new pg.Client({ connectionString: a.database.url });
  await db.connect();
  await db.query(
    `create table test_fan_out (event_id bigint not null, recipient text not null, instance text not null,
       unique (event_id, recipient))`,
  );
});

afterAll(async () => {
  await db?.end().catch(() => undefined);
  await b?.stop().catch(() => undefined);
  await a?.stop().catch(() => undefined);
});

/** A recipient that writes its rows in the claiming transaction and counts every event it was given. */
function recipient(name: string, types: string[], instance: string, seen: string[]): FanOutRecipient {
  return {
    name,
    types,
    async record(em, events: FannedEvent[]) {
      for (const event of events) {
        seen.push(event.id);
        await em
          .getConnection()
          .execute(
            'insert into test_fan_out (event_id, recipient, instance) values (?, ?, ?) on conflict do nothing',
            [event.id, name, instance],
            'run',
            em.getTransactionContext(),
          );
      }
    },
  };
}

it('hands 50 events on exactly once per recipient across two instances', async () => {
  const seen = { places: [] as string[], all: [] as string[] };
  let woken = 0;
  for (const [hub, label] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    hub.hub.fanOut.register(recipient('places', ['test.places'], label, seen.places));
    hub.hub.fanOut.register({
      ...recipient('all', ['test.places', 'test.other'], label, seen.all),
      recorded: () => void woken++,
    });
  }
  // 50 + 10 events, each committed on its own, while both instances are woken by their buses.
  const writers = new pg.Pool({ connectionString: a.database.url, max: 6 });
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    writes.push(
      writers.query(
        `insert into domain_event (type, payload) values ($1, jsonb_build_object('n', $2::int))`,
        [i < 50 ? 'test.places' : 'test.other', i],
      ),
    );
  }
  await Promise.all(writes);
  await writers.end();
  await Promise.all([a.hub.fanOut.drain(), b.hub.fanOut.drain()]);
  await Promise.all([a.hub.fanOut.drain(), b.hub.fanOut.drain()]);

  expect(seen.places).toHaveLength(50);
  expect(new Set(seen.places).size).toBe(50);
  expect(seen.all).toHaveLength(60);
  expect(new Set(seen.all).size).toBe(60);
  const { rows } = await db.query<{ recipient: string; n: number }>(
    'select recipient, count(*)::int as n from test_fan_out group by recipient order by recipient',
  );
  expect(rows).toEqual([
    { recipient: 'all', n: 60 },
    { recipient: 'places', n: 50 },
  ]);
  const pending = await db.query<{ n: number }>(
    'select count(*)::int as n from domain_event where not fanned_out',
  );
  expect(pending.rows[0]!.n).toBe(0);
  expect(woken).toBeGreaterThan(0);
});

it('a recipient that fails holds up neither the others nor the outbox', async () => {
  const seen: string[] = [];
  for (const [hub, label] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    // Registered in this order: the failing one first, so its rollback must not take the steady rows.
    hub.hub.fanOut.register({
      name: 'broken',
      types: ['test.broken'],
      async record(em) {
        await em
          .getConnection()
          .execute('insert into no_such_table values (1)', [], 'run', em.getTransactionContext());
      },
    });
    hub.hub.fanOut.register(recipient('steady', ['test.broken'], label, seen));
  }
  for (let i = 0; i < 3; i++) {
    await db.query(`insert into domain_event (type, payload) values ('test.broken', '{}'::jsonb)`);
  }
  await Promise.all([a.hub.fanOut.drain(), b.hub.fanOut.drain()]);
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from test_fan_out where recipient = 'steady'`,
  );
  expect(rows[0]!.n).toBe(3);
  const pending = await db.query<{ n: number }>(
    'select count(*)::int as n from domain_event where not fanned_out',
  );
  expect(pending.rows[0]!.n).toBe(0);
});

it('marks new events pending (default false) and finds them by a partial index', async () => {
  const { rows } = await db.query<{ column_default: string }>(
    `select column_default from information_schema.columns
      where table_name = 'domain_event' and column_name = 'fanned_out'`,
  );
  expect(rows[0]!.column_default).toBe('false');
  const index = await db.query<{ indexdef: string }>(
    `select indexdef from pg_indexes where indexname = 'domain_event_fan_out_pending_index'`,
  );
  expect(index.rows[0]!.indexdef).toMatch(/WHERE \(NOT fanned_out\)/);
});
