import type { EntityClass } from '@mikro-orm/postgresql';
import { raw, type Sql, sql } from '../../db/sql.js';
import { availabilityBand } from '../../graphql/enums.js';
import type { NodeTypeName } from '../../graphql/global-id.js';
import { availablePlaces, availablePlacesSql } from '../capacity/available-places.js';
import { CapacityPeriod } from '../capacity/capacity-period.entity.js';
import { CURRENT_PERIOD } from '../capacity/current-period.js';
import { Offer } from '../offer/offer.entity.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

/** What a statement is built for: the day "current" is judged on. */
export interface Env {
  day: string;
}

/**
 * Where a read plan takes one field of a type from: the entity property the resolver reads, a value the
 * resolver derives from properties (with the same function), or a related object or list read in the
 * same statement. A field without a source is not planned (the executor answers it, as before). Each
 * source mirrors its resolver; test/read-plan.test.ts holds every planned field to the executor's answer.
 */
export type Source =
  | { kind: 'property'; property: string }
  | { kind: 'globalId'; type: NodeTypeName }
  | {
      kind: 'derived';
      properties: string[];
      compute: (...values: never[]) => unknown;
      /** compute's SQL twin over the properties' column expressions, where the value can be read in SQL. */
      sql?: (...columns: string[]) => string;
    }
  | {
      kind: 'one';
      type: string;
      /** `<table> <alias> where …` for the related row of `parent` (an alias of this type's row). */
      from: (alias: string, parent: string, env: Env) => Sql;
      /** A fixed alias where the choice's own SQL names one. */
      alias?: string;
    }
  | {
      kind: 'many';
      type: string;
      from: (alias: string, parent: string) => Sql;
      orderBy: (alias: string) => Sql;
    }
  | {
      kind: 'derivedOne';
      /** A related row read only for a derived value (Offer.availability: the current period's places). */
      from: (parent: string, env: Env) => Sql;
      columns: string[];
      compute: (row: unknown[] | null) => unknown;
    };

export interface TypeSource {
  entity: EntityClass<object>;
  table: string;
  fields: Record<string, Source>;
}

const property = (name: string): Source => ({ kind: 'property', property: name });
const properties = (...names: string[]) => Object.fromEntries(names.map((n) => [n, property(n)]));
const places = (total: number, occupied: number, reserved: number) =>
  availablePlaces({ total, occupied, reserved });

/** The current period of an offer (capacity/current-period.ts), the same choice as its loader. */
const currentPeriod = (parent: string, env: Env) =>
  sql`capacity_period cp where ${CURRENT_PERIOD.where(raw(`${parent}.id`), env.day)}
      order by ${CURRENT_PERIOD.orderBy(env.day)} limit 1`;

export const SOURCES: Readonly<Record<string, TypeSource>> = {
  Offer: {
    entity: Offer,
    table: 'offer',
    fields: {
      id: { kind: 'globalId', type: 'Offer' },
      ...properties(
        'title',
        'kind',
        'description',
        'languages',
        'requiredGermanLevel',
        'schedule',
        'costCents',
        'active',
        'version',
        'costPerPlaceCents',
        'autoOfferFromWaitingList',
      ),
      internalNote: property('internalNotes'),
      organisation: {
        kind: 'one',
        type: 'Organisation',
        from: (a, p) => sql`organisation ${raw(a)} where ${raw(`${a}.id = ${p}.organisation_id`)}`,
      },
      location: {
        kind: 'one',
        type: 'Location',
        from: (a, p) => sql`location ${raw(a)} where ${raw(`${a}.id = ${p}.location_id`)}`,
      },
      capacityPeriods: {
        kind: 'many',
        type: 'CapacityPeriod',
        from: (a, p) => sql`capacity_period ${raw(a)} where ${raw(`${a}.offer_id = ${p}.id`)}`,
        orderBy: (a) => raw(`${a}.starts_on, ${a}.id`),
      },
      currentCapacityPeriod: {
        kind: 'one',
        type: 'CapacityPeriod',
        alias: 'cp',
        from: (_a, p, env) => currentPeriod(p, env),
      },
      availability: {
        kind: 'derivedOne',
        from: currentPeriod,
        columns: ['cp.total', 'cp.occupied', 'cp.reserved'],
        compute: (row) =>
          availabilityBand(row ? places(row[0] as number, row[1] as number, row[2] as number) : 0),
      },
    },
  },
  Organisation: {
    entity: Organisation,
    table: 'organisation',
    fields: {
      id: { kind: 'globalId', type: 'Organisation' },
      ...properties('name', 'kind', 'description', 'website', 'isCoordinator'),
    },
  },
  Location: {
    entity: Location,
    table: 'location',
    fields: {
      id: { kind: 'globalId', type: 'Location' },
      ...properties(
        'name',
        'street',
        'postalCode',
        'city',
        'district',
        'wheelchairAccessible',
        'accessibilityNote',
        'active',
        'version',
      ),
      organisation: {
        kind: 'one',
        type: 'Organisation',
        from: (a, p) => sql`organisation ${raw(a)} where ${raw(`${a}.id = ${p}.organisation_id`)}`,
      },
    },
  },
  CapacityPeriod: {
    entity: CapacityPeriod,
    table: 'capacity_period',
    fields: {
      id: { kind: 'globalId', type: 'CapacityPeriod' },
      ...properties('label', 'startsOn', 'endsOn', 'total', 'occupied', 'reserved', 'version'),
      available: {
        kind: 'derived',
        properties: ['total', 'occupied', 'reserved'],
        compute: places,
        sql: (t, o, r) => availablePlacesSql(t!, o!, r!),
      },
      availability: {
        kind: 'derived',
        properties: ['total', 'occupied', 'reserved'],
        compute: (t: number, o: number, r: number) => availabilityBand(places(t, o, r)),
      },
    },
  },
};
