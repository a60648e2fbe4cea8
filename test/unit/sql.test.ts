import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { empty, executeSql, join, raw, sql } from '../../src/db/sql.js';

/** An EntityManager whose connection only records what it is asked to run. */
const recording = () => {
  const ran: [string, unknown[]][] = [];
  const em = {
    getConnection: () => ({
      execute: async (text: string, params: unknown[]) => {
        ran.push([text, params]);
        return [];
      },
    }),
  } as unknown as EntityManager;
  return { em, ran };
};

describe('SQL fragments', () => {
  it('binds values in the order they are written, nested fragments included', async () => {
    const { em, ran } = recording();
    const day = '2026-05-04';
    const choice = sql`left join lateral (select 1 where x >= ${day} order by y > ${day}) c on true`;
    const where = [sql`o.active`, sql`o.kind in (${join(['EQ', 'AUSBILDUNG'], ', ')})`];
    await executeSql(
      em,
      sql`select ${sql`rank(${'text'})`} from offer o ${choice} ${empty}where ${join(where, ' and ')} limit ${21}`,
    );
    expect(ran).toEqual([
      [
        'select rank(?) from offer o left join lateral (select 1 where x >= ? order by y > ?) c on true where o.active and o.kind in (?, ?) limit ?',
        ['text', day, day, 'EQ', 'AUSBILDUNG', 21],
      ],
    ]);
  });

  it('refuses a statement the driver would misread: a literal ? or two values side by side', async () => {
    const { em, ran } = recording();
    await expect(executeSql(em, raw(`select '{"a":1}'::jsonb ? 'a'`))).rejects.toThrow(/misread/);
    await expect(executeSql(em, sql`select ${1}${2}`)).rejects.toThrow(/misread/);
    await expect(executeSql(em, sql`select ${1}${empty}${2}`)).rejects.toThrow(/misread/);
    expect(ran).toEqual([]);
  });
});
