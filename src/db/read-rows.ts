import type {
  EntityClass,
  EntityManager,
  EntityMetadata,
  EntityProperty,
  ObjectQuery,
  Platform,
  QueryOrderMap,
} from '@mikro-orm/postgresql';

/**
 * What a field resolver's `@Root()` is: an entity or a read row, read only. Declare roots with it: a
 * parameter typed with an entity class makes type-graphql copy every root into a new instance of that
 * class (reflected design type), which for a read row runs the entity's constructor for each field.
 */
export type ReadRow<T> = Readonly<T>;

/**
 * What `em.find` returns, without the entity machinery: the ORM's own statement, column → property
 * mapping and type conversion (driver.find), but no identity map, no change tracking, no per-instance
 * property definitions and no reference objects. For the GraphQL read path, which only reads fields: on a
 * page of 50 offers (≈300 objects with organisations, locations, periods and rules) creating managed
 * entities was the largest single CPU cost of the request.
 *
 * A row looks like its entity to a reader: same property names and values, `constructor.name` is the
 * entity's (the Node interface and the policy's row rules read it), a many-to-one relation is `{ id }`
 * (or null). It is not managed: never hand one to `em.persist`/`em.assign` or set a relation to it — load
 * the entity in the writing transaction instead. test/read-rows.test.ts holds every loader's type to
 * `em.find`'s values.
 */
export async function readRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: ObjectQuery<T>,
  orderBy?: Record<string, 'asc' | 'desc'>,
): Promise<T[]> {
  const shape = shapeOf(em, entity);
  const data = await em.getDriver().find<T>(entity.name, where, {
    orderBy: (orderBy ? [orderBy] : []) as QueryOrderMap<T>[],
    ctx: em.getTransactionContext(),
  });
  return data.map((values) => toRow(shape, values) as T);
}

/**
 * `alias.column as "prefix__column"` for every column readRows reads of `entity`: to take rows of several
 * types from one joined statement (the offers page with its organisations and locations).
 */
export function selectColumns(em: EntityManager, entity: EntityClass<object>, alias: string, prefix: string) {
  const { columns } = shapeOf(em, entity);
  return columns.map((c) => `${alias}."${c}" as "${prefix}__${c}"`).join(', ');
}

/** The read row of `entity` in a raw row of such a statement: what readRows would have answered. */
export function rowFromColumns<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  raw: Record<string, unknown>,
  prefix: string,
): T {
  const shape = shapeOf(em, entity);
  let keys = shape.prefixed.get(prefix);
  if (!keys) {
    keys = shape.columns.map((c) => `${prefix}__${c}`);
    shape.prefixed.set(prefix, keys);
  }
  const own: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) own[shape.columns[i]!] = raw[keys[i]!];
  // The ORM's own column → property mapping (what driver.find applies to each row).
  return toRow(shape, em.getDriver().mapResult(own, shape.meta)!) as T;
}

function toRow(shape: Shape, values: object): object {
  const row = new shape.Row() as Record<string, unknown>;
  Object.assign(row, values);
  // As the hydrator does (convertCustomTypes): bigint columns become BigInts, and so on.
  for (const prop of shape.customTyped) {
    const value = row[prop.name];
    if (value != null) row[prop.name] = prop.customType!.convertToJSValue(value, shape.platform);
  }
  for (const name of shape.manyToOne) {
    const id = row[name];
    row[name] = id == null ? null : { id };
  }
  return row;
}

interface Shape {
  /** An empty class with the entity's name. */
  Row: new () => object;
  manyToOne: string[];
  /** The columns driver.find selects: every persisted, non-lazy scalar and owning relation. */
  columns: string[];
  /** The same columns as selectColumns names them, per prefix. */
  prefixed: Map<string, string[]>;
  meta: EntityMetadata;
  /** Scalar properties with a custom type whose JavaScript value differs from what pg answers. */
  customTyped: EntityProperty[];
  platform: Platform;
}

const shapes = new WeakMap<object, Shape>();

function shapeOf(em: EntityManager, entity: EntityClass<object>): Shape {
  let shape = shapes.get(entity);
  if (!shape) {
    const meta = em.getMetadata().get(entity.name);
    const name = entity.name;
    const owning = (p: (typeof meta.props)[number]) => p.kind === 'm:1' || (p.kind === '1:1' && p.owner);
    shape = {
      Row: { [name]: class {} }[name]!,
      manyToOne: meta.props.filter(owning).map((p) => p.name),
      columns: meta.props
        .filter((p) => (p.kind === 'scalar' || owning(p)) && p.persist !== false && !p.lazy && !p.formula)
        .flatMap((p) => p.fieldNames),
      prefixed: new Map(),
      meta,
      customTyped: meta.props.filter(
        (p) => p.kind === 'scalar' && p.customType && !p.lazy && p.persist !== false,
      ),
      platform: em.getPlatform(),
    };
    shapes.set(entity, shape);
  }
  return shape;
}
