import { MikroORM } from '@mikro-orm/postgresql';
import { getMetadataStorage } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../seeds/demo.js';
import { BaseEntity } from '../src/db/base.entity.js';
import { migrate } from '../src/db/database.js';
import { createOrmConfig } from '../src/db/mikro-orm.config.js';
import { readRows, rowFromColumns, selectColumns } from '../src/db/read-rows.js';
import { CapacityPeriod } from '../src/modules/capacity/capacity-period.entity.js';
import { entities } from '../src/modules/entities.js';
import { Offer } from '../src/modules/offer/offer.entity.js';
import { Location } from '../src/modules/organisation/location.entity.js';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  database = await createTestDatabase('read_rows');
  orm = await MikroORM.init(createOrmConfig({ entities, clientUrl: database.url, poolMax: 4 }));
  await migrate(orm);
  await seedDemo(orm, { reset: false });
});

afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

/** What a reader sees of a value: a relation as its id, everything else as is. */
function readable(value: unknown): unknown {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) {
    return { id: (value as { id: unknown }).id };
  }
  return value;
}

const concrete = (entities as any[]).filter((e) => e !== BaseEntity);

describe('read rows (the loaders of the GraphQL read path)', () => {
  it.each(concrete.map((e) => [e.name, e]))(
    '%s: the same values as em.find, unmanaged',
    async (_, entity) => {
      const meta = orm.getMetadata().get(entity.name);
      const orderBy = Object.fromEntries(meta.primaryKeys.map((key) => [key, 'asc' as const]));
      const em = orm.em.fork();
      const managed = await em.find(entity, {}, { orderBy });
      const rowsEm = orm.em.fork();
      const rows = await readRows(rowsEm, entity, {}, orderBy);
      expect(rows.length).toBe(managed.length);
      const props = meta.props.filter((p) => p.kind !== '1:m' && p.kind !== 'm:n' && !p.lazy);
      let compared = 0;
      for (const [i, row] of rows.entries()) {
        expect(row.constructor.name).toBe(entity.name);
        for (const prop of props) {
          const expected = readable((managed[i] as any)[prop.name]) ?? null;
          expect(readable((row as any)[prop.name]) ?? null, `${entity.name}.${prop.name}`).toEqual(expected);
          compared++;
        }
      }
      // Nothing entered the unit of work: rows are never flushed by accident.
      expect(rowsEm.getUnitOfWork().getIdentityMap().keys()).toHaveLength(0);
      if (managed.length > 0) expect(compared).toBeGreaterThan(0);
    },
  );

  it('reads the same rows out of one joined statement (the offers page)', async () => {
    const em = orm.em.fork();
    const raw = await em.getConnection().execute<Record<string, unknown>[]>(
      `select ${selectColumns(em, Offer, 'o', 'o')}, ${selectColumns(em, Organisation, 'g', 'g')},
         ${selectColumns(em, Location, 'l', 'l')}
       , ${selectColumns(em, CapacityPeriod, 'c', 'c')}
       from offer o join organisation g on g.id = o.organisation_id join location l on l.id = o.location_id
       left join capacity_period c on c.offer_id = o.id and c.starts_on = (
         select min(starts_on) from capacity_period where offer_id = o.id)
       order by o.id`,
    );
    expect(raw.length).toBeGreaterThan(0);
    const offers = await readRows(em, Offer, {}, { id: 'asc' });
    const organisations = new Map((await readRows(em, Organisation, {})).map((r) => [r.id, r]));
    const locations = new Map((await readRows(em, Location, {})).map((r) => [r.id, r]));
    const periods = new Map((await readRows(em, CapacityPeriod, {})).map((r) => [r.id, r]));
    for (const [i, row] of raw.entries()) {
      const offer = rowFromColumns(em, Offer, row, 'o');
      expect(offer).toEqual(offers[i]);
      expect(offer.constructor.name).toBe('Offer');
      expect(rowFromColumns(em, Organisation, row, 'g')).toEqual(organisations.get(offer.organisation.id));
      expect(rowFromColumns(em, Location, row, 'l')).toEqual(locations.get(offer.location.id));
      expect(rowFromColumns(em, CapacityPeriod, row, 'c') ?? null).toEqual(
        row.c__id == null ? expect.anything() : periods.get(row.c__id as string),
      );
    }
  });

  it('reaches field resolvers as it is: no @Root() is declared with an entity class', async () => {
    await import('../src/schema.js');
    const converted = getMetadataStorage()
      .params.filter((p) => p.kind === 'root' && p.getType !== undefined)
      .map((p) => `${p.target.name}.${p.methodName}`);
    // type-graphql would copy every row into a new entity per field (see ReadRow in read-rows.ts).
    expect(converted).toEqual([]);
  });

  it('covers the types the offers page reads, with data', async () => {
    const em = orm.em.fork();
    for (const name of ['Offer', 'Organisation', 'Location', 'CapacityPeriod', 'EligibilityRule']) {
      const entity = concrete.find((e) => e.name === name);
      expect((await readRows(em, entity, {})).length, name).toBeGreaterThan(0);
    }
  });
});
