import http from 'node:http';
import pg from 'pg';
import { today } from '../../src/domain/calendar.js';

/**
 * The physical floor of the offers page for `npm run bench`: a plain node:http server with a pg Pool that
 * answers every POST with one raw SQL statement — a page of active offers by title with organisation,
 * location and the current capacity period (running today, else the next to start; as the hub's
 * Offer.currentCapacityPeriod) — serialised as JSON in the shape of the hub's answer. No GraphQL, no
 * authentication, no ORM: what a page costs at the least on this process model (one Node process, one
 * pool). Run as a child process: `node floor-server.js` with DATABASE_URL, PORT, DB_POOL_MAX.
 */

const PAGE = `
select o.id, o.title, o.kind,
       org.id as organisation_id, org.name as organisation_name,
       l.name as location_name, l.district,
       cur.starts_on, cur.ends_on, cur.total, cur.total - cur.occupied - cur.reserved as available
  from offer o
  join organisation org on org.id = o.organisation_id
  join location l on l.id = o.location_id
  left join lateral (
    select cp.starts_on, cp.ends_on, cp.total, cp.occupied, cp.reserved
      from capacity_period cp
     where cp.offer_id = o.id and cp.ends_on >= $1
     order by cp.starts_on > $1, cp.starts_on, cp.id
     limit 1) cur on true
 where o.active and org.active
 order by o.title, o.id
 limit $2`;

/**
 * The dashboard's page with every capacity period (POST /all): one statement whose JSON PostgreSQL builds,
 * the text sent as it comes — the floor of a generated-SQL engine's page.
 */
const ALL_PERIODS = `
select json_build_object('data', json_build_object('offers', json_build_object('nodes',
         coalesce(json_agg(x.node order by x.title, x.id), '[]'::json))))::text as body
  from (
    select o.title, o.id, json_build_object(
             'id', o.id, 'title', o.title,
             'organisation', json_build_object('name', org.name),
             'location', json_build_object('district', l.district),
             'capacityPeriods', (select coalesce(json_agg(json_build_object(
                 'id', cp.id, 'startsOn', cp.starts_on, 'endsOn', cp.ends_on, 'total', cp.total,
                 'available', greatest(0, cp.total - cp.occupied - cp.reserved)) order by cp.starts_on, cp.id), '[]'::json)
               from capacity_period cp where cp.offer_id = o.id)) as node
      from offer o
      join organisation org on org.id = o.organisation_id
      join location l on l.id = o.location_id
     where o.active and org.active
     order by o.title, o.id
     limit $1) x`;

/** 20 organisations by name, each with its first 10 offers by title and their periods (POST /nested). */
const NESTED = `
select json_build_object('data', json_build_object('organisations', json_build_object('nodes',
         coalesce(json_agg(x.node order by x.name, x.id), '[]'::json))))::text as body
  from (
    select g.name, g.id, json_build_object('name', g.name, 'offers', json_build_object('nodes', (
             select coalesce(json_agg(json_build_object('id', o.id, 'title', o.title,
                      'capacityPeriods', (select coalesce(json_agg(json_build_object(
                          'id', cp.id, 'startsOn', cp.starts_on, 'endsOn', cp.ends_on, 'total', cp.total,
                          'available', greatest(0, cp.total - cp.occupied - cp.reserved)) order by cp.starts_on, cp.id), '[]'::json)
                        from capacity_period cp where cp.offer_id = o.id)) order by o.title, o.id), '[]'::json)
               from (select * from offer o where o.organisation_id = g.id and o.active order by o.title, o.id limit 10) o))) as node
      from organisation g
     where g.active
     order by g.name, g.id
     limit $1) x`;

interface Row {
  id: string;
  title: string;
  kind: string;
  organisation_id: string;
  organisation_name: string;
  location_name: string;
  district: string;
  starts_on: string | null;
  ends_on: string | null;
  total: number | null;
  available: number | null;
}

// Dates as the hub sends them ('YYYY-MM-DD'), not as JavaScript Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10),
});

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      try {
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as object) : {};
        const n = Math.min(100, Number((body as { variables?: { n?: number } }).variables?.n ?? 50));
        if (request.url === '/all' || request.url === '/nested') {
          const statement = request.url === '/all' ? ALL_PERIODS : NESTED;
          const { rows } = await pool.query<{ body: string }>(statement, [request.url === '/all' ? n : 20]);
          const text = rows[0]!.body;
          response.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(text),
          });
          response.end(text);
          return;
        }
        const { rows } = await pool.query<Row>(PAGE, [today(), n]);
        const nodes = rows.map((r) => ({
          id: r.id,
          title: r.title,
          kind: r.kind,
          organisation: { id: r.organisation_id, name: r.organisation_name },
          location: { name: r.location_name, district: r.district },
          currentCapacityPeriod:
            r.starts_on === null
              ? null
              : { startsOn: r.starts_on, endsOn: r.ends_on, total: r.total, available: r.available },
        }));
        const json = JSON.stringify({ data: { offers: { nodes } } });
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(json),
        });
        response.end(json);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      }
    })();
  });
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stderr.write(`floor server on 127.0.0.1:${process.env.PORT}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  });
}
