import { createHash } from 'node:crypto';
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

/** Statement texts prepared so far (bounded: each costs memory in every server process that runs it). */
const prepared = new Map<string, string>();
const MAX_PREPARED = 200;

interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * executeSql as a prepared statement: the values go as parameters, and a text seen before runs under
 * its name, so each connection's server process parses and plans it once (PostgreSQL then keeps a
 * generic plan where it is no worse) instead of for every request — for a read plan's page that planning
 * costs PostgreSQL about as much as running it. Only for statements whose text depends on the request's
 * shape (which fields, how many ids), never on its values; past MAX_PREPARED distinct texts, statements
 * still run with parameters but unnamed. Outside any transaction of `em`, logged like executeSql.
 */
export async function executePreparedSql<T extends EntityData<object>[]>(
  em: EntityManager,
  query: Sql,
): Promise<T> {
  const connection = em.getConnection();
  (connection as unknown as { logQuery(query: string): void }).logQuery(query.sql);
  const text = query.text;
  let name = prepared.get(text);
  if (name === undefined && prepared.size < MAX_PREPARED) {
    name = `hub_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    prepared.set(text, name);
  }
  const client = connection.getKnex().client as {
    acquireConnection(): Promise<PgClient>;
    releaseConnection(connection: PgClient): Promise<unknown>;
  };
  const pg = await client.acquireConnection();
  try {
    const result = await pg.query({ ...(name ? { name } : {}), text, values: query.values });
    return result.rows as T;
  } finally {
    await client.releaseConnection(pg);
  }
}
