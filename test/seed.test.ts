import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, seedDemoIfEmpty } from '../seeds/demo.js';
import { seedScale } from '../seeds/scale.js';
import { migrate } from '../src/db/database.js';
import { createOrmConfig } from '../src/db/mikro-orm.config.js';
import { entities } from '../src/modules/entities.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { runScript } from './helpers/run.js';

let database: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  database = await createTestDatabase('seed');
  orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: database.url, poolMax: 4 }));
  await migrate(orm);
});

afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

const one = async <T>(sql: string): Promise<T> => ((await orm.em.fork().execute(sql)) as T[])[0]!;

/** A checksum over the rows that matter, to prove two seeds are identical. */
const fingerprint = () =>
  one<{ digest: string }>(`select md5(string_agg(x, '|' order by x)) as digest from (
    select id::text || title || kind || location_id::text as x from offer
    union all select id::text || total || occupied || reserved || starts_on::text from capacity_period
    union all select id::text || stage || residence_status || intake_date::text from case_record
    union all select id::text || kind || occurred_on::text || coalesce(to_stage, '') from case_event
  ) rows`);

describe('demo seed', () => {
  it('loads the demo data of docs/domain.md once, concurrently safe, and deterministically', async () => {
    const [a, b] = await Promise.all([seedDemoIfEmpty(orm), seedDemoIfEmpty(orm)]);
    const counts = (a ?? b)!;
    expect([a, b].filter((c) => c === null)).toHaveLength(1);
    expect(counts.organisations).toBeGreaterThanOrEqual(20);
    expect(counts.locations).toBeGreaterThanOrEqual(30);
    expect(counts.accounts).toBeGreaterThanOrEqual(60);
    expect(counts.offers).toBeGreaterThanOrEqual(110);
    expect(counts.cases).toBe(207);

    const first = await fingerprint();
    expect(await seedDemo(orm, { reset: false })).toBeNull();
    expect(await fingerprint()).toEqual(first);
    expect(await seedDemo(orm, { reset: true })).toEqual(counts);
    expect(await fingerprint()).toEqual(first);
  });

  it('has the shape docs/domain.md describes', async () => {
    const shape = await one<Record<string, number>>(`select
      (select count(*) from organisation where is_coordinator)::int as coordinators,
      (select count(distinct kind) from organisation)::int as organisation_kinds,
      (select count(distinct kind) from offer)::int as offer_kinds,
      (select count(distinct r) from account, unnest(roles) r)::int as roles,
      (select count(*) from case_record where residence_status like 'DULDUNG%')::int as geduldet,
      (select count(*) from case_record where stage in ('AUSBILDUNG', 'WORK'))::int as reached,
      (select count(*) from capacity_period where occupied + reserved = total)::int as full_periods,
      (select count(*) from waiting_list_entry where status = 'WAITING')::int as waiting,
      (select min(starts_on) from capacity_period) < date '2026-01-01' and (select max(ends_on) from capacity_period) > date '2027-06-01' as two_years`);
    expect(shape.coordinators).toBe(1);
    expect(shape.organisation_kinds).toBe(9);
    expect(shape.offer_kinds).toBe(8);
    expect(shape.roles).toBe(5);
    expect(shape.geduldet).toBeGreaterThanOrEqual(65);
    expect(shape.geduldet).toBeLessThanOrEqual(85);
    expect(shape.reached).toBeGreaterThanOrEqual(30);
    expect(shape.reached).toBeLessThanOrEqual(55);
    expect(shape.full_periods).toBeGreaterThan(0);
    expect(shape.waiting).toBeGreaterThan(0);
    expect(shape.two_years).toBe(true);
  });

  it('keeps its invariants: stages match histories, held places are counted, locations belong to the provider', async () => {
    const problems = await one<Record<string, number>>(`select
      (select count(*) from case_record c where c.stage <> (
         select e.to_stage from case_event e where e.case_id = c.id and e.to_stage is not null
         order by e.occurred_on desc, e.created_at desc limit 1))::int as stage_mismatch,
      (select count(*) from capacity_period p where p.reserved <> (
         select count(*) from reservation r where r.capacity_period_id = p.id and r.status = 'HELD'))::int as reserved_mismatch,
      (select count(*) from offer o join location l on l.id = o.location_id where l.organisation_id <> o.organisation_id)::int as foreign_locations,
      (select count(*) from case_event e join case_record c on c.id = e.case_id where e.occurred_on < c.intake_date)::int as events_before_intake`);
    expect(problems).toEqual({
      stage_mismatch: 0,
      reserved_mismatch: 0,
      foreign_locations: 0,
      events_before_intake: 0,
    });
  });
});

describe('scale seed', () => {
  it('adds the requested bulk data on top, twice without collisions', async () => {
    const before = await one<{ offers: number; cases: number }>(
      'select (select count(*) from offer)::int as offers, (select count(*) from case_record)::int as cases',
    );
    await seedScale(orm, { offers: 300, cases: 120, seed: 7 });
    await seedScale(orm, { offers: 300, cases: 120, seed: 7 });
    const after = await one<{ offers: number; cases: number; active_offers_without_periods: number }>(
      'select (select count(*) from offer)::int as offers, (select count(*) from case_record)::int as cases, (select count(*) from offer o where o.active and not exists (select 1 from capacity_period p where p.offer_id = o.id))::int as active_offers_without_periods',
    );
    expect(after.offers - before.offers).toBe(600);
    expect(after.cases - before.cases).toBe(240);
    expect(after.active_offers_without_periods).toBe(0);
  });
});

describe('seed command line', () => {
  const cli = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
    runScript(path.join('dist/seeds/cli', script), args, { ...process.env, ...env });

  it('explains what is missing or wrong instead of failing obscurely', async () => {
    const noUrl = await cli('seed.js', [], { DATABASE_URL: '' });
    expect(noUrl.status).toBe(2);
    expect(noUrl.stderr).toContain('DATABASE_URL');
    const badFlag = await cli('seed-scale.js', ['--offers', 'many'], { DATABASE_URL: database.url });
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toContain('--offers');
  });

  it('is idempotent on an already seeded database', async () => {
    const again = await cli('seed.js', [], { DATABASE_URL: database.url });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing changed');
  });
});
