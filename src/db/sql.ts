import type { EntityData, EntityManager } from '@mikro-orm/postgresql';
import sql, { empty, join, raw, Sql } from 'sql-template-tag';

/**
 * Hand-written SQL as composable fragments (sql-template-tag): every `${value}` becomes a bound parameter
 * in the place it is written, and nested fragments carry their own, so no caller counts or orders
 * placeholders. Static text that is not a literal — a table, an alias, a column list made from entity
 * metadata — goes in with `raw`, and only ever from constants in code, never from a request.
 */
export { empty, join, raw, Sql, sql };

/**
 * Runs a fragment on the ORM's connection pool, outside any transaction of `em`.
 *
 * MikroORM writes the values into the text itself, quoted (Platform.formatQuery): it reads `?` as a value,
 * `??` as an identifier and `\?` as an escaped mark. So the fragment must leave it nothing else to read:
 * no `?` in the static text (a jsonb `?` operator would swallow a value; use `jsonb_exists` and friends)
 * and no two values side by side, which would print as `??`.
 */
export async function executeSql<T extends EntityData<object>[]>(em: EntityManager, query: Sql): Promise<T> {
  assertReadable(query);
  return em.getConnection().execute<T>(query.sql, query.values);
}

/** As executeSql, but inside `em`'s transaction when it has one (a write that must commit with it). */
export async function executeSqlInTransaction<T extends EntityData<object>[]>(
  em: EntityManager,
  query: Sql,
): Promise<T> {
  assertReadable(query);
  return em.execute<T>(query.sql, query.values);
}

function assertReadable(query: Sql): void {
  const { strings } = query;
  for (let i = 0; i < strings.length; i++) {
    if (strings[i]!.includes('?') || (strings[i] === '' && i > 0 && i < strings.length - 1)) {
      throw new Error(`SQL fragment would be misread by the driver's placeholders: ${query.sql}`);
    }
  }
}
