import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startHub } from '../src/app.js';
import { ms, percentile, table } from './lib/figures.js';
import { BenchSession, benchHubConfig, capturingLogger, progress, runBench } from './lib/session.js';

/**
 * `npm run -s bench:webhooks -- [--endpoints 100] [--events 20] [--keep]`: delay from an event's commit
 * to its webhook's receipt, with N endpoints subscribed to PLACES_CHANGED, and the hub's CPU time per
 * delivery (user + system of this process, from /proc/self/stat, which holds the hub and nothing else:
 * the receiver runs in a child process). Events are committed one after the other, each once the
 * previous one reached every endpoint.
 */

const RECEIVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    res.writeHead(200).end();
    const at = Date.now();
    try { process.send({ at, reason: JSON.parse(body).data.reason }); } catch {}
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
`;

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

/** CPU seconds (user + system) of this process. */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

runBench('bench:webhooks', async () => {
  const endpoints = argument('endpoints', 100);
  const events = argument('events', 20);
  const session = new BenchSession(process.argv.includes('--keep'));
  try {
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const database = await session.createDatabase(serverUrl);
    const script = path.join(tmpdir(), `webhook-receiver-${process.pid}.cjs`);
    await writeFile(script, RECEIVER);
    const receiver: ChildProcess = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    session.onCleanup(async () => receiver.kill());
    const port = await new Promise<number>((resolve) =>
      receiver.once('message', (m: { port: number }) => resolve(m.port)),
    );

    const logged: string[] = [];
    const hub = await startHub(
      benchHubConfig(database.url, { SEED_DEMO: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }),
      capturingLogger(logged, 'warn'),
    );
    session.onCleanup(() => hub.stop());
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    session.onCleanup(() => db.end());

    const { rows } = await db.query<{ period: string; organisation: string }>(
      `select p.id as period, o.organisation_id as organisation from capacity_period p join offer o on o.id = p.offer_id
        where o.active order by p.id limit 1`,
    );
    const { period, organisation } = rows[0]!;
    await db.query(
      `insert into webhook_endpoint (organisation_id, url, events, secret)
       select $1, $2 || n, '{PLACES_CHANGED}', 'whsec_' || encode(decode(md5(random()::text) || md5(random()::text), 'hex'), 'base64')
         from generate_series(1, $3::int) n`,
      [organisation, `http://127.0.0.1:${port}/e`, endpoints],
    );
    progress(`${endpoints} endpoints, ${events} events`);

    const receipts = new Map<string, number[]>();
    receiver.on('message', (m: { at?: number; reason?: string }) => {
      if (m.at === undefined || !m.reason) return;
      const list = receipts.get(m.reason) ?? [];
      list.push(m.at);
      receipts.set(m.reason, list);
    });
    const emit = async (reason: string) => {
      await db.query(
        `insert into domain_event (type, payload) values ('places.changed',
           jsonb_build_object('capacityPeriodId', $1::text, 'reason', $2::text, 'previousAvailable', 0))`,
        [period, reason],
      );
      return Date.now();
    };
    const reached = async (reason: string) => {
      const deadline = Date.now() + 60_000;
      while ((receipts.get(reason)?.length ?? 0) < endpoints) {
        if (Date.now() > deadline)
          throw new Error(`${reason}: ${receipts.get(reason)?.length ?? 0} receipts`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    // Warm-up (JIT, pool, the body's first resolution path), not reported.
    await emit('warmup');
    await reached('warmup');
    const delays: number[] = [];
    const cpuBefore = cpuSeconds();
    const started = Date.now();
    for (let n = 0; n < events; n++) {
      const reason = `bench-${n}`;
      const committedAt = await emit(reason);
      await reached(reason);
      for (const at of receipts.get(reason)!) delays.push(at - committedAt);
    }
    const wall = (Date.now() - started) / 1000;
    const cpu = cpuSeconds() - cpuBefore;
    const deliveries = delays.length;
    const { rows: counts } = await db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from webhook_delivery group by status order by status`,
    );
    process.stdout.write(
      `${table(
        ['endpoints', 'deliveries', 'p50 ms', 'p99 ms', 'max ms', 'hub CPU ms / delivery', 'deliveries / s'],
        [
          [
            String(endpoints),
            String(deliveries),
            ms(percentile(delays, 50)),
            ms(percentile(delays, 99)),
            ms(Math.max(...delays)),
            ms((cpu * 1000) / deliveries),
            (deliveries / wall).toFixed(0),
          ],
        ],
        [true, true, true, true, true, true, true],
      )}\n\nrows: ${counts.map((c) => `${c.status} ${c.n}`).join(', ')}\n`,
    );
    if (logged.length) progress(`hub logged ${logged.length} warnings, e.g. ${logged[0]}`);
  } finally {
    await session.cleanup();
  }
});
